"""From the portal's rows to the credential library's claims: a programme version's frozen
snapshot, the learner and the result become `MicroCredentialClaims`; completed pathways
become `PathwayClaims`.

Everything a credential says about the programme comes from `ProgrammeVersion.snapshot`
(never from the editable programme), so a credential always describes the version the
learner completed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalogue.models import AssessmentResult, Pathway, ProgrammeVersion
from credential_format import builders
from issuance import identity
from portal.models import User

SUPERVISION = {
    "unsupervised": "unsupervised-no-identity-verification",
    "supervised": "supervised-no-identity-verification",
    "supervised_verified": "supervised-with-identity-verification",
}
INTEGRATION = {"standalone": "stand-alone", "stackable": "stackable", "integrated": "integrated"}
# An institution's identifiers in credentials: (snapshot key, Open Badges identifierType).
INSTITUTION_IDENTIFIERS = (
    ("erasmus_code", "ext:ErasmusCode"),
    ("schac_home_organization", "ext:SCHACHomeOrganization"),
    ("pic", "ext:PIC"),
    ("legal_identifier", "ext:eIDASLegalIdentifier"),
)
GRADE_SCALES = {
    # Open Badges 3.0 has no pass/fail result type; extensions take the `ext:` prefix.
    "pass_fail": ("Pass or fail", "ext:PassFail"),
    "ects": ("ECTS grading scale", "LetterGrade"),
    "numeric_10": ("Grade from 0 to 10", "GradePointAverage"),
    "percentage": ("Percentage", "Percent"),
}


# The language of the plain texts of every credential (the Open Badges terms), which every
# programme text carries; the language maps add the programme's other languages.
DEFAULT_LANGUAGE = "en"


def english(text: Mapping[str, str] | None) -> str:
    """Credentials are written in English, which every programme text carries."""
    if not text:
        return ""
    return text.get(DEFAULT_LANGUAGE) or next(iter(text.values()), "")


def translations(text: Mapping[str, str] | None) -> dict[str, str]:
    """A stored language map's non-empty texts, for a credential's `<term>Languages` map."""
    return {language: value for language, value in (text or {}).items() if value}


# The sentences a credential writes around the programme's texts, in each language the portal
# has a translation of them for.
CRITERIA = gettext_noop(
    "Achieve the learning outcomes of %(title)s and pass its assessment: %(assessment)s"
)
EXTERNAL_QUALITY_ASSURANCE = gettext_noop("%(stated)s (external quality assurance: %(bodies)s)")
PATHWAY_CRITERIA = gettext_noop("Complete the programmes of the pathway (%(rule)s).")


def sentence_in(language: str, template: str) -> str | None:
    """`template` in `language`, or None when the portal has no translation of it: a sentence
    left in English must not be labelled as another language."""
    with translation.override(language):
        translated = _(template)
    if language != DEFAULT_LANGUAGE and translated == template:
        return None
    return translated


def in_each_language(
    languages: Iterable[str], render: Callable[[str], str | None]
) -> dict[str, str]:
    """`render(language)` for each of `languages` it can be written in."""
    rendered = {language: render(language) for language in languages}
    return {language: text for language, text in rendered.items() if text is not None}


def in_language(text: Mapping[str, str] | None, language: str) -> str:
    """A stored text in `language`, else in the default language."""
    return (text or {}).get(language) or english(text)


def _awarding_body(body: Mapping[str, Any]) -> builders.AwardingBody:
    return builders.AwardingBody(
        id=identity.did_for_slug(body["slug"]),
        name=body["legal_name"],
        country_code=body["country"],
        url=body.get("website") or None,
        identifiers=tuple(
            (kind, str(body[key])) for key, kind in INSTITUTION_IDENTIFIERS if body.get(key)
        ),
        region=body.get("nuts_region") or None,
    )


def pathway_achievement_id(slug: str) -> str:
    return f"{settings.PORTAL_BASE_URL}/catalogue/pathways/{slug}/"


def stackable_towards(version: ProgrammeVersion) -> tuple[str, ...]:
    """The pathways the programme counts towards when the credential is issued."""
    slugs = Pathway.objects.filter(programmes=version.programme_id).order_by("slug")
    return tuple(pathway_achievement_id(slug) for slug in slugs.values_list("slug", flat=True))


def _quality_assurance(snapshot: Mapping[str, Any], language: str = DEFAULT_LANGUAGE) -> str | None:
    stated = in_language(snapshot.get("quality_assurance"), language)
    bodies = [
        f"{body['short_name'] or body['legal_name']}: {body['quality_assurance']['accrediting_body']}"
        for body in snapshot["awarding_bodies"]
        if body.get("quality_assurance", {}).get("accrediting_body")
    ]
    if not bodies:
        return stated
    template = sentence_in(language, EXTERNAL_QUALITY_ASSURANCE)
    return template and template % {"stated": stated, "bodies": "; ".join(bodies)}


def _criteria_narrative(
    snapshot: Mapping[str, Any], language: str = DEFAULT_LANGUAGE
) -> str | None:
    template = sentence_in(language, CRITERIA)
    return template and template % {
        "title": in_language(snapshot["title"], language),
        "assessment": in_language(snapshot.get("assessment_type"), language),
    }


def micro_credential_claims(
    *,
    credential_id: str,
    version: ProgrammeVersion,
    learner: User,
    result: AssessmentResult | None,
    issued_on: str,
    credential_status: tuple[dict[str, Any], ...],
) -> builders.MicroCredentialClaims:
    snapshot = version.snapshot
    awarding_bodies = tuple(_awarding_body(body) for body in snapshot["awarding_bodies"])
    outcomes = tuple(_learning_outcome(outcome) for outcome in snapshot["learning_outcomes"])
    grade = None
    if result is not None and result.grade:
        scale_name, result_type = GRADE_SCALES.get(
            snapshot.get("grading_scheme", ""), ("Grade", "LetterGrade")
        )
        grade = builders.Grade(value=result.grade, result_type=result_type, scale_name=scale_name)
    title = english(snapshot["title"])
    summary = english(snapshot.get("summary")) or title
    title_languages = translations(snapshot["title"])
    workload = snapshot["workload"]
    return builders.MicroCredentialClaims(
        credential_id=credential_id,
        achievement_id=identity.achievement_id(version.pk),
        title=title,
        description=summary,
        criteria_narrative=_criteria_narrative(snapshot) or "",
        issuer=awarding_bodies[0],
        awarding_bodies=awarding_bodies,
        learner=builders.Learner(full_name=learner.full_name or learner.email, email=learner.email),
        issued_on=issued_on,
        # Awarded when assessed, which may be well before the credential is signed (a held
        # offering, a retried failure): Open Badges' awardedDate next to validFrom.
        awarded_on=f"{result.assessed_on.isoformat()}T00:00:00Z" if result is not None else None,
        learning_outcomes=outcomes,
        ects_credits=Decimal(workload["ects"]),
        eqf_level=int(snapshot["eqf_level"]),
        assessment_type=english(snapshot.get("assessment_type")),
        participation_form=snapshot["participation_form"],
        quality_assurance=_quality_assurance(snapshot) or "",
        language="en",
        qf_ehea_cycle=snapshot.get("qf_ehea_cycle") or None,
        workload_hours=workload.get("hours") or None,
        field_of_study=snapshot.get("isced_f") or None,
        prerequisites=english(snapshot.get("prerequisites")) or None,
        supervision=SUPERVISION.get(snapshot.get("supervision") or ""),
        grade=grade,
        integration=INTEGRATION.get(snapshot.get("stackability") or ""),
        stackable_towards=stackable_towards(version),
        further_information=english(snapshot.get("further_information")) or None,
        credential_status=credential_status,
        vocabulary_context_url=identity.vocabulary_context_url(),
        image_url=identity.badge_image_url(version.pk),
        title_languages=title_languages,
        description_languages=translations(snapshot.get("summary")) or title_languages,
        criteria_languages=in_each_language(
            title_languages, lambda language: _criteria_narrative(snapshot, language)
        ),
        assessment_type_languages=translations(snapshot.get("assessment_type")),
        quality_assurance_languages=in_each_language(
            translations(snapshot.get("quality_assurance")),
            lambda language: _quality_assurance(snapshot, language),
        ),
        prerequisites_languages=translations(snapshot.get("prerequisites")),
        further_information_languages=translations(snapshot.get("further_information")),
    )


def _learning_outcome(outcome: Mapping[str, Any]) -> builders.LearningOutcome:
    return builders.LearningOutcome(
        text=english(outcome["text"]),
        skills=tuple(
            builders.Skill(uri=skill["uri"], label=skill["label"])
            for skill in outcome.get("skills", [])
        ),
        text_languages=translations(outcome["text"]),
    )


def coordinator_id(version: ProgrammeVersion) -> int:
    """The coordinating institution: the issuer, and the first to sign."""
    return int(version.snapshot["awarding_bodies"][0]["id"])


def partner_ids(version: ProgrammeVersion) -> list[int]:
    """The partner institutions that endorse a joint programme's credentials."""
    return [int(body["id"]) for body in version.snapshot["awarding_bodies"][1:]]


