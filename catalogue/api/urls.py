from django.urls import path

from catalogue.api import views, work_based

urlpatterns = [
    path("programmes/", views.ProgrammeListView.as_view(), name="programme-list"),
    path("programmes/<slug:slug>/", views.ProgrammeDetailView.as_view(), name="programme-detail"),
    path(
        "programmes/<slug:slug>/versions/",
        views.ProgrammeVersionListView.as_view(),
        name="programme-versions",
    ),
    path(
        "programme-versions/<int:pk>/",
        views.ProgrammeVersionDetailView.as_view(),
        name="programme-version-detail",
    ),
    path("skills/", views.SkillListView.as_view(), name="skill-list"),
    path("pathways/", views.PathwayListView.as_view(), name="pathway-list"),
    path("pathway-progress/", views.PathwayProgressView.as_view(), name="pathway-progress"),
    path("enrolments/", views.EnrolmentListView.as_view(), name="enrolment-list"),
    path("enrolments/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="enrolment-withdraw"),
    path("manage/programmes/", views.StaffProgrammeListView.as_view(), name="staff-programme-list"),
    path("manage/pathways/", views.StaffPathwayCreateView.as_view(), name="staff-pathway-create"),
    path(
        "manage/programmes/<int:pk>/",
        views.StaffProgrammeDetailView.as_view(),
        name="staff-programme-detail",
    ),
    path(
        "manage/programmes/<int:pk>/submit/",
        views.SubmitView.as_view(),
        name="staff-programme-submit",
    ),
    path(
        "manage/programmes/<int:pk>/approve/",
        views.ApproveView.as_view(),
        name="staff-programme-approve",
    ),
    path(
        "manage/programmes/<int:pk>/request-changes/",
        views.RequestChangesView.as_view(),
        name="staff-programme-request-changes",
    ),
    path(
        "manage/programmes/<int:pk>/archive/",
        views.ArchiveView.as_view(),
        name="staff-programme-archive",
    ),
    path(
        "manage/programmes/<int:pk>/offerings/",
        views.StaffOfferingListView.as_view(),
        name="staff-offering-list",
    ),
    path(
        "manage/offerings/<int:pk>/",
        views.StaffOfferingDetailView.as_view(),
        name="staff-offering-detail",
    ),
    path(
        "manage/offerings/<int:pk>/enrolments/",
        views.StaffEnrolmentListView.as_view(),
        name="staff-offering-enrolments",
    ),
    path(
        "manage/offerings/<int:pk>/results/",
        views.ResultListView.as_view(),
        name="staff-offering-results",
    ),
    path("manage/result-uploads/", views.ResultUploadView.as_view(), name="result-upload"),
    path(
        "manage/result-uploads/<int:pk>/confirm/",
        views.ResultUploadConfirmView.as_view(),
        name="result-upload-confirm",
    ),
    path(
        "manage/offerings/<int:pk>/mentors/",
        work_based.OfferingMentorsView.as_view(),
        name="staff-offering-mentors",
    ),
    path(
        "manage/offerings/<int:pk>/teams/",
        work_based.ChallengeTeamsView.as_view(),
        name="staff-offering-teams",
    ),
    path("mentor/offerings/", work_based.MentorOfferingsView.as_view(), name="mentor-offerings"),
    path(
        "mentor/offerings/<int:pk>/results/",
        work_based.MentorResultView.as_view(),
        name="mentor-offering-results",
    ),
]
