"""The VC-API issuer side under `/vc-api/`: each institution's issue and status endpoints, and
the OAuth2 token endpoint of their clients (the verifiers are in verification.vc_api_urls)."""

from django.urls import path
from oauth2_provider.views import TokenView

from issuance.api import vc_api_views

urlpatterns = [
    path("oauth2/token", TokenView.as_view(), name="vc-api-token"),
    path(
        "institutions/<slug:slug>/credentials/issue",
        vc_api_views.IssueCredentialView.as_view(),
        name="vc-api-credential-issue",
    ),
    path(
        "institutions/<slug:slug>/credentials/status",
        vc_api_views.UpdateStatusView.as_view(),
        name="vc-api-credential-status",
    ),
]
