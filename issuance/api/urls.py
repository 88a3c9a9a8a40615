from django.urls import path

from issuance.api import views

urlpatterns = [
    path("credentials/", views.StaffCredentialListView.as_view(), name="credential-list"),
    path(
        "credentials/<uuid:uuid>/",
        views.StaffCredentialDetailView.as_view(),
        name="credential-detail",
    ),
    path("credentials/<uuid:uuid>/revoke/", views.RevokeView.as_view(), name="credential-revoke"),
    path(
        "credentials/<uuid:uuid>/suspend/", views.SuspendView.as_view(), name="credential-suspend"
    ),
    path(
        "credentials/<uuid:uuid>/unsuspend/",
        views.UnsuspendView.as_view(),
        name="credential-unsuspend",
    ),
    path("credentials/<uuid:uuid>/retry/", views.RetryView.as_view(), name="credential-retry"),
    path(
        "offerings/<int:pk>/issuance/",
        views.OfferingIssuanceView.as_view(),
        name="offering-issuance",
    ),
    path("issuance-jobs/<int:pk>/", views.JobDetailView.as_view(), name="issuance-job"),
    path(
        "issuance-jobs/<int:pk>/resume/", views.JobResumeView.as_view(), name="issuance-job-resume"
    ),
]
