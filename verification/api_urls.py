from django.urls import path

from verification import api

urlpatterns = [
    path("credentials/verify", api.VerifyCredentialView.as_view(), name="credential-verify"),
    path(
        "credentials/verify-source",
        api.VerifySourceView.as_view(),
        name="credential-verify-source",
    ),
    path(
        "presentations/verify",
        api.VerifyPresentationView.as_view(),
        name="presentation-verify",
    ),
]
