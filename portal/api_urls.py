"""Version 1 of the API: each app contributes its routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("alliances.api.urls")),
    path("", include("catalogue.api.urls")),
    path("", include("issuance.api.urls")),
    path("", include("verification.api_urls")),
    path("", include("wallet.api_urls")),
    path("", include("recognition.api.urls")),
]
