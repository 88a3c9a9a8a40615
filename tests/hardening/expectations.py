"""Who may use each route, against the objects of `tests/hardening/world.py` (owned by
institution A and its learner dana). Every route of the URL resolver and every operation of
the API schema must appear here: a new route without an entry fails the isolation matrix.

An entry is `(who may, address)`; "who may" is one group for every method, or one per method
when they differ. The address names the world's objects the URL parameters come from.
Anyone outside the group must get the login page (401 for the API), 403 or 404.
"""

from __future__ import annotations

from tests.hardening.world import ACTORS

EVERYONE = frozenset(ACTORS)
SIGNED_IN = EVERYONE - {"anonymous"}
NOBODY: frozenset[str] = frozenset()
HOLDER = frozenset({"learner"})
OPERATOR = frozenset({"operator"})
# Institution A's staff with an administrative role, its alliance's admin and the operator.
OWNER_ADMINS = frozenset({"owner_staff", "alliance_admin", "operator"})
OWNER_MANAGERS = frozenset({"owner_staff", "operator"})
MANAGERS_ANYWHERE = frozenset({"owner_staff", "other_staff", "operator"})
STAFF_ANYWHERE = frozenset({"owner_staff", "other_staff", "alliance_admin", "operator"})
# The credential's exports: the holder and the issuer's side.
EXPORT_READERS = HOLDER | OWNER_ADMINS
# Recognition cases are personal data: institution A's assessors only (no operator).
ASSESSORS = frozenset({"owner_staff", "owner_officer"})
REQUEST_PARTIES = HOLDER | ASSESSORS
RECOGNITION_QUEUES = frozenset({"owner_staff", "other_staff", "owner_officer", "other_officer"})
# Registrars and admins book decisions (the cast's staff are admins of A and of B).
BOOKERS = frozenset({"owner_staff", "other_staff"})
TARGET_KEEPERS = ASSESSORS | OPERATOR
# An agreement binds the institution: only its own assessors record or end one.
AGREEMENT_KEEPERS = ASSESSORS
ALLIANCE_ADMIN = frozenset({"alliance_admin"})
POLICY_KEEPERS = OWNER_ADMINS
# Uploads are previewed and confirmed by the person who uploaded them.
RESULTS_UPLOADER = frozenset({"owner_staff"})
TARGETS_UPLOADER = frozenset({"owner_officer"})

