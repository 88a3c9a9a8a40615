"""Was it revoked or suspended? Each status entry is read from its status list, which must
itself verify and come from the credential's issuer. Fails closed: a list that cannot be
fetched, or does not verify, is reported as such and never as "not revoked"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from credential_format.contexts import OfflineDocumentLoader
from credential_format.errors import CredentialFormatError
from credential_format.status_list import check_status_entry
from credential_format.verification.budget import out_of_time
from credential_format.verification.fetchers import Fetcher, FetchError
from credential_format.verification.limits import MAX_STATUS_ENTRIES
from credential_format.verification.report import Outcome, VerificationReport
from credential_format.verification.values import as_list


def check_credential_status(
    document: dict[str, Any],
    report: VerificationReport,
    fetcher: Fetcher,
    now: datetime,
    loader: OfflineDocumentLoader,
    minimum_entries: int,
) -> None:
    # A status list is itself a credential (imported here: verifying one checks status).
    from credential_format.verification.credential import verify_credential

    entries = as_list(document.get("credentialStatus"))
    if not entries:
        report.add("status", Outcome.NOT_APPLICABLE, "The credential has no revocation status.")
        return
    if len(entries) > MAX_STATUS_ENTRIES:
        report.add("status", Outcome.FAILED, "Too many status entries.", "DOCUMENT_TOO_LARGE")
        return
    for index, entry in enumerate(entries):
        if out_of_time(report):
            return
        check_id = "status" if len(entries) == 1 else f"status[{index}]"
        purpose = entry.get("statusPurpose") if isinstance(entry, dict) else None
        list_url = entry.get("statusListCredential") if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            report.add(
                check_id,
                Outcome.FAILED,
                "The credential's status uses a mechanism this verifier cannot check, so it "
                "cannot be confirmed as not revoked.",
                "STATUS_TYPE_UNSUPPORTED",
            )
            continue
        if not isinstance(list_url, str):
            report.add(
                check_id,
                Outcome.FAILED,
                "The status entry names no status list.",
                "STATUS_VERIFICATION_ERROR",
            )
            continue
        try:
            status_list = fetcher.fetch_json(list_url)
        except (FetchError, CredentialFormatError) as error:
            report.add(
                check_id,
                Outcome.FAILED,
                f"The status list could not be reached ({error}), so revocation could not be "
                "checked. This does not mean the credential is revoked: try again later.",
                "STATUS_RETRIEVAL_ERROR",
                statusListCredential=list_url,
            )
            continue
        list_report = verify_credential(
            status_list, fetcher=fetcher, now=now, loader=loader, check_status=False
        )
        if not list_report.verified:
            reasons = "; ".join(c.reason for c in list_report.errors)
            report.add(
                check_id,
                Outcome.FAILED,
                f"The status list itself is invalid ({reasons}), so revocation could not be "
                "checked. Tell the issuer.",
                "STATUS_VERIFICATION_ERROR",
                statusListCredential=list_url,
            )
            continue
        if list_report.issuer != report.issuer:
            # Only the issuer can revoke: a list signed by anyone else says nothing about this
            # credential, whatever its bits are.
            report.add(
                f"{check_id}.issuer",
                Outcome.FAILED,
                f"The status list is published by {list_report.issuer}, not by the credential's "
                "issuer, so it cannot tell whether the credential was revoked. Tell the issuer.",
                "STATUS_ISSUER_MISMATCH",
                statusListIssuer=list_report.issuer,
            )
            continue
        try:
            result = check_status_entry(entry, status_list, minimum_entries=minimum_entries)
        except CredentialFormatError as error:
            report.add(
                check_id,
                Outcome.FAILED,
                f"The status could not be read: {error}",
                error.code,
                statusListCredential=list_url,
            )
            continue
        if result.is_set and purpose == "revocation":
            report.add(
                check_id, Outcome.FAILED, "The issuer has revoked this credential.", "REVOKED"
            )
        elif result.is_set and purpose == "suspension":
            report.add(
                check_id,
                Outcome.FAILED,
                "The issuer has suspended this credential; it may be reinstated later. Contact "
                "the issuer.",
                "SUSPENDED",
            )
        elif result.is_set:
            report.add(
                check_id,
                Outcome.WARNING,
                f"The {purpose} status is set" + (f": {result.message}" if result.message else "."),
                "STATUS_SET",
                statusPurpose=purpose,
            )
        else:
            report.add(
                check_id,
                Outcome.PASSED,
                f"Not {purpose or 'flagged'}: the status list was checked.",
                "VALID",
                statusPurpose=purpose,
            )