def partner_bodies(version: ProgrammeVersion) -> list[tuple[int, builders.AwardingBody]]:
    """Each partner institution's id and the awarding body its endorsement names as issuer
    (the same profile the credential lists under `awardingBody`)."""
    return [
        (int(body["id"]), _awarding_body(body)) for body in version.snapshot["awarding_bodies"][1:]
    ]


def _learner(learner: User) -> builders.Learner:
    return builders.Learner(full_name=learner.full_name or learner.email, email=learner.email)


def _issuer_body(institution: Any) -> builders.AwardingBody:
    return builders.AwardingBody(
        id=identity.institution_did(institution),
        name=institution.legal_name,
        country_code=str(institution.country),
        url=institution.website or None,
        identifiers=tuple(
            (kind, str(getattr(institution, key)))
            for key, kind in INSTITUTION_IDENTIFIERS
            if getattr(institution, key, "")
        ),
        region=institution.nuts_region or None,
    )


QF_EHEA_ORDER = ("short", "first", "second", "third")


def pathway_content(owner: builders.AwardingBody, snapshots: list[Mapping[str, Any]]) -> dict:
    """The pathway's own Annex I content, from its constituents' frozen snapshots: every
    awarding body (the owner first), every learning outcome, the total workload, the highest
    QF-EHEA cycle, and what the constituents share (or say per programme)."""
    bodies: dict[str, builders.AwardingBody] = {owner.id: owner}
    outcomes: dict[str, builders.LearningOutcome] = {}
    for snapshot in snapshots:
        for body in snapshot["awarding_bodies"]:
            awarding = _awarding_body(body)
            bodies.setdefault(awarding.id, awarding)
        for outcome in snapshot["learning_outcomes"]:
            outcomes.setdefault(english(outcome["text"]), _learning_outcome(outcome))
    forms = {snapshot["participation_form"] for snapshot in snapshots}
    cycles = [s.get("qf_ehea_cycle") for s in snapshots if s.get("qf_ehea_cycle")]
    hours = [int(s["workload"].get("hours") or 0) for s in snapshots]
    per_programme = "; ".join(
        f"{english(s['title'])}: {english(s.get('assessment_type'))}" for s in snapshots
    )
    return {
        "awarding_bodies": tuple(bodies.values()),
        "learning_outcomes": tuple(outcomes.values()),
        "workload_hours": sum(hours) or None,
        "qf_ehea_cycle": max(cycles, key=QF_EHEA_ORDER.index) if cycles else None,
        "assessment_type": f"Assessed in each micro-credential of the pathway ({per_programme})",
        "participation_form": forms.pop() if len(forms) == 1 else "blended",
        "quality_assurance": "; ".join(
            dict.fromkeys(_quality_assurance(snapshot) or "" for snapshot in snapshots)
        ),
    }