HTML_ROUTES: dict[str, tuple[frozenset[str] | dict[str, frozenset[str]], dict[str, str]]] = {
    # the site shell and accounts
    "home": (EVERYONE, {}),
    "dashboard": (SIGNED_IN, {}),
    "profile": (SIGNED_IN, {}),
    "api_token": (SIGNED_IN, {}),
    "healthz": (EVERYONE, {}),
    "set_language": (EVERYONE, {}),
    "api-schema": (EVERYONE, {}),
    "api-docs": (EVERYONE, {}),
    "account_login": (EVERYONE, {}),
    "account_logout": (EVERYONE, {}),
    "account_signup": (EVERYONE, {}),
    "account_inactive": (EVERYONE, {}),
    "account_reauthenticate": (SIGNED_IN, {}),
    "account_request_reauthentication_code": (SIGNED_IN, {}),
    "account_confirm_reauthentication_code": (SIGNED_IN, {}),
    "account_email": (SIGNED_IN, {}),
    "account_email_verification_sent": (EVERYONE, {}),
    # a made-up key: the page explains, posting it confirms nothing
    "account_confirm_email": ({"GET": EVERYONE, "POST": NOBODY}, {"key": "no-such-key"}),
    "account_change_password": (SIGNED_IN, {}),
    "account_set_password": (SIGNED_IN, {}),
    "account_reset_password": (EVERYONE, {}),
    "account_reset_password_done": (EVERYONE, {}),
    "account_reset_password_from_key": (EVERYONE, {"uidb36": "1", "key": "no-such-key"}),
    "account_reset_password_from_key_done": (EVERYONE, {}),
    "account_confirm_login_code": (SIGNED_IN, {}),
    "mfa_index": (SIGNED_IN, {}),
    "mfa_authenticate": (SIGNED_IN, {}),
    "mfa_reauthenticate": (SIGNED_IN, {}),
    "mfa_activate_totp": (SIGNED_IN, {}),
    "mfa_generate_recovery_codes": (SIGNED_IN, {}),
    # nobody in the cast has an authenticator yet, so there is nothing to show or remove
    "mfa_deactivate_totp": (NOBODY, {}),
    "mfa_view_recovery_codes": (NOBODY, {}),
    "mfa_download_recovery_codes": (NOBODY, {}),
    # alliances and institutions
    "alliances:alliance_list": (EVERYONE, {}),
    "alliances:alliance_detail": (EVERYONE, {"slug": "alliance.slug"}),
    "alliances:institution_list": (EVERYONE, {}),
    "alliances:institution_detail": (EVERYONE, {"slug": "institution.slug"}),
    "alliances:institution_edit": (OWNER_ADMINS, {"slug": "institution.slug"}),
    "alliances:staff_list": (OWNER_ADMINS, {"slug": "institution.slug"}),
    "alliances:staff_remove": (OWNER_ADMINS, {"slug": "institution.slug", "pk": "staff_role.pk"}),
    "alliances:invitation_revoke": (
        OWNER_ADMINS,
        {"slug": "institution.slug", "pk": "invitation.pk"},
    ),
    "alliances:accept_invitation": (NOBODY, {"token": "no-such-token"}),
    # catalogue
    "catalogue:catalogue": (EVERYONE, {}),
    "catalogue:programme_detail": (EVERYONE, {"slug": "programme.slug"}),
    "catalogue:pathway_detail": (EVERYONE, {"slug": "pathway.slug"}),
    "catalogue:enrol": (SIGNED_IN, {"pk": "offering.pk"}),
    "catalogue:withdraw": (HOLDER, {"pk": "enrolment.pk"}),
    "catalogue:staff_programmes": (MANAGERS_ANYWHERE, {}),
    "catalogue:programme_create": (MANAGERS_ANYWHERE, {}),
    "catalogue:pathway_create": (MANAGERS_ANYWHERE, {}),
    "catalogue:programme_manage": (OWNER_MANAGERS, {"pk": "programme.pk"}),
    "catalogue:programme_edit": (OWNER_MANAGERS, {"pk": "programme.pk"}),
    "catalogue:programme_badge": (OWNER_MANAGERS, {"pk": "programme.pk"}),
    "catalogue:version_badge": (EVERYONE, {"pk": "programme.published_version_id"}),
    "catalogue:pathway_badge": (EVERYONE, {"slug": "pathway.slug"}),
    "catalogue:programme_submit": (OWNER_MANAGERS, {"pk": "programme.pk"}),
    # approval is for partner institutions; the world's programme has none
    "catalogue:programme_approve": (NOBODY, {"pk": "programme.pk"}),
    "catalogue:programme_request_changes": (OWNER_MANAGERS, {"pk": "programme.pk"}),
    "catalogue:programme_archive": (OWNER_MANAGERS, {"pk": "programme.pk"}),
    "catalogue:offering_create": (OWNER_MANAGERS, {"pk": "programme.pk"}),
    "catalogue:offering_manage": (OWNER_MANAGERS, {"pk": "offering.pk"}),
    "catalogue:offering_edit": (OWNER_MANAGERS, {"pk": "offering.pk"}),
    "catalogue:results_export": (OWNER_MANAGERS, {"pk": "offering.pk"}),
    "catalogue:results_upload": (MANAGERS_ANYWHERE, {}),
    "catalogue:results_upload_preview": (RESULTS_UPLOADER, {"pk": "result_upload.pk"}),
    # issuance: public documents, the wallet, verification, staff pages
    "issuance:microcredential_context_v1": (EVERYONE, {}),
    "issuance:microcredential_context_v2": (EVERYONE, {}),
    "issuance:did_document": (EVERYONE, {"slug": "institution.slug"}),
    "issuance:status_list": (
        EVERYONE,
        {"slug": "institution.slug", "number": "status_list.number", "purpose": "revocation"},
    ),
    "wallet:wallet": (SIGNED_IN, {}),
    "wallet:wallet_credential": (HOLDER, {"uuid": "credential.uuid"}),
    "wallet:credential_download": (HOLDER, {"uuid": "credential.uuid"}),
    "wallet:credential_elm": (EXPORT_READERS, {"uuid": "credential.uuid"}),
    "wallet:credential_pdf": (EXPORT_READERS, {"uuid": "credential.uuid"}),
    "wallet:credential_baked_png": (HOLDER, {"uuid": "credential.uuid"}),
    "wallet:credential_baked_svg": (HOLDER, {"uuid": "credential.uuid"}),
    "wallet:wallet_offer_create": (HOLDER, {"uuid": "credential.uuid"}),
    "wallet:share_link_create": (SIGNED_IN, {}),
    "wallet:share_link_revoke": (HOLDER, {"pk": "share_link.pk"}),
    "wallet:wallet_import": (SIGNED_IN, {}),
    "wallet:wallet_imported": (HOLDER, {"uuid": "imported.uuid"}),
    "wallet:imported_download": (HOLDER, {"uuid": "imported.uuid"}),
    "wallet:imported_remove": (HOLDER, {"uuid": "imported.uuid"}),
    "my_data": (SIGNED_IN, {}),
    "my_data_export": (SIGNED_IN, {}),
    "verification:verify": (EVERYONE, {}),
    "verification:verify_stored_credential": (EVERYONE, {"uuid": "credential.uuid"}),
    "wallet:shared": (EVERYONE, {"token": "share_link.token"}),
    # the world has no published profile: a made-up one is hidden from all
    "wallet:public_profile": (NOBODY, {"slug": "no-such-profile"}),
    "wallet:public_profile_settings": (SIGNED_IN, {}),
    "wallet:public_profile_unpublish": (SIGNED_IN, {}),
    "wallet:lcw_request_create": (HOLDER, {"uuid": "credential.uuid"}),
    # opened by what the body carries (a wallet's signed challenge, a client's credentials):
    # a made-up exchange or an empty body is refused to everyone alike
    "wallet:lcw_exchange": (EVERYONE, {"secret": "no-such-exchange"}),
    "vc-api-token": (EVERYONE, {}),
    "alliances:institution_logo_upload": (OWNER_ADMINS, {"slug": "institution.slug"}),
    # the world's institution has uploaded no logo
    "alliances:institution_logo": (NOBODY, {"slug": "institution.slug"}),
    "insights:issuer_analytics": (MANAGERS_ANYWHERE, {}),
    "wallet:shared_presentation": (EVERYONE, {"token": "share_link.token"}),
    "wallet:oid4vci_issuer_metadata": (EVERYONE, {}),
    "wallet:oid4vci_authorization_server_metadata": (EVERYONE, {}),
    "wallet:oid4vci_token": (EVERYONE, {}),
    # OpenID4VCI 1.0 section 7.1: the nonce endpoint asks for no access token
    "wallet:oid4vci_nonce": (EVERYONE, {}),
    # a wallet's access token opens this, never a portal session
    "wallet:oid4vci_credential": (EVERYONE, {}),
    "issuance:institution_seal": (OWNER_ADMINS, {"slug": "institution.slug"}),
    "issuance:staff_credentials": (STAFF_ANYWHERE, {}),
    "issuance:staff_credential": (OWNER_ADMINS, {"uuid": "credential.uuid"}),
    "issuance:revoke": (OWNER_ADMINS, {"uuid": "credential.uuid"}),
    "issuance:suspend": (OWNER_ADMINS, {"uuid": "credential.uuid"}),
    "issuance:unsuspend": (OWNER_ADMINS, {"uuid": "credential.uuid"}),
    "issuance:retry": (OWNER_ADMINS, {"uuid": "credential.uuid"}),
    "issuance:offering_issuance": (OWNER_MANAGERS, {"pk": "offering.pk"}),
    "issuance:job": (OWNER_ADMINS, {"pk": "job.pk"}),
    "issuance:job_progress": (OWNER_ADMINS, {"pk": "job.pk"}),
    "issuance:job_resume": (OWNER_ADMINS, {"pk": "job.pk"}),
    # insights
    "insights:observatory": (EVERYONE, {}),
    "insights:figure_csv": (EVERYONE, {"slug": "programmes-by-eqf-level"}),
    "insights:careers": (SIGNED_IN, {}),
    # recognition
    "recognition:index": (EVERYONE, {}),
    "recognition:institution": (EVERYONE, {"slug": "institution.slug"}),
    "recognition:request_create": (SIGNED_IN, {"slug": "institution.slug"}),
    "recognition:my_requests": (SIGNED_IN, {}),
    "recognition:request_detail": (HOLDER, {"pk": "open_request.pk"}),
    "recognition:request_answer": (HOLDER, {"pk": "open_request.pk"}),
    "recognition:request_appeal": (HOLDER, {"pk": "decided_request.pk"}),
    "recognition:request_accept": (HOLDER, {"pk": "decided_request.pk"}),
    "recognition:request_withdraw": (HOLDER, {"pk": "open_request.pk"}),
    "recognition:request_holder_challenge": (HOLDER, {"pk": "open_request.pk"}),
    "recognition:request_holder_proof": (HOLDER, {"pk": "open_request.pk"}),
    "recognition:attachment_download": (REQUEST_PARTIES, {"pk": "attachment.pk"}),
    "recognition:queue": (RECOGNITION_QUEUES, {}),
    "recognition:case_detail": (ASSESSORS, {"pk": "open_request.pk"}),
    "recognition:case_take": (ASSESSORS, {"pk": "open_request.pk"}),
    "recognition:case_release": (ASSESSORS, {"pk": "open_request.pk"}),
    "recognition:case_rerun_checks": (ASSESSORS, {"pk": "open_request.pk"}),
    "recognition:case_identity_check": (ASSESSORS, {"pk": "open_request.pk"}),
    "recognition:case_question": (ASSESSORS, {"pk": "open_request.pk"}),
    "recognition:case_decide": (ASSESSORS, {"pk": "open_request.pk"}),
    "recognition:decision_review": (ASSESSORS, {"pk": "decision.pk"}),
    "recognition:appeal_detail": (ASSESSORS, {"pk": "appeal.pk"}),
    "recognition:agreements": (AGREEMENT_KEEPERS, {}),
    "recognition:agreement_end": (AGREEMENT_KEEPERS, {"pk": "agreement.pk"}),
    "recognition:targets": (TARGET_KEEPERS, {"slug": "institution.slug"}),
    "recognition:target_edit": (TARGET_KEEPERS, {"pk": "target.pk"}),
    "recognition:targets_upload": (TARGET_KEEPERS, {"slug": "institution.slug"}),
    "recognition:targets_upload_preview": (TARGETS_UPLOADER, {"pk": "target_upload.pk"}),
    "recognition:policy_edit": (POLICY_KEEPERS, {"slug": "institution.slug"}),
    "recognition:report_csv": (ASSESSORS, {"slug": "institution.slug"}),
    "recognition:programme_prospects": (
        {"GET": EVERYONE, "POST": SIGNED_IN},
        {"slug": "programme.slug"},
    ),
    "recognition:preapprovals": (SIGNED_IN, {}),
    "recognition:preapproval_detail": (
        {"GET": REQUEST_PARTIES, "POST": ASSESSORS},
        {"pk": "preapproval.pk"},
    ),
    "recognition:preapproval_withdraw": (HOLDER, {"pk": "preapproval.pk"}),
    "recognition:blanket_rules": ({"GET": EVERYONE, "POST": ALLIANCE_ADMIN}, {}),
    "recognition:blanket_rule_countersign": (
        ASSESSORS,
        {"pk": "blanket_rule.pk", "slug": "institution.slug"},
    ),
    "recognition:blanket_rule_withdraw": (ALLIANCE_ADMIN, {"pk": "blanket_rule.pk"}),
    "recognition:decision_grade": (ASSESSORS, {"pk": "decision.pk"}),
    "recognition:decision_booking": (ASSESSORS, {"pk": "decision.pk"}),
    "recognition:bookings": (BOOKERS, {}),
    # the world holds no booking: a made-up one is hidden from everyone
    "recognition:booking_confirm": (NOBODY, {"pk": "999999"}),
    "recognition:booking_export": (NOBODY, {"pk": "999999", "kind": "elmo"}),
    "recognition:request_transcript": (HOLDER, {"pk": "open_request.pk"}),
    # no mentor in the cast: the mentor pages are closed to all
    "catalogue:mentor": (NOBODY, {}),
    "catalogue:mentor_result": (NOBODY, {"pk": "enrolment.pk"}),
    "catalogue:offering_mentor_assign": (OWNER_MANAGERS, {"pk": "offering.pk"}),
    "catalogue:offering_team_create": (OWNER_MANAGERS, {"pk": "offering.pk"}),
    "insights:offering_mobility_csv": (OWNER_MANAGERS, {"code": "offering.code"}),
}

