"""Reads for credentials, jobs, keys and status lists."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import Http404

from alliances import permissions
from alliances.models import Institution
from issuance import permissions as issuance_permissions
from issuance.models import Credential, CredentialState, IssuanceJob, StatusList
from portal import epochs


def staff_credentials(
    *, user: Any, state: str = "", search: str = "", offering_id: int | None = None
) -> QuerySet[Credential]:
    """Credentials issued by the institutions where the user manages credentials."""
    queryset = permissions.scope_to_institutions(
        Credential.objects.all(), user, *issuance_permissions.CREDENTIAL_ROLES, field="issuer"
    ).select_related("learner", "issuer", "result__offering")
    if state:
        queryset = queryset.filter(state=state)
    if search:
        queryset = queryset.filter(
            Q(learner__full_name__icontains=search)
            | Q(learner__email__icontains=search)
            | Q(title__icontains=search)
        )
    if offering_id:
        queryset = queryset.filter(result__offering_id=offering_id)
    return queryset.order_by("-created_at", "-pk")


def get_staff_credential(*, user: Any, uuid: Any) -> Credential:
    credential = (
        Credential.objects.select_related(
            "learner", "issuer", "programme_version", "result__offering", "job"
        )
        .filter(uuid=uuid)
        .first()
    )
    if credential is None or not issuance_permissions.can_manage_credentials(
        user, credential.issuer_id
    ):
        raise Http404
    return credential


def learner_credentials(*, learner: Any) -> QuerySet[Credential]:
    """The credentials a learner holds (issued), newest first."""
    return (
        Credential.objects.filter(learner=learner, state=CredentialState.ISSUED)
        .select_related("issuer", "programme_version", "pathway")
        .order_by("-issued_at", "-pk")
    )


def get_learner_credential(*, learner: Any, uuid: Any) -> Credential:
    credential = learner_credentials(learner=learner).filter(uuid=uuid).first()
    if credential is None:
        raise Http404
    return credential


def get_job(*, user: Any, pk: int) -> IssuanceJob:
    job = IssuanceJob.objects.select_related("offering", "institution").filter(pk=pk).first()
    if job is None or not issuance_permissions.can_manage_credentials(user, job.institution_id):
        raise Http404
    return job


def list_offering_jobs(*, user: Any, offering: Any) -> list[IssuanceJob]:
    """The offering's issuance jobs (from recorded passes or bulk runs) the user may follow,
    newest first."""
    jobs = IssuanceJob.objects.filter(offering=offering).order_by("-created_at", "-pk")[:20]
    return [
        job for job in jobs if issuance_permissions.can_manage_credentials(user, job.institution_id)
    ]


def job_credentials(job: IssuanceJob) -> QuerySet[Credential]:
    return job.credentials.select_related("learner").order_by(
        "learner__full_name", "learner__email"
    )


def get_status_list_or_none(*, institution_slug: str, number: int) -> StatusList | None:
    return (
        StatusList.objects.select_related("institution")
        .filter(institution__slug=institution_slug, number=number)
        .first()
    )


def get_institution_by_slug_or_none(slug: str) -> Institution | None:
    return Institution.objects.filter(slug=slug).first()


def published_did_document(slug: str) -> dict[str, Any] | None:
    """The did:web document of the institution with this slug (None for no such institution),
    from the shared cache until the issuers' epoch moves (institutions, their keys)."""
    from issuance import signing_keys

    epoch = epochs.read([epochs.ISSUERS])[epochs.ISSUERS]
    key = f"did-document:{slug}:{epoch}"
    document: dict[str, Any] | None = cache.get(key)
    if document is None:
        institution = get_institution_by_slug_or_none(slug)
        if institution is None:
            return None
        document = signing_keys.did_document(institution)
        cache.set(key, document, settings.DID_DOCUMENT_MAX_AGE)
    return document