def pathway_claims(*, credential: Any, issued_on: str) -> builders.PathwayClaims:
    """A completed pathway: the constituent credentials are referenced by id and digest."""
    from issuance.models import Credential

    pathway = credential.pathway
    constituents = Credential.objects.filter(pk__in=credential.claims["constituents"]).order_by(
        "pk"
    )
    versions = [c.programme_version for c in constituents.select_related("programme_version")]
    eqf_levels = [version.eqf_level for version in versions if version]
    issuer = _issuer_body(pathway.owner)
    title_languages = translations(pathway.title)
    return builders.PathwayClaims(
        credential_id=credential.credential_id,
        achievement_id=pathway_achievement_id(pathway.slug),
        title=english(pathway.title) or pathway.slug,
        description=english(pathway.description) or english(pathway.title) or pathway.slug,
        criteria_narrative=_pathway_criteria(pathway) or "",
        title_languages=title_languages,
        description_languages=translations(pathway.description) or title_languages,
        criteria_languages=in_each_language(
            title_languages, lambda language: _pathway_criteria(pathway, language)
        ),
        issuer=issuer,
        learner=_learner(credential.learner),
        issued_on=issued_on,
        constituents=tuple(
            builders.ConstituentCredential(
                credential_id=constituent.credential_id,
                digest_multibase=constituent_digest(constituent),
            )
            for constituent in constituents
        ),
        ects_credits=Decimal(credential.claims["ects"]),
        eqf_level=max(eqf_levels) if eqf_levels else None,
        vocabulary_context_url=identity.vocabulary_context_url(),
        image_url=identity.pathway_badge_image_url(pathway.slug),
        **pathway_content(issuer, [version.snapshot for version in versions if version]),
    )