# The Django admin: open to the operator and to institution and alliance admins, each model
# narrowed to their own rows. Its routes are classified per model; the object routes
# (change, history, delete, the bare object URL) address the world's row of that model.
ADMIN_USERS = frozenset({"owner_staff", "other_staff", "alliance_admin", "operator"})
ADMIN_SITE: dict[str, frozenset[str] | dict[str, frozenset[str]]] = {
    "admin:index": ADMIN_USERS,
    # signs in through allauth's page; signed-in people are sent on to the index
    "admin:login": SIGNED_IN,
    "admin:logout": EVERYONE,
    "admin:password_change": ADMIN_USERS,
    "admin:password_change_done": ADMIN_USERS,
    "admin:jsi18n": ADMIN_USERS,
    # no model has autocomplete fields
    "admin:autocomplete": NOBODY,
    "admin:app_list": OPERATOR,
    "admin:view_on_site": NOBODY,
    "admin/(?P<url>.*)$": NOBODY,
}
# model: (its row in the world, who may list, add, view the row, change it, delete it)
# model: (its row in the world, then who may list, add, view the row, change it, delete it).
# Rows the world has none of are addressed by a pk nobody has.
ADMIN_MODELS: dict[str, tuple[str | None, dict[str, frozenset[str]]]] = {}


