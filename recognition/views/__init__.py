"""Recognition pages, one module per audience: the public procedure and statistics of each
institution, the learner's requests, the officer's queue and case page, appeals, targets,
policy and agreements. Views parse a form, call one service or selector, and render or
redirect (POST-redirect-GET).
"""

from recognition.views.commitments import (
    blanket_rule_countersign,
    blanket_rule_withdraw,
    blanket_rules,
    preapproval_detail,
    preapproval_withdraw,
    preapprovals,
    programme_prospects,
)
from recognition.views.learner import (
    attachment_download,
    my_requests,
    request_accept,
    request_answer,
    request_appeal,
    request_create,
    request_detail,
    request_holder_challenge,
    request_holder_proof,
    request_withdraw,
)
from recognition.views.officer import (
    QUEUE_PAGE_SIZE,
    appeal_detail,
    case_decide,
    case_detail,
    case_identity_check,
    case_question,
    case_release,
    case_rerun_checks,
    case_take,
    decision_review,
    queue,
)
from recognition.views.policy import (
    agreement_end,
    agreements,
    policy_edit,
    report_csv,
)
from recognition.views.public import (
    institution_page,
    recognition_index,
)
from recognition.views.targets import (
    target_edit,
    targets,
    targets_upload,
    targets_upload_preview,
)

__all__ = [
    "QUEUE_PAGE_SIZE",
    "agreement_end",
    "agreements",
    "appeal_detail",
    "attachment_download",
    "blanket_rule_countersign",
    "blanket_rule_withdraw",
    "blanket_rules",
    "case_decide",
    "case_detail",
    "case_identity_check",
    "case_question",
    "case_release",
    "case_rerun_checks",
    "case_take",
    "decision_review",
    "institution_page",
    "my_requests",
    "policy_edit",
    "preapproval_detail",
    "preapproval_withdraw",
    "preapprovals",
    "programme_prospects",
    "queue",
    "recognition_index",
    "report_csv",
    "request_accept",
    "request_answer",
    "request_appeal",
    "request_create",
    "request_detail",
    "request_holder_challenge",
    "request_holder_proof",
    "request_withdraw",
    "target_edit",
    "targets",
    "targets_upload",
    "targets_upload_preview",
]
