"""Issuing credentials exactly once.

1. Recording a pass (catalogue's `result_passed` signal) persists one `Credential` row per
   pass in state `pending`, in the same transaction, and queues its id after commit.
2. A worker claims pending rows with `select_for_update(skip_locked=True)`, allocates status
   list positions, builds and signs the Open Badges 3.0 documents in one batch, verifies its own
   output, and stores everything in the same transaction. A duplicate, retried or crashed task
   finds nothing pending (or rolls back entirely), so no credential is issued twice.
3. Joint programmes: each partner institution signs an Open Badges endorsement of the
   credential, embedded before the coordinator signs, in the same step
   (docs/decisions/joint-credentials-as-endorsements.md). Rows left in `cosigning` by the earlier
   co-signature shape are finished the same way.
4. A periodic sweeper re-queues intents that stayed pending, so a broker outage at commit
   time loses nothing.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from alliances.models import Institution
from catalogue import permissions as catalogue_permissions
from catalogue.models import (
    AssessmentResult,
    CredentialRelease,
    Offering,
    Pathway,
    ProgrammeVersion,
    ResultOutcome,
)
from catalogue.services import ConflictOfInterestError
from credential_format import builders
from credential_format.endorsements import embed_endorsements
from credential_format.errors import CredentialFormatError
from credential_format.keys import public_key_from_multibase
from credential_format.signing import (
    Signer,
    add_proof,
    sign_credentials,
    unsecured_document,
    verify_last_proofs,
    with_proof_list,
)
from issuance import claims as claims_mapping
from issuance import permissions as issuance_permissions
from issuance import status_lists
from issuance.models import (
    OPEN_STATES,
    Credential,
    CredentialKind,
    CredentialState,
    IssuanceJob,
    SigningKey,
)
from issuance.signals import credential_revoked, credentials_issued
from issuance.signing_keys import signer_for_institution
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User
from portal.tasking import enqueue_on_commit

logger = logging.getLogger(__name__)

# Credentials signed per task: large enough to amortise the transaction and the status-list
# lock, small enough that a crashed worker redoes little.
BATCH_SIZE = 250
# An intent still pending after this long was probably never queued (broker down at commit).
STALE_PENDING_AFTER = timedelta(minutes=2)


def _now_text(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def queue_issuance(credential_ids: Sequence[int]) -> None:
    from issuance.tasks import issue_credentials

    for start in range(0, len(credential_ids), BATCH_SIZE):
        enqueue_on_commit(issue_credentials, list(credential_ids[start : start + BATCH_SIZE]))


# -- intents ----------------------------------------------------------------------------------


def plan_credentials_for_results(
    results: list[AssessmentResult], **_signal: Any
) -> list[IssuanceJob]:
    """Receiver of `catalogue.signals.result_passed`: one pending credential per newly passed result,
    grouped into one issuance job per offering, in the caller's transaction."""
    if not results:
        return []
    versions = ProgrammeVersion.objects.in_bulk({result.version_id for result in results})
    offerings = Offering.objects.in_bulk({result.offering_id for result in results})
    by_offering: dict[int, list[AssessmentResult]] = defaultdict(list)
    for result in results:
        # A held offering's passes wait for staff to release them (`issue_offering_passes`).
        if offerings[result.offering_id].credential_release == CredentialRelease.HELD:
            continue
        by_offering[result.offering_id].append(result)
    jobs = []
    for offering_id, offering_results in by_offering.items():
        version = versions[offering_results[0].version_id]
        job = IssuanceJob.objects.create(
            offering=offerings[offering_id],
            institution_id=claims_mapping.coordinator_id(version),
            requested_by_id=offering_results[0].recorded_by_id,
            description=_("Passes recorded for %(title)s (%(offering)s)")
            % {"title": version.title_en, "offering": offerings[offering_id].code},
        )
        _insert_result_intents(job, offering_results, versions)
        jobs.append(job)
    # Results that already had an open credential were skipped: theirs is queued already.
    queue_issuance(
        list(
            Credential.objects.filter(job__in=jobs, state=CredentialState.PENDING).values_list(
                "pk", flat=True
            )
        )
    )
    return jobs