def _admin(
    row: str | None,
    *,
    list_: frozenset[str],
    add: frozenset[str],
    view: frozenset[str],
    change: frozenset[str],
    delete: frozenset[str],
) -> tuple[str | None, dict[str, frozenset[str]]]:
    return row, {"list": list_, "add": add, "view": view, "change": change, "delete": delete}


OPERATOR_ONLY = {"list_": OPERATOR, "add": OPERATOR, "view": OPERATOR, "change": OPERATOR}
NO_ROW = {"list_": OPERATOR, "add": OPERATOR, "view": NOBODY, "change": NOBODY, "delete": NOBODY}
OPERATOR_LOOKUP = {
    "list_": OPERATOR,
    "add": NOBODY,
    "view": OPERATOR,
    "change": NOBODY,
    "delete": NOBODY,
}
OPERATOR_LOOKUP_NO_ROW = {**OPERATOR_LOOKUP, "view": NOBODY}
# Issuance rows are written by the services only: the admin shows them to their institution.
READ_ONLY_ROWS = {
    "list_": ADMIN_USERS,
    "add": NOBODY,
    "view": OWNER_ADMINS,
    "change": NOBODY,
    "delete": NOBODY,
}
ADMIN_MODELS.update(
    {
        "auth/group": _admin(None, **NO_ROW),
        "mfa/authenticator": _admin(None, **NO_ROW),
        "account/emailaddress": _admin("email_address.pk", **OPERATOR_ONLY, delete=OPERATOR),
        "portal/user": _admin("users.learner.pk", **OPERATOR_ONLY, delete=OPERATOR),
        # changes of name are asked for on the profile page and decided by operators
        "portal/namechange": _admin(None, **{**NO_ROW, "add": NOBODY}),
        # the trust registry's external issuers are the operators'
        "recognition/trustedissuer": _admin(None, **NO_ROW),
        # the audit trail can be read, never written
        "portal/auditevent": _admin(
            "audit_event.pk",
            list_=OPERATOR,
            add=NOBODY,
            view=OPERATOR,
            change=NOBODY,
            delete=NOBODY,
        ),
        "alliances/alliance": _admin(
            "alliance.pk",
            list_=ADMIN_USERS,
            add=OPERATOR,
            view=ADMIN_USERS,
            change=frozenset({"alliance_admin", "operator"}),
            delete=OPERATOR,
        ),
        "alliances/institution": _admin(
            "institution.pk",
            list_=ADMIN_USERS,
            add=frozenset({"alliance_admin", "operator"}),
            view=OWNER_ADMINS,
            change=OWNER_ADMINS,
            delete=OPERATOR,
        ),
        "alliances/staffrole": _admin(
            "staff_role.pk",
            list_=ADMIN_USERS,
            add=ADMIN_USERS,
            view=OWNER_ADMINS,
            change=OWNER_ADMINS,
            delete=OWNER_ADMINS,
        ),
        "alliances/staffinvitation": _admin(
            "invitation.pk",
            list_=ADMIN_USERS,
            add=ADMIN_USERS,
            view=OWNER_ADMINS,
            change=OWNER_ADMINS,
            delete=OWNER_ADMINS,
        ),
        "alliances/alliancerole": _admin("alliance_role.pk", **OPERATOR_ONLY, delete=OPERATOR),
        "issuance/signingkey": _admin("signing_key.pk", **READ_ONLY_ROWS),
        "issuance/statuslist": _admin("status_list.pk", **READ_ONLY_ROWS),
        "issuance/credential": _admin("credential.pk", **READ_ONLY_ROWS),
        "issuance/issuancejob": _admin("job.pk", **READ_ONLY_ROWS),
        # the catalogue changes through its services only: operators look rows up
        "catalogue/programme": _admin("programme.pk", **OPERATOR_LOOKUP),
        "catalogue/programmeversion": _admin("programme.published_version_id", **OPERATOR_LOOKUP),
        "catalogue/offering": _admin("offering.pk", **OPERATOR_LOOKUP),
        "catalogue/enrolment": _admin("enrolment.pk", **OPERATOR_LOOKUP),
        "catalogue/pathway": _admin("pathway.pk", **OPERATOR_LOOKUP),
        "catalogue/assessmentresult": _admin(None, **OPERATOR_LOOKUP_NO_ROW),
        "catalogue/skill": _admin(None, **OPERATOR_LOOKUP_NO_ROW),
        "catalogue/occupation": _admin(None, **OPERATOR_LOOKUP_NO_ROW),
    }
)


