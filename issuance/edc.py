"""European Digital Credential (ELM v3) exports of issued micro-credentials and pathway
credentials, sealed with the issuing institution's JAdES seal.

The EDC states what the signed Open Badge states, never today's rows: the programme comes from
the same frozen version snapshot the badge was built from, and the learner's name, the grade,
the dates, the integration and the pathways it stacks towards are read from the signed badge
itself, so a grade corrected after issuance (which reissues the badge) never makes the two
differ. A revoked or suspended credential has no EDC.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils.translation import gettext as _

from catalogue.models import Pathway
from credential_format import builders, elm, jades
from credential_format.reading import as_list, read_credential, text
from issuance import claims as claims_mapping
from issuance import seals
from issuance.models import Credential, CredentialKind
from portal.errors import ConflictError

# Open Badges identifierType (issuance.claims) -> the ELM identifier scheme name.
ELM_IDENTIFIER_SCHEMES = {
    "ext:ErasmusCode": "Erasmus institution code",
    "ext:SCHACHomeOrganization": "SCHAC home organisation",
    "ext:PIC": "Participant Identification Code (PIC)",
}


def refuse_unless_exportable(credential: Credential) -> None:
    status = credential.lifecycle_status()
    if status == "revoked":
        raise ConflictError(
            _("This credential was revoked; it has no European Digital Credential version."),
            code="revoked",
        )
    if status == "suspended":
        raise ConflictError(
            _(
                "This credential is suspended; its European Digital Credential version is "
                "available again once the suspension is lifted."
            ),
            code="suspended",
        )
    if status not in ("valid", "expired") or not credential.document_json:
        raise ConflictError(_("This credential has not been issued yet."), code="not_issued")
    exportable = (credential.kind == CredentialKind.MICRO and credential.programme_version) or (
        credential.kind == CredentialKind.PATHWAY and credential.pathway
    )
    if not exportable:
        raise ConflictError(
            _(
                "Only micro-credentials and pathway credentials have a European Digital "
                "Credential (ELM) version."
            ),
            code="not_exportable",
        )


def _signed_claims(credential: Credential) -> builders.MicroCredentialClaims:
    """The claims of the signed badge: the frozen snapshot, with what the badge states about
    the learner, the result, the dates and the stacking taken from the badge itself."""
    signed = credential.document or {}
    read = read_credential(signed)
    achievement = read.achievement or {}
    version = credential.programme_version
    assert version is not None
    claims = claims_mapping.micro_credential_claims(
        credential_id=credential.credential_id,
        version=version,
        learner=credential.learner,
        result=None,
        issued_on=text(read.valid_from),
        credential_status=(),
    )
    grade = None
    if read.grade:
        scheme = version.snapshot.get("grading_scheme", "")
        scale_name, result_type = claims_mapping.GRADE_SCALES.get(scheme, ("Grade", "LetterGrade"))
        grade = builders.Grade(value=read.grade, result_type=result_type, scale_name=scale_name)
    return dataclasses.replace(
        claims,
        learner=builders.Learner(full_name=read.learner_name() or claims.learner.full_name),
        grade=grade,
        valid_until=text(read.valid_until) or None,
        integration=text(achievement.get("integration")) or None,
        stackable_towards=tuple(text(v) for v in as_list(achievement.get("stackableTowards"))),
    )


def _pathway_claims(credential: Credential) -> builders.MicroCredentialClaims:
    """A pathway credential in the shape of the ELM builder's claims: its own Annex I content
    (gathered at issuance from the constituents' frozen snapshots, recomputed the same way),
    with the title, learner, dates, credits and level the signed badge states."""
    read = read_credential(credential.document or {})
    achievement = read.achievement or {}
    pathway = claims_mapping.pathway_claims(credential=credential, issued_on=text(read.valid_from))
    return builders.MicroCredentialClaims(
        credential_id=credential.credential_id,
        achievement_id=pathway.achievement_id,
        title=text(achievement.get("name")) or pathway.title,
        description=text(achievement.get("description")) or pathway.description,
        criteria_narrative=text((achievement.get("criteria") or {}).get("narrative"))
        or pathway.criteria_narrative,
        issuer=pathway.issuer,
        awarding_bodies=pathway.awarding_bodies or (pathway.issuer,),
        learner=builders.Learner(full_name=read.learner_name() or pathway.learner.full_name),
        issued_on=pathway.issued_on,
        valid_until=text(read.valid_until) or None,
        learning_outcomes=pathway.learning_outcomes,
        ects_credits=read.credits if read.credits is not None else pathway.ects_credits,
        eqf_level=read.eqf_level or pathway.eqf_level or 0,
        assessment_type=pathway.assessment_type or "",
        participation_form=pathway.participation_form or "",
        quality_assurance=pathway.quality_assurance or "",
        qf_ehea_cycle=pathway.qf_ehea_cycle,
        workload_hours=pathway.workload_hours,
        integration="stand-alone",
    )


def _organisation_details(
    body: builders.AwardingBody, legal_identifier: str | None
) -> elm.OrganisationDetails:
    stated = dict(body.identifiers)
    return elm.OrganisationDetails(
        legal_identifier=legal_identifier or stated.get("ext:eIDASLegalIdentifier"),
        region=body.region,
        identifiers=tuple(
            (scheme, stated[kind])
            for kind, scheme in ELM_IDENTIFIER_SCHEMES.items()
            if kind in stated
        ),
    )


def _texts(snapshot: dict[str, Any]) -> elm.Texts:
    return elm.Texts(
        title=dict(snapshot.get("title") or {}),
        description=dict(snapshot.get("summary") or snapshot.get("title") or {}),
        outcomes=tuple(dict(outcome["text"]) for outcome in snapshot["learning_outcomes"]),
    )


def _larger_credentials(ids: tuple[str, ...]) -> tuple[elm.LargerCredential, ...]:
    """The pathways the signed badge stacks towards, with their titles (by their portal URL)."""
    slugs = [i.rstrip("/").rsplit("/", 1)[-1] for i in ids]
    titles = {
        claims_mapping.pathway_achievement_id(pathway.slug): claims_mapping.english(pathway.title)
        for pathway in Pathway.objects.filter(slug__in=slugs).only("slug", "title")
    }
    return tuple(elm.LargerCredential(id=i, title=titles.get(i) or i) for i in ids)


def edc_document(credential: Credential, *, seal_legal_identifier: str | None = None) -> dict:
    """The unsigned ELM v3 `EuropeanDigitalCredential` of an issued micro-credential.

    The issuer's eIDAS legal identifier is the one in the seal certificate when sealing, else
    the one the programme version recorded, else the institution's current one.
    """
    refuse_unless_exportable(credential)
    pathway = credential.kind == CredentialKind.PATHWAY
    claims = _pathway_claims(credential) if pathway else _signed_claims(credential)
    issuer_identifier = (
        seal_legal_identifier
        or dict(claims.issuer.identifiers).get("ext:eIDASLegalIdentifier")
        or credential.issuer.legal_identifier
    )
    organisations = {
        body.id: _organisation_details(
            body, issuer_identifier if body.id == claims.issuer.id else None
        )
        for body in claims.awarding_bodies
    }
    organisations.setdefault(
        claims.issuer.id, _organisation_details(claims.issuer, issuer_identifier)
    )
    if pathway:
        details = elm.ElmDetails(
            organisations=organisations,
            made_of=tuple(
                text(resource.get("id"))
                for resource in as_list((credential.document or {}).get("relatedResource"))
                if isinstance(resource, dict)
            ),
        )
    else:
        assert credential.programme_version is not None
        details = elm.ElmDetails(
            organisations=organisations,
            texts=_texts(credential.programme_version.snapshot),
            stackable_towards=_larger_credentials(claims.stackable_towards),
        )
    try:
        return elm.build_elm_credential(claims, details)
    except builders.IncompleteClaimsError as error:
        raise ConflictError(
            _(
                "The European Digital Credential cannot be made: %(missing)s. The issuing "
                "institution's staff can complete this on the institution's page."
            )
            % {"missing": error},
            code="incomplete",
        ) from error


def sealed_edc_document(credential: Credential) -> dict[str, Any]:
    """The EDC sealed (JAdES B-B) with the issuing institution's seal certificate."""
    refuse_unless_exportable(credential)
    seal = seals.active_seal(credential.issuer_id)
    if seal is None:
        raise ConflictError(
            _(
                "%(institution)s has not set up its electronic seal yet, so the European "
                "Digital Credential cannot be sealed. Download the signed JSON credential "
                "instead; it carries the same information."
            )
            % {"institution": credential.issuer.legal_name},
            code="no_seal",
        )
    loaded = seals.load_seal(seal)
    document = edc_document(
        credential,
        seal_legal_identifier=jades.organisation_identifier(loaded.credentials.certificate),
    )
    return jades.seal_json(document, loaded.credentials, kid=seal.seal_id)