def _insert_result_intents(
    job: IssuanceJob,
    results: Sequence[AssessmentResult],
    versions: dict[int, ProgrammeVersion],
) -> None:
    """One pending credential per result, skipping results that already have an open one
    (the partial unique constraint on the natural key).

    A prepared `INSERT ... ON CONFLICT DO NOTHING` runs once per row in a pipeline, with the
    values every row shares prepared once: for a cohort of thousands, `bulk_create` spends
    seconds preparing each field of each row."""
    connection = transaction.get_connection()
    fields = [field for field in Credential._meta.concrete_fields if not field.primary_key]
    shared = Credential(
        kind=CredentialKind.MICRO, state=CredentialState.PENDING, job=job, created_at=timezone.now()
    )
    prepared = {
        field.attname: field.get_db_prep_save(getattr(shared, field.attname), connection)
        for field in fields
    }
    uuid_field = Credential._meta.get_field("uuid")
    rows = []
    for result in results:
        version = versions[result.version_id]
        values = {
            **prepared,
            "uuid": uuid_field.get_db_prep_value(uuid.uuid4(), connection),
            "natural_key": f"result:{result.pk}",
            "learner_id": result.learner_id,
            "issuer_id": claims_mapping.coordinator_id(version),
            "programme_version_id": result.version_id,
            "result_id": result.pk,
            "title": version.title_en,
        }
        rows.append([values[field.attname] for field in fields])
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {quote(Credential._meta.db_table)} ({columns}) "  # noqa: S608 (model names)
        f"VALUES ({placeholders}) ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def withdraw_credentials_for_results(results: list[AssessmentResult], **_signal: Any) -> None:
    """Receiver of `catalogue.signals.result_withdrawn`: a pass corrected to a fail cancels a credential
    not issued yet and revokes an issued one."""
    keys = [f"result:{result.pk}" for result in results]
    Credential.objects.filter(
        natural_key__in=keys, state__in=[CredentialState.PENDING, CredentialState.FAILED]
    ).update(state=CredentialState.CANCELLED, failure_reason="The result was corrected to a fail.")
    for credential in Credential.objects.filter(
        natural_key__in=keys,
        state__in=[CredentialState.ISSUED, CredentialState.COSIGNING],
        revoked_at__isnull=True,
    ):
        _revoke(credential, actor=None, reason=_("The assessment result was corrected."))


def reissue_credentials_for_corrected_grades(
    results: list[AssessmentResult], **_signal: Any
) -> list[IssuanceJob]:
    """Receiver of `catalogue.signals.result_grade_corrected`: a signed credential stating the
    old grade is revoked with the correction as its reason (the learner is told) and a new one
    is issued with the corrected grade. A credential not signed yet reads the grade when it is
    signed, so it needs nothing."""
    reissue = []
    for result in results:
        for credential in Credential.objects.select_for_update().filter(
            natural_key=f"result:{result.pk}",
            state__in=[CredentialState.ISSUED, CredentialState.COSIGNING],
            revoked_at__isnull=True,
        ):
            _revoke(
                credential,
                actor=None,
                reason=_(
                    "The grade was corrected from %(old)s to %(new)s; a new credential "
                    "with the corrected grade replaces this one."
                )
                % {"old": getattr(result, "previous_grade", "") or "-", "new": result.grade},
            )
            reissue.append(result)
    return plan_credentials_for_results(reissue)


# -- issuing ----------------------------------------------------------------------------------


@dataclass
class BatchOutcome:
    issued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def _build_document(
    credential: Credential, status_entry: dict[str, Any], issued_on: str
) -> dict[str, Any]:
    if credential.kind == CredentialKind.MICRO:
        assert credential.programme_version is not None
        return builders.build_micro_credential(
            claims_mapping.micro_credential_claims(
                credential_id=credential.credential_id,
                version=credential.programme_version,
                learner=credential.learner,
                result=credential.result,
                issued_on=issued_on,
                credential_status=(status_entry,),
            )
        )
    if credential.kind == CredentialKind.PATHWAY:
        document = builders.build_pathway_credential(
            claims_mapping.pathway_claims(credential=credential, issued_on=issued_on)
        )
    else:
        document = builders.build_recognition_credential(
            claims_mapping.recognition_claims(credential=credential, issued_on=issued_on)
        )
    document["credentialStatus"] = builders.status_value((status_entry,))
    return document


