from django.urls import include, path
from rest_framework.routers import SimpleRouter

from alliances.api import views

router = SimpleRouter()
router.register("alliances", views.AllianceViewSet, basename="alliance")
router.register("institutions", views.InstitutionViewSet, basename="institution")

staff_router = SimpleRouter()
staff_router.register("staff", views.InstitutionStaffViewSet, basename="institution-staff")
staff_router.register(
    "invitations", views.InstitutionInvitationViewSet, basename="institution-invitation"
)

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("", include(router.urls)),
    path("institutions/<slug:institution_slug>/", include(staff_router.urls)),
]
