from django.urls import path

from alliances import views

app_name = "alliances"

urlpatterns = [
    path("alliances/", views.alliance_list, name="alliance_list"),
    path("alliances/<slug:slug>/", views.alliance_detail, name="alliance_detail"),
    path("institutions/", views.institution_list, name="institution_list"),
    path("institutions/<slug:slug>/", views.institution_detail, name="institution_detail"),
    path("institutions/<slug:slug>/edit/", views.institution_edit, name="institution_edit"),
    path(
        "institutions/<slug:slug>/logo/",
        views.institution_logo_upload,
        name="institution_logo_upload",
    ),
    path("institutions/<slug:slug>/logo.png", views.institution_logo, name="institution_logo"),
    path("institutions/<slug:slug>/staff/", views.staff_list, name="staff_list"),
    path(
        "institutions/<slug:slug>/staff/<int:pk>/remove/",
        views.staff_remove,
        name="staff_remove",
    ),
    path(
        "institutions/<slug:slug>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