def _pathway_criteria(pathway: Pathway, language: str = DEFAULT_LANGUAGE) -> str | None:
    template = sentence_in(language, PATHWAY_CRITERIA)
    with translation.override(language):
        return template and template % {"rule": pathway.get_rule_display()}


def constituent_digest(credential: Any) -> str:
    """The digest of an issued credential, computed once and kept."""
    if not credential.digest_multibase:
        credential.digest_multibase = builders.credential_digest_multibase(credential.document)
        type(credential).objects.filter(pk=credential.pk).update(
            digest_multibase=credential.digest_multibase
        )
    return str(credential.digest_multibase)


def recognition_claims(*, credential: Any, issued_on: str) -> builders.RecognitionClaims:
    """A recognition decision: the recognition app stores the decision's claims on the
    credential row when it asks for the credential (`recognition.credentials`)."""
    data = credential.claims
    claims = builders.RecognitionClaims(
        credential_id=credential.credential_id,
        issuer=_issuer_body(credential.issuer),
        learner=_learner(credential.learner),
        issued_on=issued_on,
        decision_date=data["decision_date"],
        recognised_credentials=tuple(
            builders.ConstituentCredential(item["id"], item["digest"])
            for item in data["recognised_credentials"]
        ),
        outcome=data["outcome"],
        credits_granted=Decimal(data["credits_granted"]),
        counts_towards=data["counts_towards"],
        receiving_programme=data["receiving_programme"],
        substantial_differences=data.get("substantial_differences") or None,
        appeal_information=data.get("appeal_information") or None,
        vocabulary_context_url=identity.vocabulary_context_url(),
    )
    return with_recognition_translations(claims)


# The sentences of a recognition credential (`builders.recognition_texts` writes the English).
RECOGNITION_TITLE = gettext_noop("Recognition decision: %(programme)s")
RECOGNITION_NAME = gettext_noop("Recognition towards %(programme)s")
RECOGNITION_DESCRIPTIONS = {
    "full": gettext_noop(
        "%(issuer)s recognises the learning of the credentials named in this decision (full "
        "recognition) towards %(counts_towards)s."
    ),
    "partial": gettext_noop(
        "%(issuer)s recognises the learning of the credentials named in this decision (partial "
        "recognition) towards %(counts_towards)s."
    ),
    "conditional": gettext_noop(
        "%(issuer)s recognises the learning of the credentials named in this decision "
        "(conditional recognition) towards %(counts_towards)s."
    ),
}
RECOGNITION_CRITERIA = gettext_noop(
    "Recognised under the Lisbon Recognition Convention: the receiving institution compared the "
    "learning outcomes and found no substantial difference, or stated those it found."
)


def with_recognition_translations(
    claims: builders.RecognitionClaims,
) -> builders.RecognitionClaims:
    """The claims with the recognition credential's sentences in each of the portal's
    languages: the decision has no language map of its own, and the learner may read any."""
    languages = [code for code, _name in settings.LANGUAGES]
    values = {
        "programme": claims.receiving_programme,
        "issuer": claims.issuer.name,
        "counts_towards": claims.counts_towards,
    }

    def each(template: str) -> dict[str, str]:
        return in_each_language(
            languages,
            lambda language: (sentence := sentence_in(language, template)) and sentence % values,
        )

    description = RECOGNITION_DESCRIPTIONS.get(claims.outcome)
    return dataclasses.replace(
        claims,
        title_languages=each(RECOGNITION_TITLE),
        name_languages=each(RECOGNITION_NAME),
        description_languages=each(description) if description else {},
        criteria_languages=each(RECOGNITION_CRITERIA),
    )