ENDORSEMENT_COMMENT = (
    "Co-awarded by this institution as a partner of the joint programme the learner completed."
)


class _PartnerSigners:
    """The partners' signers for one batch (each institution's key is unwrapped once)."""

    def __init__(self) -> None:
        self._signers: dict[int, Signer] = {}

    def endorsed(
        self, credential: Credential, document: dict[str, Any], issued_on: str
    ) -> dict[str, Any]:
        """`document` with a signed endorsement by each partner of a joint programme."""
        if credential.programme_version is None:
            return document
        partners = claims_mapping.partner_bodies(credential.programme_version)
        missing = [pid for pid, _ in partners if pid not in self._signers]
        for institution in Institution.objects.filter(pk__in=missing):
            self._signers[institution.pk] = signer_for_institution(institution)
        return embed_endorsements(
            document,
            [(body, self._signers[pid]) for pid, body in partners],
            issued_on=issued_on,
            comment=ENDORSEMENT_COMMENT,
        )


def serialise(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


class _RecordingSigner:
    """Passes signing through to the institution's signer and keeps what it signed, so the
    batch's self-check can verify every signature against the published public key."""

    def __init__(self, signer: Signer):
        self._signer = signer
        self.signed: list[tuple[bytes, bytes]] = []

    @property
    def verification_method(self) -> str:
        return self._signer.verification_method

    def sign(self, data: bytes) -> bytes:
        signature = self._signer.sign(data)
        self.signed.append((data, signature))
        return signature


def _self_check(
    signed: list[dict[str, Any]],
    documents_json: list[str],
    signatures: list[tuple[bytes, bytes]],
    public_key: Ed25519PublicKey,
) -> list[str | None]:
    """Check a signed batch before it is stored; one error message (or None) per document.

    - every signature verifies with the institution's published key (the key that signed
      is the key verifiers will resolve);
    - the stored text parses back to exactly the signed document (nothing lost or changed by
      serialising);
    - the first document is verified in full from its stored text, as a verifier reads it
      (canonicalisation included), so a systematic fault fails the batch.
    """
    problems: list[str | None] = []
    for document, text, (data, signature) in zip(signed, documents_json, signatures, strict=True):
        try:
            public_key.verify(signature, data)
        except InvalidSignature:
            problems.append("the signature does not verify with the published key")
            continue
        if json.loads(text) != document:
            problems.append("the stored document differs from the signed one")
            continue
        problems.append(None)
    if documents_json and problems[0] is None:
        (error,) = verify_last_proofs([json.loads(documents_json[0])], public_key)
        if error is not None:
            problems = [f"full verification of the batch's first document failed: {error}"] * len(
                problems
            )
    return problems


def issue_pending_credentials(credential_ids: Iterable[int]) -> BatchOutcome:
    """Sign and store every still-pending credential among `credential_ids` (worker side)."""
    outcome = BatchOutcome()
    with transaction.atomic():
        credentials = list(
            Credential.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=list(credential_ids), state=CredentialState.PENDING)
            .select_related("learner", "issuer", "result")
            .order_by("pk")
        )
        if not credentials:
            return outcome
        # A batch is usually one programme version: parse its snapshot once, not per row.
        versions = ProgrammeVersion.objects.in_bulk(
            {c.programme_version_id for c in credentials if c.programme_version_id}
        )
        for credential in credentials:
            if credential.programme_version_id:
                credential.programme_version = versions[credential.programme_version_id]
        issued_at = timezone.now().replace(microsecond=0)
        issued_on = _now_text(issued_at)
        by_issuer: dict[int, list[Credential]] = defaultdict(list)
        for credential in credentials:
            by_issuer[credential.issuer_id].append(credential)
        for group in by_issuer.values():
            _issue_group(group, issued_at, issued_on, outcome)
        _store_batch(credentials)
        record_event(
            actor=None,
            action="credentials.issued",
            data={"issued": len(outcome.issued), "failed": len(outcome.failed)},
        )
        after_issue(outcome.issued)
    return outcome


