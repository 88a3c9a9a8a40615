"""Issuing and updating the status of credentials through the VC-API.

An institution's VC-API clients (OAuth2 client-credentials clients, `VcApiClient`) send a
credential to sign; the portal signs it with the institution's active key, gives it a random
position in the institution's status lists and records it, so the client can later revoke or
suspend it. The same key, the same status list services and the same signing code as the
portal's own issuing are used; only the document comes from the client.

The issuer may name the institution either by its did:web (verifiers that resolve did:web) or
by the did:key of its active key (verifiers that resolve only identifiers they can compute,
such as the W3C conformance suites): the proof's verification method, and the status lists,
follow the identifier the credential names (docs/decisions/vc-api.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application, set_token_value
from oauthlib.common import generate_token

from alliances.models import Institution
from credential_format.contexts import CREDENTIALS_V2_URL, document_loader
from credential_format.data_model import data_model_problems
from credential_format.errors import CredentialFormatError
from credential_format.signing import add_proof, format_created
from credential_format.verification.document import check_contexts, check_shape, check_terms
from credential_format.verification.report import Outcome, VerificationReport
from credential_format.verification.values import as_list, issuer_id, parse_datetime
from issuance import identity, status_lists
from issuance.models import SigningKey, VcApiClient, VcApiCredential
from issuance.signing_keys import (
    active_signing_key,
    did_key_method_id,
    did_key_signer,
    signer_for_institution,
)
from portal.audit import record_event
from portal.errors import ConflictError, DomainError

# OAuth2 scopes a VC-API client may be granted.
SCOPE_ISSUE = "credentials:issue"
SCOPE_STATUS = "credentials:status"
# Their descriptions are the OAuth2 server's (settings.OAUTH2_PROVIDER["SCOPES"]).
SCOPES = cast(dict[str, str], settings.OAUTH2_PROVIDER["SCOPES"])
STATUS_PURPOSES = ("revocation", "suspension")


class NotFoundError(DomainError):
    status_code = 404
    code = "not_found"


@dataclass(frozen=True)
class IssuerIds:
    did_web: str
    did_key: str


def issuer_ids(institution: Institution) -> IssuerIds:
    """The two identifiers the institution issues under through the VC-API."""
    key = active_signing_key(institution)
    return IssuerIds(
        did_web=identity.institution_did(institution),
        did_key=did_key_method_id(key).split("#", 1)[0],
    )


def _check_issuable(credential: dict[str, Any]) -> None:
    """Refuse what could not be a conforming credential once signed, saying why."""
    if "proof" in credential:
        raise DomainError(
            "The credential already carries a proof; send it without one.", code="invalid"
        )
    report = VerificationReport()
    if check_shape(credential, report) is not None and check_contexts(
        credential, report, document_loader
    ):
        check_terms(credential, report, document_loader)
    _check_dates(credential, report)
    problems = [error.reason for error in report.errors]
    model_problems = data_model_problems(credential)
    if model_problems:
        problems.append(f"This is not a conforming credential: {'; '.join(model_problems)}.")
    if problems:
        raise DomainError(" ".join(problems), code="invalid_credential")


def _check_dates(credential: dict[str, Any], report: VerificationReport) -> None:
    for name in ("validFrom", "validUntil", "issuanceDate", "expirationDate"):
        if name in credential and parse_datetime(credential[name]) is None:
            report.add(
                "dates",
                Outcome.FAILED,
                f"{name} is not an XML Schema dateTime.",
                "PARSING_ERROR",
            )


def _created(options: dict[str, Any]) -> str | datetime:
    created = options.get("created")
    if created is None:
        return datetime.now(UTC)
    if not isinstance(created, str) or parse_datetime(created) is None:
        raise DomainError("options.created is not an XML Schema dateTime.", code="invalid")
    return created


def issue_credential(
    *, client: VcApiClient, credential: dict[str, Any], options: dict[str, Any]
) -> dict[str, Any]:
    """Sign `credential` in the name of the client's institution and return it.

    A VC 2.0 credential without a status of its own gets one status entry, a revocation entry,
    in the issuer's status lists (docs/decisions/one-status-entry-per-open-badge.md); the
    position is recorded for the status endpoint.
    """
    institution = client.institution
    _check_issuable(credential)
    key: SigningKey = active_signing_key(institution)
    ids = issuer_ids(institution)
    named = issuer_id(credential)
    if named == ids.did_web:
        signer = signer_for_institution(institution)
        list_key = None
    elif named == ids.did_key:
        signer = did_key_signer(key)
        list_key = key
    else:
        raise DomainError(
            f"The credential's issuer is {named!r}; this endpoint issues only for "
            f"{institution.legal_name}, as {ids.did_web} or {ids.did_key}.",
            code="issuer_mismatch",
        )
    created = _created(options)
    with_status = (
        as_list(credential.get("@context"))[:1] == [CREDENTIALS_V2_URL]
        and "credentialStatus" not in credential
    )
    with transaction.atomic():
        document = dict(credential)
        record = None
        if with_status:
            [(status_list, index)] = status_lists.allocate_indices(
                institution, 1, did_key_signing_key=list_key
            )
            document["credentialStatus"] = status_lists.credential_status_entry(status_list, index)
            record = VcApiCredential(
                institution=institution,
                client=client,
                credential_id=str(credential.get("id") or "")[:500],
                issuer_id=str(named),
                status_list=status_list,
                status_index=index,
            )
        try:
            signed = add_proof(document, signer, created=created)
        except CredentialFormatError as error:
            raise DomainError(
                f"The credential cannot be signed: {error}", code="invalid"
            ) from error
        if record is not None:
            record.save()
        record_event(
            actor=None,
            action="vc_api.issued",
            institution_id=institution.pk,
            data={
                "client": client.application.client_id,
                "credential_id": str(credential.get("id") or ""),
                "issuer": str(named),
                "created": created if isinstance(created, str) else format_created(created),
            },
        )
    return signed


def _wanted_status(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "1", 1):
        return True
    if value in ("false", "0", 0):
        return False
    raise DomainError("Each credentialStatus entry's status must be true or false.", code="invalid")


def update_status(
    *, client: VcApiClient, credential_id: str, changes: list[dict[str, Any]]
) -> VcApiCredential:
    """Revoke, suspend or reinstate a credential the client's institution issued through the
    VC-API. Each change names a `statusPurpose` (revocation or suspension) and the `status` to
    set. Revocation is final; suspension exists only for the credentials issued with a
    suspension entry (before docs/decisions/one-status-entry-per-open-badge.md)."""
    institution = client.institution
    wanted: dict[str, bool] = {}
    for change in changes:
        purpose = change.get("statusPurpose")
        if purpose not in STATUS_PURPOSES:
            raise DomainError(
                "Each credentialStatus entry needs a statusPurpose: revocation or suspension.",
                code="invalid",
            )
        wanted[purpose] = _wanted_status(change.get("status"))
    if not wanted:
        raise DomainError("Say which status to set in credentialStatus.", code="invalid")
    with transaction.atomic():
        record = (
            VcApiCredential.objects.select_for_update()
            .filter(institution=institution, credential_id=credential_id)
            .first()
        )
        if record is None:
            raise NotFoundError(
                f"{institution.legal_name} issued no credential {credential_id} with a status "
                "through the VC-API."
            )
        if record.revoked_at is not None and wanted.get("revocation") is False:
            raise ConflictError("A revoked credential cannot be reinstated.")
        if "suspension" in wanted and not record.carries_suspension_entry:
            raise ConflictError(
                "This credential carries no suspension status entry, so a suspension could "
                "not be seen by its verifiers; only revocation can be set."
            )
        now = timezone.now()
        for purpose, value in wanted.items():
            field = "revoked_at" if purpose == "revocation" else "suspended_at"
            if (getattr(record, field) is not None) == value:
                continue
            status_lists.set_status(record.status_list_id, record.status_index, purpose, value)
            setattr(record, field, now if value else None)
        record.save(update_fields=["revoked_at", "suspended_at"])
        record_event(
            actor=None,
            action="vc_api.status_updated",
            target=record,
            institution_id=institution.pk,
            data={
                "client": client.application.client_id,
                "credential_id": credential_id,
                "status": wanted,
            },
        )
    return record


@transaction.atomic
def register_client(institution: Institution, name: str) -> tuple[str, str]:
    """A new OAuth2 client (client-credentials grant) of the institution's VC-API; returns its
    client id and secret. The secret is stored only hashed, so this is the one time it is seen."""
    secret = generate_client_secret()
    application = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
    )
    client = VcApiClient.objects.create(application=application, institution=institution)
    record_event(
        actor=None,
        action="vc_api.client_registered",
        target=client,
        institution_id=institution.pk,
        data={"client": application.client_id, "name": name},
    )
    return application.client_id, secret


TEST_CLIENT_NAME = "VC-API test client"
TEST_TOKEN_LIFETIME = timedelta(hours=12)


@transaction.atomic
def test_client_token(institution: Institution) -> str:
    """A bearer token, granted every VC-API scope, of the institution's test client (created on
    first use): what conformance test runs and developers put in an `Authorization` header."""
    client = (
        VcApiClient.objects.select_related("application")
        .filter(institution=institution, application__name=TEST_CLIENT_NAME)
        .first()
    )
    if client is None:
        application = Application.objects.create(
            name=TEST_CLIENT_NAME,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        )
        client = VcApiClient.objects.create(application=application, institution=institution)
    plain = generate_token()
    token = AccessToken(
        application=client.application,
        expires=timezone.now() + TEST_TOKEN_LIFETIME,
        scope=" ".join(SCOPES),
    )
    set_token_value(token, plain)  # stored only as a checksum
    token.save()
    record_event(
        actor=None,
        action="vc_api.test_token_created",
        target=client,
        institution_id=institution.pk,
        data={"client": client.application.client_id, "expires": token.expires.isoformat()},
    )
    return plain
