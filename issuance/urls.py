from django.urls import path, re_path

from issuance import context_views, seal_views, views

app_name = "issuance"

urlpatterns = [
    path(
        "contexts/microcredential/v1",
        context_views.microcredential_v1,
        name="microcredential_context_v1",
    ),
    path(
        "contexts/microcredential/v2",
        context_views.microcredential_v2,
        name="microcredential_context_v2",
    ),
    path("institutions/<slug:slug>/did.json", views.did_document, name="did_document"),
    re_path(
        r"^institutions/(?P<slug>[a-z0-9-]+)/status/(?P<number>[0-9]{1,9})/(?P<purpose>revocation|suspension)$",
        views.status_list,
        name="status_list",
    ),
    path(
        "manage/institutions/<slug:slug>/seal/",
        seal_views.institution_seal,
        name="institution_seal",
    ),
    path("manage/credentials/", views.staff_credentials, name="staff_credentials"),
    path("manage/credentials/<uuid:uuid>/", views.staff_credential, name="staff_credential"),
    path("manage/credentials/<uuid:uuid>/revoke/", views.revoke, name="revoke"),
    path("manage/credentials/<uuid:uuid>/suspend/", views.suspend, name="suspend"),
    path("manage/credentials/<uuid:uuid>/unsuspend/", views.unsuspend, name="unsuspend"),
    path("manage/credentials/<uuid:uuid>/retry/", views.retry, name="retry"),
    path("manage/offerings/<int:pk>/issue/", views.offering_issuance, name="offering_issuance"),
    path("manage/issuance-jobs/<int:pk>/", views.job, name="job"),
    path("manage/issuance-jobs/<int:pk>/progress.json", views.job_progress, name="job_progress"),
    path("manage/issuance-jobs/<int:pk>/resume/", views.job_resume, name="job_resume"),
]
