"""The VC-API (W3C CCG Verifiable Credentials API) under `/vc-api/`: public verifiers, each
institution's issuer and status endpoints, and the OAuth2 token endpoint of their clients."""

from django.urls import path
from oauth2_provider.views import TokenView

from issuance.api import vc_api_views
from verification import vc_api

urlpatterns = [
    path("oauth2/token", TokenView.as_view(), name="vc-api-token"),
    path(
        "credentials/verify",
        vc_api.VcApiVerifyCredentialView.as_view(),
        name="vc-api-credential-verify",
    ),
    path(
        "presentations/verify",
        vc_api.VcApiVerifyPresentationView.as_view(),
        name="vc-api-presentation-verify",
    ),
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
