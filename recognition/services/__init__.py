"""Writes of the recognition workflow, one module per question: policies, targets (and
their CSV import), submission of requests, the automated pre-assessment, holder binding, the
officer's handling of a case, decisions, appeals, agreements and the trusted-issuer registry.

Every service checks permissions through `recognition.permissions` (404 when refused), owns
its transaction and writes an audit event per step. Status changes happen only while the
request row is locked (`select_for_update`) and after checking the current status, so
concurrent attempts get a `ConflictError` with a message rather than a second decision.
"""

from recognition.services.agreements import (
    create_agreement,
    end_agreement,
)
from recognition.services.appeals import (
    ConflictOfInterestError,
    decide_appeal,
    lodge_appeal,
    lodge_inaction_appeal,
    take_appeal,
)
from recognition.services.blanket_rules import (
    countersign_blanket_rule,
    propose_blanket_rule,
    withdraw_blanket_rule,
)
from recognition.services.cases import (
    answer_information,
    release_case,
    request_information,
    take_case,
)
from recognition.services.common import (
    SYSTEM_ACTOR,
)
from recognition.services.decisions import (
    DifferenceInput,
    accept_decision,
    decide_request,
    finalise_unappealed,
    review_automatic_decision,
)
from recognition.services.escalation import (
    escalate_overdue_case,
)
from recognition.services.holder_binding import (
    HOLDER_CHALLENGE_LIFETIME,
    MAX_HOLDER_CHALLENGES,
    issue_holder_challenge,
    prove_holder,
    record_identity_check,
)
from recognition.services.policies import (
    save_policy,
)
from recognition.services.preapprovals import (
    apply_preapproval,
    decide_preapproval,
    preapprovals_waiting_for,
    request_preapproval,
    withdraw_preapproval,
)
from recognition.services.preassessment import (
    NAME_CHANGE_WINDOW,
    rerun_checks,
    run_preassessment,
)
from recognition.services.revocation import (
    flag_decisions_built_on,
)
from recognition.services.submission import (
    ATTACHMENT_SIGNATURES,
    MAX_ATTACHMENTS_PER_MESSAGE,
    MAX_CREDENTIALS_PER_REQUEST,
    AttachmentInput,
    CredentialInput,
    add_attachments,
    check_credential_size,
    check_document_size,
    credential_digest,
    parse_credential_json,
    submit_request,
    withdraw_request,
)
from recognition.services.targets import (
    REQUIRED_TARGET_COLUMNS,
    TARGET_COLUMNS,
    TargetRow,
    TargetUploadPreview,
    confirm_targets_upload,
    create_target,
    preview_stored_targets_upload,
    preview_targets_upload,
    update_target,
)
from recognition.services.trust_registry import (
    import_trusted_issuers,
)

__all__ = [
    "ATTACHMENT_SIGNATURES",
    "HOLDER_CHALLENGE_LIFETIME",
    "MAX_ATTACHMENTS_PER_MESSAGE",
    "MAX_CREDENTIALS_PER_REQUEST",
    "MAX_HOLDER_CHALLENGES",
    "NAME_CHANGE_WINDOW",
    "REQUIRED_TARGET_COLUMNS",
    "SYSTEM_ACTOR",
    "TARGET_COLUMNS",
    "AttachmentInput",
    "ConflictOfInterestError",
    "CredentialInput",
    "DifferenceInput",
    "TargetRow",
    "TargetUploadPreview",
    "accept_decision",
    "add_attachments",
    "answer_information",
    "apply_preapproval",
    "check_credential_size",
    "check_document_size",
    "confirm_targets_upload",
    "countersign_blanket_rule",
    "create_agreement",
    "create_target",
    "credential_digest",
    "decide_appeal",
    "decide_preapproval",
    "decide_request",
    "end_agreement",
    "escalate_overdue_case",
    "finalise_unappealed",
    "flag_decisions_built_on",
    "import_trusted_issuers",
    "issue_holder_challenge",
    "lodge_appeal",
    "lodge_inaction_appeal",
    "parse_credential_json",
    "preapprovals_waiting_for",
    "preview_stored_targets_upload",
    "preview_targets_upload",
    "propose_blanket_rule",
    "prove_holder",
    "record_identity_check",
    "release_case",
    "request_information",
    "request_preapproval",
    "rerun_checks",
    "review_automatic_decision",
    "run_preassessment",
    "save_policy",
    "submit_request",
    "take_appeal",
    "take_case",
    "update_target",
    "withdraw_blanket_rule",
    "withdraw_preapproval",
    "withdraw_request",
]
