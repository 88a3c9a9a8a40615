from django.urls import path

from verification import api

urlpatterns = [
    path("credentials/verify", api.VerifyCredentialView.as_view(), name="credential-verify"),
    path(
        "presentations/verify",
        api.VerifyPresentationView.as_view(),
        name="presentation-verify",
    ),
]
