from django.urls import path

from catalogue import badge_views, mentor_views, views

app_name = "catalogue"

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("mentor/", mentor_views.mentor_home, name="mentor"),
    path("mentor/enrolments/<int:pk>/result/", mentor_views.mentor_result, name="mentor_result"),
    path(
        "manage/offerings/<int:pk>/mentors/",
        mentor_views.offering_mentor_assign,
        name="offering_mentor_assign",
    ),
    path(
        "manage/offerings/<int:pk>/teams/",
        mentor_views.offering_team_create,
        name="offering_team_create",
    ),
    path("catalogue/offerings/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("catalogue/enrolments/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("catalogue/pathways/<slug:slug>/", views.pathway_detail, name="pathway_detail"),
    path("catalogue/<slug:slug>/", views.programme_detail, name="programme_detail"),
    path("manage/programmes/", views.staff_programmes, name="staff_programmes"),
    path("manage/programmes/new/", views.programme_create, name="programme_create"),
    path("manage/pathways/new/", views.pathway_create, name="pathway_create"),
    path("manage/programmes/<int:pk>/", views.programme_manage, name="programme_manage"),
    path("manage/programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("manage/programmes/<int:pk>/submit/", views.programme_submit, name="programme_submit"),
    path("manage/programmes/<int:pk>/badge/", badge_views.programme_badge, name="programme_badge"),
    path("badges/programme-versions/<int:pk>", badge_views.version_badge, name="version_badge"),
    path("badges/pathways/<slug:slug>", badge_views.pathway_badge, name="pathway_badge"),
    path("manage/programmes/<int:pk>/approve/", views.programme_approve, name="programme_approve"),
    path(
        "manage/programmes/<int:pk>/request-changes/",
        views.programme_request_changes,
        name="programme_request_changes",
    ),
    path("manage/programmes/<int:pk>/archive/", views.programme_archive, name="programme_archive"),
    path(
        "manage/programmes/<int:pk>/offerings/new/",
        views.offering_create,
        name="offering_create",
    ),
    path("manage/offerings/<int:pk>/", views.offering_manage, name="offering_manage"),
    path("manage/offerings/<int:pk>/edit/", views.offering_edit, name="offering_edit"),
    path("manage/offerings/<int:pk>/results.csv", views.results_export, name="results_export"),
    path("manage/results/upload/", views.results_upload, name="results_upload"),
    path(
        "manage/results/upload/<int:pk>/",
        views.results_upload_preview,
        name="results_upload_preview",
    ),
]