def _issue_group(
    group: list[Credential], issued_at: datetime, issued_on: str, outcome: BatchOutcome
) -> None:
    issuer: Institution = group[0].issuer
    signer = _RecordingSigner(signer_for_institution(issuer))
    key = SigningKey.objects.get(institution=issuer, state="active")
    allocations = status_lists.allocate_indices(issuer, len(group))
    partner_signers = _PartnerSigners()
    buildable: list[tuple[Credential, dict[str, Any]]] = []
    for credential, (status_list, index) in zip(group, allocations, strict=True):
        credential.attempts += 1
        credential.status_list = status_list
        credential.status_index = index
        try:
            document = partner_signers.endorsed(
                credential,
                _build_document(
                    credential,
                    status_lists.credential_status_entry(status_list, index),
                    issued_on,
                ),
                issued_on,
            )
        except (
            builders.IncompleteClaimsError,
            CredentialFormatError,
            KeyError,
            ValueError,
        ) as error:
            _fail(credential, str(error), outcome)
            continue
        buildable.append((credential, document))
    try:
        signed = sign_credentials(
            [document for _, document in buildable], signer, created=issued_on
        )
    except CredentialFormatError:
        # One bad document must not fail its neighbours: sign one by one to find it.
        signer.signed.clear()
        signed = []
        kept = []
        for credential, document in buildable:
            try:
                signed.append(add_proof(document, signer, created=issued_on))
                kept.append((credential, document))
            except CredentialFormatError as error:
                _fail(credential, str(error), outcome)
        buildable = kept
    signed = [with_proof_list(document) for document in signed]
    documents_json = [serialise(document) for document in signed]
    problems = _self_check(
        signed, documents_json, signer.signed, public_key_from_multibase(key.public_key_multibase)
    )
    for (credential, _unsigned), document_json, problem in zip(
        buildable, documents_json, problems, strict=True
    ):
        if problem:
            _fail(credential, f"self-check failed: {problem}", outcome)
            continue
        credential.document_json = document_json
        credential.issued_at = issued_at
        credential.failure_reason = ""
        credential.state = CredentialState.ISSUED
        outcome.issued.append(credential.pk)


_STORED_FIELDS = (
    "state",
    "document_json",
    "status_list",
    "status_index",
    "issued_at",
    "failure_reason",
    "attempts",
)


def _store_batch(credentials: list[Credential]) -> None:
    """Write a signed batch with one prepared UPDATE executed per row in a pipeline; Django's
    bulk_update builds a CASE expression per field and row, which costs more than signing."""
    connection = transaction.get_connection()
    meta = Credential._meta
    fields = [field for field in meta.concrete_fields if field.name in _STORED_FIELDS]
    table = connection.ops.quote_name(meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(field.column)} = %s" for field in fields)
    sql = f"UPDATE {table} SET {assignments} WHERE id = %s"  # noqa: S608 (names from the model)
    rows = [
        [field.get_db_prep_save(getattr(credential, field.attname), connection) for field in fields]
        + [credential.pk]
        for credential in credentials
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _fail(credential: Credential, reason: str, outcome: BatchOutcome) -> None:
    credential.state = CredentialState.FAILED
    credential.failure_reason = reason[:2000]
    credential.status_list = None
    credential.status_index = None
    outcome.failed.append(credential.pk)


def cosign_pending_credentials(credential_ids: Iterable[int]) -> list[int]:
    """Finish joint credentials left waiting in `cosigning` by the earlier co-signature shape:
    the partners endorse the content the coordinator signed, and the coordinator signs again
    over the endorsements (any partner proof already added is dropped)."""
    completed: list[int] = []
    partner_signers = _PartnerSigners()
    with transaction.atomic():
        credentials = list(
            Credential.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=list(credential_ids), state=CredentialState.COSIGNING)
            .select_related("programme_version", "issuer")
            .order_by("pk")
        )
        for credential in credentials:
            document = credential.document
            if document is None:
                continue
            issued_on = _now_text(credential.issued_at or timezone.now())
            content = partner_signers.endorsed(credential, unsecured_document(document), issued_on)
            signed = with_proof_list(add_proof(content, signer_for_institution(credential.issuer)))
            credential.document_json = serialise(signed)
            credential.state = CredentialState.ISSUED
            completed.append(credential.pk)
        Credential.objects.bulk_update(credentials, ["document_json", "state"])
        after_issue(completed)
    return completed