# Operations of the API schema, "METHOD path". Creating endpoints validate the body before
# they can tell which institution it names, so an empty body is refused (400) for every
# signed-in caller; who may create what is checked with real bodies in test_api_writes.
API_OPERATIONS: dict[str, tuple[frozenset[str], dict[str, str]]] = {
    # VC-API: the verifiers are public; issuing and status changes take an OAuth2 client's
    # token (client credentials), which no session or API token of the cast is.
    "POST /vc-api/credentials/verify": (EVERYONE, {}),
    "POST /vc-api/presentations/verify": (EVERYONE, {}),
    "POST /vc-api/institutions/{slug}/credentials/issue": (NOBODY, {"slug": "institution.slug"}),
    "POST /vc-api/institutions/{slug}/credentials/status": (NOBODY, {"slug": "institution.slug"}),
    "GET /api/v1/me/": (SIGNED_IN, {}),
    "GET /api/v1/alliances/": (EVERYONE, {}),
    "POST /api/v1/alliances/": (SIGNED_IN, {}),
    "GET /api/v1/alliances/{slug}/": (EVERYONE, {"slug": "alliance.slug"}),
    "PATCH /api/v1/alliances/{slug}/": (
        frozenset({"alliance_admin", "operator"}),
        {"slug": "alliance.slug"},
    ),
    "GET /api/v1/institutions/": (EVERYONE, {}),
    "POST /api/v1/institutions/": (SIGNED_IN, {}),
    "GET /api/v1/institutions/{slug}/": (EVERYONE, {"slug": "institution.slug"}),
    "PATCH /api/v1/institutions/{slug}/": (OWNER_ADMINS, {"slug": "institution.slug"}),
    "GET /api/v1/institutions/{institution_slug}/staff/": (
        OWNER_ADMINS,
        {"institution_slug": "institution.slug"},
    ),
    "DELETE /api/v1/institutions/{institution_slug}/staff/{id}/": (
        OWNER_ADMINS,
        {"institution_slug": "institution.slug", "id": "staff_role.pk"},
    ),
    "GET /api/v1/institutions/{institution_slug}/invitations/": (
        OWNER_ADMINS,
        {"institution_slug": "institution.slug"},
    ),
    "POST /api/v1/institutions/{institution_slug}/invitations/": (
        OWNER_ADMINS,
        {"institution_slug": "institution.slug"},
    ),
    "DELETE /api/v1/institutions/{institution_slug}/invitations/{id}/": (
        OWNER_ADMINS,
        {"institution_slug": "institution.slug", "id": "invitation.pk"},
    ),
    # catalogue
    "GET /api/v1/programmes/": (EVERYONE, {}),
    "GET /api/v1/programmes/{slug}/": (EVERYONE, {"slug": "programme.slug"}),
    "GET /api/v1/programmes/{slug}/versions/": (EVERYONE, {"slug": "programme.slug"}),
    "GET /api/v1/programme-versions/{id}/": (EVERYONE, {"id": "programme.published_version_id"}),
    "GET /api/v1/skills/": (EVERYONE, {}),
    "GET /api/v1/pathways/": (EVERYONE, {}),
    "GET /api/v1/pathway-progress/": (SIGNED_IN, {}),
    "GET /api/v1/enrolments/": (SIGNED_IN, {}),
    "POST /api/v1/enrolments/": (SIGNED_IN, {}),
    "POST /api/v1/enrolments/{id}/withdraw/": (HOLDER, {"id": "enrolment.pk"}),
    # lists narrowed to the caller's institutions (empty for learners)
    "GET /api/v1/manage/programmes/": (SIGNED_IN, {}),
    "POST /api/v1/manage/programmes/": (SIGNED_IN, {}),
    "POST /api/v1/manage/pathways/": (SIGNED_IN, {}),
    "GET /api/v1/manage/programmes/{id}/": (OWNER_MANAGERS, {"id": "programme.pk"}),
    "PATCH /api/v1/manage/programmes/{id}/": (OWNER_MANAGERS, {"id": "programme.pk"}),
    "POST /api/v1/manage/programmes/{id}/submit/": (OWNER_MANAGERS, {"id": "programme.pk"}),
    "POST /api/v1/manage/programmes/{id}/approve/": (OWNER_MANAGERS, {"id": "programme.pk"}),
    "POST /api/v1/manage/programmes/{id}/request-changes/": (
        OWNER_MANAGERS,
        {"id": "programme.pk"},
    ),
    "POST /api/v1/manage/programmes/{id}/archive/": (OWNER_MANAGERS, {"id": "programme.pk"}),
    "GET /api/v1/manage/programmes/{id}/offerings/": (OWNER_MANAGERS, {"id": "programme.pk"}),
    "POST /api/v1/manage/programmes/{id}/offerings/": (OWNER_MANAGERS, {"id": "programme.pk"}),
    "GET /api/v1/manage/offerings/{id}/": (OWNER_MANAGERS, {"id": "offering.pk"}),
    "PATCH /api/v1/manage/offerings/{id}/": (OWNER_MANAGERS, {"id": "offering.pk"}),
    "GET /api/v1/manage/offerings/{id}/enrolments/": (OWNER_MANAGERS, {"id": "offering.pk"}),
    "GET /api/v1/manage/offerings/{id}/results/": (OWNER_MANAGERS, {"id": "offering.pk"}),
    "POST /api/v1/manage/offerings/{id}/results/": (OWNER_MANAGERS, {"id": "offering.pk"}),
    "GET /api/v1/manage/offerings/{id}/mentors/": (OWNER_MANAGERS, {"id": "offering.pk"}),
    "POST /api/v1/manage/offerings/{id}/mentors/": (OWNER_MANAGERS, {"id": "offering.pk"}),
    "GET /api/v1/manage/offerings/{id}/teams/": (OWNER_MANAGERS, {"id": "offering.pk"}),
    "POST /api/v1/manage/offerings/{id}/teams/": (OWNER_MANAGERS, {"id": "offering.pk"}),
    "GET /api/v1/mentor/offerings/": (SIGNED_IN, {}),
    "POST /api/v1/mentor/offerings/{id}/results/": (NOBODY, {"id": "offering.pk"}),
    "POST /api/v1/manage/result-uploads/": (SIGNED_IN, {}),
    "POST /api/v1/manage/result-uploads/{id}/confirm/": (
        RESULTS_UPLOADER,
        {"id": "result_upload.pk"},
    ),
    # issuance
    "POST /api/v1/credentials/verify": (EVERYONE, {}),
    "POST /api/v1/credentials/verify-source": (EVERYONE, {}),
    "POST /api/v1/presentations/verify": (EVERYONE, {}),
    "GET /api/v1/wallet/credentials/": (SIGNED_IN, {}),
    "GET /api/v1/wallet/share-links/": (SIGNED_IN, {}),
    "POST /api/v1/wallet/share-links/": (SIGNED_IN, {}),
    "POST /api/v1/wallet/share-links/{id}/revoke/": (HOLDER, {"id": "share_link.pk"}),
    "GET /api/v1/credentials/": (SIGNED_IN, {}),
    "GET /api/v1/credentials/{uuid}/": (OWNER_ADMINS, {"uuid": "credential.uuid"}),
    "POST /api/v1/credentials/{uuid}/revoke/": (OWNER_ADMINS, {"uuid": "credential.uuid"}),
    "POST /api/v1/credentials/{uuid}/suspend/": (OWNER_ADMINS, {"uuid": "credential.uuid"}),
    "POST /api/v1/credentials/{uuid}/unsuspend/": (OWNER_ADMINS, {"uuid": "credential.uuid"}),
    "POST /api/v1/credentials/{uuid}/retry/": (OWNER_ADMINS, {"uuid": "credential.uuid"}),
    "GET /api/v1/offerings/{id}/issuance/": (OWNER_MANAGERS, {"id": "offering.pk"}),
    "POST /api/v1/offerings/{id}/issuance/": (OWNER_MANAGERS, {"id": "offering.pk"}),
    "GET /api/v1/issuance-jobs/{id}/": (OWNER_ADMINS, {"id": "job.pk"}),
    "POST /api/v1/issuance-jobs/{id}/resume/": (OWNER_ADMINS, {"id": "job.pk"}),
    # recognition
    "GET /api/v1/recognition/institutions/{slug}/policy/": (
        EVERYONE,
        {"slug": "institution.slug"},
    ),
    "PUT /api/v1/recognition/institutions/{slug}/policy/": (
        SIGNED_IN,
        {"slug": "institution.slug"},
    ),
    "GET /api/v1/recognition/institutions/{slug}/statistics/": (
        EVERYONE,
        {"slug": "institution.slug"},
    ),
    # the list needs ?institution=; without it, it answers 404 to everyone
    "GET /api/v1/recognition/targets/": (NOBODY, {}),
    "POST /api/v1/recognition/targets/": (SIGNED_IN, {}),
    "GET /api/v1/recognition/targets/{id}/": (EVERYONE, {"id": "target.pk"}),
    "PATCH /api/v1/recognition/targets/{id}/": (TARGET_KEEPERS, {"id": "target.pk"}),
    "POST /api/v1/recognition/target-uploads/": (SIGNED_IN, {}),
    "POST /api/v1/recognition/target-uploads/{id}/confirm/": (
        TARGETS_UPLOADER,
        {"id": "target_upload.pk"},
    ),
    "GET /api/v1/recognition/available-credentials/": (SIGNED_IN, {}),
    "GET /api/v1/recognition/requests/": (SIGNED_IN, {}),
    "POST /api/v1/recognition/requests/": (SIGNED_IN, {}),
    "GET /api/v1/recognition/requests/{id}/": (REQUEST_PARTIES, {"id": "open_request.pk"}),
    "POST /api/v1/recognition/requests/{id}/take/": (ASSESSORS, {"id": "open_request.pk"}),
    "POST /api/v1/recognition/requests/{id}/release/": (ASSESSORS, {"id": "open_request.pk"}),
    "POST /api/v1/recognition/requests/{id}/checks/": (ASSESSORS, {"id": "open_request.pk"}),
    "POST /api/v1/recognition/requests/{id}/holder-challenge/": (
        HOLDER,
        {"id": "open_request.pk"},
    ),
    "POST /api/v1/recognition/requests/{id}/holder-proof/": (HOLDER, {"id": "open_request.pk"}),
    "POST /api/v1/recognition/requests/{id}/identity-check/": (
        ASSESSORS,
        {"id": "open_request.pk"},
    ),
    "GET /api/v1/recognition/requests/{id}/messages/": (
        REQUEST_PARTIES,
        {"id": "open_request.pk"},
    ),
    "POST /api/v1/recognition/requests/{id}/messages/": (
        REQUEST_PARTIES,
        {"id": "open_request.pk"},
    ),
    "POST /api/v1/recognition/requests/{id}/attachments/": (HOLDER, {"id": "open_request.pk"}),
    "POST /api/v1/recognition/requests/{id}/decision/": (ASSESSORS, {"id": "open_request.pk"}),
    "POST /api/v1/recognition/requests/{id}/accept/": (HOLDER, {"id": "decided_request.pk"}),
    "POST /api/v1/recognition/requests/{id}/withdraw/": (HOLDER, {"id": "open_request.pk"}),
    "POST /api/v1/recognition/requests/{id}/appeal/": (HOLDER, {"id": "decided_request.pk"}),
    "GET /api/v1/recognition/requests/{id}/audit/": (ASSESSORS, {"id": "open_request.pk"}),
    "POST /api/v1/recognition/decisions/{id}/review/": (ASSESSORS, {"id": "decision.pk"}),
    "GET /api/v1/recognition/appeals/": (SIGNED_IN, {}),
    "GET /api/v1/recognition/appeals/{id}/": (ASSESSORS, {"id": "appeal.pk"}),
    # bob decided the case, so the appeal goes to another assessor of A
    "POST /api/v1/recognition/appeals/{id}/take/": (
        frozenset({"owner_staff"}),
        {"id": "appeal.pk"},
    ),
    "POST /api/v1/recognition/appeals/{id}/decision/": (ASSESSORS, {"id": "appeal.pk"}),
    "GET /api/v1/recognition/agreements/": (SIGNED_IN, {}),
    "POST /api/v1/recognition/agreements/": (SIGNED_IN, {}),
    "POST /api/v1/recognition/agreements/{id}/end/": (AGREEMENT_KEEPERS, {"id": "agreement.pk"}),
    "GET /api/v1/recognition/programmes/{slug}/prospects/": (EVERYONE, {"slug": "programme.slug"}),
    "GET /api/v1/recognition/preapprovals/": (SIGNED_IN, {}),
    "POST /api/v1/recognition/preapprovals/": (SIGNED_IN, {}),
    "GET /api/v1/recognition/preapprovals/{id}/": (REQUEST_PARTIES, {"id": "preapproval.pk"}),
    "POST /api/v1/recognition/preapprovals/{id}/decision/": (
        ASSESSORS,
        {"id": "preapproval.pk"},
    ),
    "POST /api/v1/recognition/preapprovals/{id}/withdraw/": (HOLDER, {"id": "preapproval.pk"}),
    "GET /api/v1/recognition/blanket-rules/": (EVERYONE, {}),
    "POST /api/v1/recognition/blanket-rules/": (SIGNED_IN, {}),
    "POST /api/v1/recognition/blanket-rules/{id}/countersign/": (
        SIGNED_IN,
        {"id": "blanket_rule.pk"},
    ),
    "POST /api/v1/recognition/blanket-rules/{id}/withdraw/": (
        ALLIANCE_ADMIN,
        {"id": "blanket_rule.pk"},
    ),
    "GET /api/v1/recognition/grading-schemes/": (EVERYONE, {}),
    "GET /api/v1/recognition/institutions/{slug}/grading-tables/": (
        EVERYONE,
        {"slug": "institution.slug"},
    ),
    "POST /api/v1/recognition/institutions/{slug}/grading-tables/": (
        ASSESSORS,
        {"slug": "institution.slug"},
    ),
    "POST /api/v1/recognition/institutions/{slug}/grading-tables/compute/": (
        ASSESSORS,
        {"slug": "institution.slug"},
    ),
    # the world's decision is a refusal: it has no converted grade to read
    "GET /api/v1/recognition/decisions/{id}/grade/": (NOBODY, {"id": "decision.pk"}),
    "POST /api/v1/recognition/decisions/{id}/grade/": (ASSESSORS, {"id": "decision.pk"}),
    "POST /api/v1/recognition/decisions/{id}/booking/": (ASSESSORS, {"id": "decision.pk"}),
    "GET /api/v1/recognition/bookings/": (SIGNED_IN, {}),
    "POST /api/v1/recognition/bookings/{id}/confirm/": (NOBODY, {"id": "999999"}),
    "GET /api/v1/recognition/bookings/{id}/elmo.xml": (NOBODY, {"id": "999999"}),
    "GET /api/v1/recognition/bookings/{id}/elm.jsonld": (NOBODY, {"id": "999999"}),
    "GET /api/v1/recognition/requests/{id}/transcripts/": (
        REQUEST_PARTIES,
        {"id": "open_request.pk"},
    ),
    "POST /api/v1/recognition/requests/{id}/transcripts/": (HOLDER, {"id": "open_request.pk"}),
}
