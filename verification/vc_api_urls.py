"""The VC-API verifiers under `/vc-api/` (the issuer side is in issuance.api.vc_api_urls)."""

from django.urls import path

from verification import vc_api

urlpatterns = [
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
]