def holder_bound_document(credential: Credential, holder_did: str) -> dict[str, Any]:
    """The credential with `credentialSubject.id` set to a wallet's DID, newly signed by the
    issuer; same id and status entries. A joint credential's partners endorse the bound content
    again (an endorsement pins the content it attests, so the original ones would no longer
    match)."""
    content = unsecured_document(credential.document or {})
    content.pop("endorsement", None)
    subject = content.get("credentialSubject")
    if not isinstance(subject, dict):
        raise DomainError(_("This credential cannot be bound to a key."))
    content["credentialSubject"] = {
        "id": holder_did,
        **{k: v for k, v in subject.items() if k != "id"},
    }
    content = _PartnerSigners().endorsed(credential, content, _now_text(timezone.now()))
    return with_proof_list(add_proof(content, signer_for_institution(credential.issuer)))


def after_issue(credential_ids: list[int]) -> None:
    """What follows issued credentials, in the transaction that issued them: the receivers of
    `issuance.signals.credentials_issued` hear of them, and after commit the learners are told and
    stacked pathways are planned."""
    if not credential_ids:
        return
    from issuance.tasks import notify_learners, plan_pathway_credentials_task

    credentials_issued.send(sender=Credential, credential_ids=credential_ids)

    enqueue_on_commit(notify_learners, credential_ids, "issued")
    enqueue_on_commit(plan_pathway_credentials_task, credential_ids)


def sweep_stale_intents(*, older_than: timedelta = STALE_PENDING_AFTER) -> int:
    """Re-queue pending and cosigning credentials nobody picked up (run by Celery beat)."""
    cutoff = timezone.now() - older_than
    pending = list(
        Credential.objects.filter(state=CredentialState.PENDING, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:10_000]
    )
    cosigning = list(
        Credential.objects.filter(
            state=CredentialState.COSIGNING, issued_at__lt=cutoff
        ).values_list("pk", flat=True)[:10_000]
    )
    queue_issuance(pending)
    if cosigning:
        from issuance.tasks import cosign_credentials

        for start in range(0, len(cosigning), BATCH_SIZE):
            enqueue_on_commit(cosign_credentials, cosigning[start : start + BATCH_SIZE])
    return len(pending) + len(cosigning)


