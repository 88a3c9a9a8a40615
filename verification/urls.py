from django.urls import path

from verification import views

app_name = "verification"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path(
        "verify/credentials/<uuid:uuid>/",
        views.verify_stored_credential,
        name="verify_stored_credential",
    ),
]
