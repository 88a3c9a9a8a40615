from django.urls import path

from recognition import views
from recognition.views import booking as booking_views

app_name = "recognition"

urlpatterns = [
    path("recognition/", views.recognition_index, name="index"),
    path("recognition/institutions/<slug:slug>/", views.institution_page, name="institution"),
    path(
        "recognition/institutions/<slug:slug>/request/",
        views.request_create,
        name="request_create",
    ),
    path("recognition/requests/", views.my_requests, name="my_requests"),
    path("recognition/requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("recognition/requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("recognition/requests/<int:pk>/appeal/", views.request_appeal, name="request_appeal"),
    path("recognition/requests/<int:pk>/accept/", views.request_accept, name="request_accept"),
    path(
        "recognition/requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"
    ),
    path(
        "recognition/requests/<int:pk>/holder-challenge/",
        views.request_holder_challenge,
        name="request_holder_challenge",
    ),
    path(
        "recognition/requests/<int:pk>/holder-proof/",
        views.request_holder_proof,
        name="request_holder_proof",
    ),
    path(
        "recognition/manage/cases/<int:pk>/identity-check/",
        views.case_identity_check,
        name="case_identity_check",
    ),
    path(
        "recognition/attachments/<int:pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("recognition/manage/", views.queue, name="queue"),
    path("recognition/manage/cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("recognition/manage/cases/<int:pk>/take/", views.case_take, name="case_take"),
    path("recognition/manage/cases/<int:pk>/release/", views.case_release, name="case_release"),
    path(
        "recognition/manage/cases/<int:pk>/checks/",
        views.case_rerun_checks,
        name="case_rerun_checks",
    ),
    path("recognition/manage/cases/<int:pk>/question/", views.case_question, name="case_question"),
    path("recognition/manage/cases/<int:pk>/decide/", views.case_decide, name="case_decide"),
    path(
        "recognition/manage/decisions/<int:pk>/review/",
        views.decision_review,
        name="decision_review",
    ),
    path("recognition/manage/appeals/<int:pk>/", views.appeal_detail, name="appeal_detail"),
    path("recognition/manage/agreements/", views.agreements, name="agreements"),
    path(
        "recognition/manage/agreements/<int:pk>/end/",
        views.agreement_end,
        name="agreement_end",
    ),
    path("recognition/manage/<slug:slug>/targets/", views.targets, name="targets"),
    path("recognition/manage/targets/<int:pk>/", views.target_edit, name="target_edit"),
    path(
        "recognition/manage/<slug:slug>/targets/upload/",
        views.targets_upload,
        name="targets_upload",
    ),
    path(
        "recognition/manage/target-uploads/<int:pk>/",
        views.targets_upload_preview,
        name="targets_upload_preview",
    ),
    path("recognition/manage/<slug:slug>/policy/", views.policy_edit, name="policy_edit"),
    path("recognition/manage/<slug:slug>/report.csv", views.report_csv, name="report_csv"),
    path(
        "recognition/programmes/<slug:slug>/",
        views.programme_prospects,
        name="programme_prospects",
    ),
    path("recognition/preapprovals/", views.preapprovals, name="preapprovals"),
    path(
        "recognition/preapprovals/<int:pk>/",
        views.preapproval_detail,
        name="preapproval_detail",
    ),
    path(
        "recognition/preapprovals/<int:pk>/withdraw/",
        views.preapproval_withdraw,
        name="preapproval_withdraw",
    ),
    path("recognition/rules/", views.blanket_rules, name="blanket_rules"),
    path(
        "recognition/rules/<int:pk>/countersign/<slug:slug>/",
        views.blanket_rule_countersign,
        name="blanket_rule_countersign",
    ),
    path(
        "recognition/rules/<int:pk>/withdraw/",
        views.blanket_rule_withdraw,
        name="blanket_rule_withdraw",
    ),
    path(
        "recognition/manage/decisions/<int:pk>/grade/",
        booking_views.decision_grade,
        name="decision_grade",
    ),
    path(
        "recognition/manage/decisions/<int:pk>/booking/",
        booking_views.decision_booking,
        name="decision_booking",
    ),
    path("recognition/bookings/", booking_views.bookings, name="bookings"),
    path(
        "recognition/bookings/<int:pk>/confirm/",
        booking_views.booking_confirm,
        name="booking_confirm",
    ),
    path(
        "recognition/bookings/<int:pk>/<str:kind>/",
        booking_views.booking_export,
        name="booking_export",
    ),
    path(
        "recognition/requests/<int:pk>/transcript/",
        booking_views.request_transcript,
        name="request_transcript",
    ),
]