def request_credential(
    *,
    kind: str,
    natural_key: str,
    learner: User,
    issuer: Institution,
    title: str,
    claims: dict[str, Any],
    credential_uuid: uuid.UUID | None = None,
) -> Credential:
    """Another app asks for a credential (a recognition decision): the intent is stored in the
    caller's transaction and issued by a worker after commit. Asking twice for the same natural
    key returns the credential already asked for."""
    existing = Credential.objects.filter(
        natural_key=natural_key, state__in=OPEN_STATES, revoked_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    credential = Credential.objects.create(
        uuid=credential_uuid or uuid.uuid4(),
        natural_key=natural_key,
        kind=kind,
        learner=learner,
        issuer=issuer,
        title=title[:300],
        claims=claims,
    )
    queue_issuance([credential.pk])
    return credential


# -- stacking ---------------------------------------------------------------------------------


def plan_pathway_credentials(credential_ids: Iterable[int]) -> list[int]:
    """After micro-credentials are issued: each of their learners who now meets a pathway's
    rule gets an intent for the pathway credential, referencing the constituent credentials.
    Runs again after every issued batch, so the last constituent to be issued triggers it."""
    from catalogue.selectors import pathway_progress

    issued = Credential.objects.filter(pk__in=list(credential_ids), kind=CredentialKind.MICRO)
    pathways = Pathway.objects.filter(programmes__versions__credentials__in=issued).distinct()
    if not pathways.exists():
        return []  # most programmes stack into nothing: no per-learner work
    learner_ids = set(issued.values_list("learner_id", flat=True))
    planned: list[int] = []
    for learner in User.objects.filter(pk__in=learner_ids):
        for progress in pathway_progress(learner=learner, pathways=pathways):
            if not progress.complete:
                continue
            natural_key = f"pathway:{progress.pathway.pk}:{learner.pk}"
            if Credential.objects.filter(
                natural_key=natural_key, state__in=OPEN_STATES, revoked_at__isnull=True
            ).exists():
                continue
            constituents = list(
                Credential.objects.filter(
                    natural_key__in=[f"result:{result.pk}" for result in progress.passed_results],
                    state=CredentialState.ISSUED,
                    revoked_at__isnull=True,
                ).order_by("pk")
            )
            if len(constituents) < len(progress.passed_results):
                continue  # a constituent is still being signed; its own batch will call again
            with transaction.atomic():
                credential, created = Credential.objects.get_or_create(
                    natural_key=natural_key,
                    state=CredentialState.PENDING,
                    defaults={
                        "kind": CredentialKind.PATHWAY,
                        "learner": learner,
                        "issuer": progress.pathway.owner,
                        "pathway": progress.pathway,
                        "title": progress.pathway.title.get("en") or progress.pathway.slug,
                        "claims": {
                            "constituents": [c.pk for c in constituents],
                            "ects": str(progress.ects_earned),
                        },
                    },
                )
            if created:
                planned.append(credential.pk)
    queue_issuance(planned)
    return planned


# -- staff actions ----------------------------------------------------------------------------


def _require_issuer_staff(actor: User, credential: Credential) -> None:
    permissions.require(issuance_permissions.can_manage_credentials(actor, credential.issuer_id))


@transaction.atomic
def retry_failed_credential(*, actor: User, credential: Credential) -> Credential:
    _require_issuer_staff(actor, credential)
    if credential.learner_id == actor.pk:
        raise ConflictOfInterestError(
            _("You cannot issue a credential to yourself: a colleague has to do it.")
        )
    updated = Credential.objects.filter(pk=credential.pk, state=CredentialState.FAILED).update(
        state=CredentialState.PENDING, failure_reason="", created_at=timezone.now()
    )
    if not updated:
        raise ConflictError(_("Only a failed credential can be retried."))
    record_event(
        actor=actor,
        action="credential.retried",
        target=credential,
        institution_id=credential.issuer_id,
    )
    queue_issuance([credential.pk])
    credential.refresh_from_db()
    return credential


def _revoke(credential: Credential, *, actor: User | None, reason: str) -> None:
    credential.revoked_at = timezone.now()
    credential.revocation_reason = reason
    credential.save(update_fields=["revoked_at", "revocation_reason"])
    if credential.status_list_id is not None and credential.status_index is not None:
        status_lists.set_status(
            credential.status_list_id, credential.status_index, "revocation", True
        )
    record_event(
        actor=actor,
        action="credential.revoked",
        target=credential,
        institution_id=credential.issuer_id,
        data={"reason": reason},
    )
    _flag_pathway_credentials_built_on(credential, reason)
    credential_revoked.send(sender=Credential, credential=credential, reason=reason)
    from issuance.tasks import notify_learners

    enqueue_on_commit(notify_learners, [credential.pk], "revoked")


def _flag_pathway_credentials_built_on(credential: Credential, reason: str) -> None:
    """Pathway credentials that reference the revoked credential as a constituent are flagged
    for their issuer (they stay signed as they were until the issuer acts)."""
    if credential.kind != CredentialKind.MICRO:
        return
    now = timezone.now()
    # A learner holds few pathway credentials; reading their constituents here works on every
    # database (JSON containment lookups do not exist on SQLite).
    pathways = Credential.objects.filter(
        kind=CredentialKind.PATHWAY,
        learner_id=credential.learner_id,
        constituent_revoked_at__isnull=True,
    )
    for pathway_credential in pathways:
        if credential.pk not in pathway_credential.claims.get("constituents", []):
            continue
        pathway_credential.constituent_revoked_at = now
        pathway_credential.constituent_revocation_reason = reason
        pathway_credential.save(
            update_fields=["constituent_revoked_at", "constituent_revocation_reason"]
        )
        record_event(
            actor=None,
            action="credential.constituent_revoked",
            target=pathway_credential,
            institution_id=pathway_credential.issuer_id,
            data={"constituent": str(credential.uuid), "reason": reason},
        )


@transaction.atomic
def revoke_credential(*, actor: User, credential: Credential, reason: str) -> Credential:
    """Permanent. A reason is required; the learner is told."""
    _require_issuer_staff(actor, credential)
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if not reason.strip():
        raise DomainError(
            _("Give the reason for the revocation; the learner will see it."), field="reason"
        )
    if credential.state not in (CredentialState.ISSUED, CredentialState.COSIGNING):
        raise ConflictError(_("Only an issued credential can be revoked."))
    if credential.revoked_at is not None:
        raise ConflictError(_("This credential is already revoked."))
    _revoke(credential, actor=actor, reason=reason.strip())
    return credential


def _status_position(credential: Credential) -> tuple[int, int]:
    if credential.status_list_id is None or credential.status_index is None:
        raise ConflictError(_("This credential has no status list entry."))
    return credential.status_list_id, credential.status_index


@transaction.atomic
def suspend_credential(*, actor: User, credential: Credential, reason: str) -> Credential:
    _require_issuer_staff(actor, credential)
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if not reason.strip():
        raise DomainError(
            _("Give the reason for the suspension; the learner will see it."), field="reason"
        )
    if credential.state != CredentialState.ISSUED or credential.revoked_at is not None:
        raise ConflictError(_("Only a valid issued credential can be suspended."))
    if credential.suspended_at is not None:
        raise ConflictError(_("This credential is already suspended."))
    if not credential.carries_suspension_entry:
        raise ConflictError(
            _(
                "This credential cannot be suspended: it carries no suspension status, so "
                "verifiers outside the portal would never see the suspension. Revoke it if it "
                "must no longer be valid."
            )
        )
    credential.suspended_at = timezone.now()
    credential.suspension_reason = reason.strip()
    credential.save(update_fields=["suspended_at", "suspension_reason"])
    status_lists.set_status(*_status_position(credential), "suspension", True)
    record_event(
        actor=actor,
        action="credential.suspended",
        target=credential,
        institution_id=credential.issuer_id,
        data={"reason": credential.suspension_reason},
    )
    from issuance.tasks import notify_learners

    enqueue_on_commit(notify_learners, [credential.pk], "suspended")
    return credential


@transaction.atomic
def unsuspend_credential(*, actor: User, credential: Credential) -> Credential:
    _require_issuer_staff(actor, credential)
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.suspended_at is None or credential.revoked_at is not None:
        raise ConflictError(_("Only a suspended credential can be reinstated."))
    credential.suspended_at = None
    credential.suspension_reason = ""
    credential.save(update_fields=["suspended_at", "suspension_reason"])
    status_lists.set_status(*_status_position(credential), "suspension", False)
    record_event(
        actor=actor,
        action="credential.reinstated",
        target=credential,
        institution_id=credential.issuer_id,
    )
    from issuance.tasks import notify_learners

    enqueue_on_commit(notify_learners, [credential.pk], "reinstated")
    return credential


# -- bulk issuance ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkPlan:
    """What "issue every pass of this offering" would do (the dry run)."""

    offering: Offering
    to_issue: list[AssessmentResult]
    already_open: list[AssessmentResult]
    failed_to_retry: list[Credential]
    # The actor's own passes: never issued by the actor (a colleague has to).
    left_to_a_colleague: list[AssessmentResult]


def plan_offering_issuance(*, actor: User, offering: Offering) -> BulkPlan:
    permissions.require(catalogue_permissions.can_record_results(actor, offering))
    passes = list(
        AssessmentResult.objects.filter(offering=offering, outcome=ResultOutcome.PASSED)
        .select_related("learner")
        .order_by("learner__full_name", "learner__email")
    )
    keys = {f"result:{result.pk}": result for result in passes}
    open_keys = set(
        Credential.objects.filter(
            natural_key__in=keys, state__in=OPEN_STATES, revoked_at__isnull=True
        ).values_list("natural_key", flat=True)
    )
    failed = list(
        Credential.objects.filter(
            natural_key__in=keys, state=CredentialState.FAILED
        ).select_related("learner")
    )
    failed_keys = {credential.natural_key for credential in failed}
    # Nobody issues a credential to himself: a manager's own pass is left for a colleague.
    return BulkPlan(
        offering=offering,
        to_issue=[
            r
            for key, r in keys.items()
            if key not in open_keys and key not in failed_keys and r.learner_id != actor.pk
        ],
        already_open=[r for key, r in keys.items() if key in open_keys],
        failed_to_retry=[c for c in failed if c.learner_id != actor.pk],
        left_to_a_colleague=[
            r for key, r in keys.items() if key not in open_keys and r.learner_id == actor.pk
        ],
    )


@transaction.atomic
def issue_offering_passes(*, actor: User, offering: Offering) -> IssuanceJob:
    """Issue every pass of the offering that has no credential yet, and retry failed ones,
    as one job with live progress."""
    plan = plan_offering_issuance(actor=actor, offering=offering)
    if not plan.to_issue and not plan.failed_to_retry and plan.left_to_a_colleague:
        raise ConflictOfInterestError(
            _("You cannot issue a credential to yourself: a colleague has to do it.")
        )
    if not plan.to_issue and not plan.failed_to_retry:
        raise ConflictError(_("Every pass of this offering already has a credential."))
    job = IssuanceJob.objects.create(
        offering=offering,
        institution_id=claims_mapping.coordinator_id(offering.version),
        requested_by=actor,
        description=_("All passes of %(offering)s") % {"offering": offering},
    )
    _insert_result_intents(
        job, plan.to_issue, ProgrammeVersion.objects.in_bulk({r.version_id for r in plan.to_issue})
    )
    Credential.objects.filter(
        pk__in=[c.pk for c in plan.failed_to_retry], state=CredentialState.FAILED
    ).update(state=CredentialState.PENDING, failure_reason="", job=job, created_at=timezone.now())
    record_event(
        actor=actor,
        action="issuance.job_started",
        target=job,
        institution_id=job.institution_id,
        data={"new": len(plan.to_issue), "retried": len(plan.failed_to_retry)},
    )
    queue_issuance(
        list(job.credentials.filter(state=CredentialState.PENDING).values_list("pk", flat=True))
    )
    return job


@transaction.atomic
def resume_job(*, actor: User, job: IssuanceJob) -> int:
    """Queue again whatever of the job is still pending or waiting for co-signatures."""
    permissions.require(issuance_permissions.can_manage_credentials(actor, job.institution_id))
    pending = list(
        job.credentials.filter(state=CredentialState.PENDING).values_list("pk", flat=True)
    )
    queue_issuance(pending)
    cosigning = list(
        job.credentials.filter(state=CredentialState.COSIGNING).values_list("pk", flat=True)
    )
    if cosigning:
        from issuance.tasks import cosign_credentials

        enqueue_on_commit(cosign_credentials, cosigning)
    record_event(
        actor=actor, action="issuance.job_resumed", target=job, institution_id=job.institution_id
    )
    return len(pending) + len(cosigning)


def job_progress(job: IssuanceJob) -> dict[str, int]:
    counts = dict(
        job.credentials.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    total = sum(counts.values())
    done = counts.get(CredentialState.ISSUED, 0)
    failed = counts.get(CredentialState.FAILED, 0) + counts.get(CredentialState.CANCELLED, 0)
    return {"total": total, "done": done, "failed": failed, "remaining": total - done - failed}
