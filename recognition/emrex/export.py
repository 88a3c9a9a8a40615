"""A booked recognition as an EMREX ELMO document (schema v1, github.com/emrex-eu/elmo-schemas).

Mapping (the ELM-ELMO mapping of the official ELM artefacts): the report's ``issuer`` is the
receiving institution (it grants the credits), with its Erasmus code and SCHAC identifiers;
the ``learningOpportunitySpecification`` is the receiving course (``identifier type="local"``
is the course code) and its ``learningOpportunityInstance`` carries the term
(``academicTerm``), ``status`` passed, the converted grade (``resultLabel`` with a
``gradingScheme`` describing the scheme), the ECTS credits granted (``credit``) and the EQF
level; the recognised credentials, the competent body, the legal basis and the remedies are the
specification's ``description``.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from lxml import etree

from recognition.booking.models import CreditType, DecisionBooking
from recognition.grading.schemes import scheme as grading_scheme

ELMO_NAMESPACE = "https://github.com/emrex-eu/elmo-schemas/tree/v1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _element(
    parent: etree._Element, name: str, text: str | None = None, **attributes: str
) -> etree._Element:
    child = etree.SubElement(parent, f"{{{ELMO_NAMESPACE}}}{name}")
    for key, value in attributes.items():
        child.set(XML_LANG if key == "lang" else key, value)
    if text is not None:
        child.text = text
    return child


def _split_name(full_name: str) -> tuple[str, str]:
    parts = full_name.split()
    if len(parts) < 2:
        return (full_name or "-", full_name or "-")
    return " ".join(parts[:-1]), parts[-1]


def elmo_document(booking: DecisionBooking, *, generated_at: datetime | None = None) -> bytes:
    """The ELMO XML of a prepared booking (UTF-8, with the XML declaration)."""
    decision = booking.decision
    case = decision.request
    institution = case.institution
    learner = case.learner
    generated_at = generated_at or timezone.now()
    root = etree.Element(f"{{{ELMO_NAMESPACE}}}elmo", nsmap={None: ELMO_NAMESPACE})
    _element(root, "generatedDate", generated_at.isoformat(timespec="seconds"))
    learner_element = _element(root, "learner")
    given, family = _split_name(case.learner_name or learner.full_name or learner.email)
    _element(learner_element, "identifier", learner.email, type="email")
    _element(learner_element, "givenNames", given)
    _element(learner_element, "familyName", family)
    report = _element(root, "report")
    issuer = _element(report, "issuer")
    _element(issuer, "country", str(institution.country))
    identifiers = [
        ("erasmus", institution.erasmus_code),
        ("schac", institution.schac_home_organization),
    ]
    identifiers = [(kind, value) for kind, value in identifiers if value] or [
        ("local", institution.slug)
    ]
    for kind, value in identifiers:
        _element(issuer, "identifier", value, type=kind)
    _element(issuer, "title", institution.legal_name, lang=institution.main_language or "en")
    _element(
        issuer,
        "url",
        institution.website or f"https://{institution.schac_home_organization or institution.slug}",
    )
    specification = _element(report, "learningOpportunitySpecification")
    if booking.course_code:
        _element(specification, "identifier", booking.course_code, type="local")
    _element(specification, "identifier", f"decision-{decision.pk}", type="recognition-decision")
    target = case.target
    title = target.title if target else str(CreditType(booking.credit_type).label)
    _element(specification, "title", title, lang="en")
    _element(specification, "type", "Course")
    credentials = ", ".join(
        f"{credential.title} ({credential.registered_issuer_name or credential.issuer_id})"
        for credential in case.credentials.all()
    )
    description = (
        f"Recognised ({decision.get_outcome_display()}) from: {credentials}. "
        f"Type of credit: {CreditType(booking.credit_type).label}. "
        f"Competent body: {booking.competent_body}. Legal basis: {booking.legal_basis} "
        f"Remedies: {booking.remedies}"
    )
    _element(specification, "description", description, lang="en")
    instance = _element(_element(specification, "specifies"), "learningOpportunityInstance")
    _element(instance, "identifier", f"decision-{decision.pk}", type="local")
    if decision.final_at is not None:
        _element(instance, "date", timezone.localdate(decision.final_at).isoformat())
    _element(instance, "status", "passed")
    grade = getattr(decision, "grade", None)
    if grade is not None:
        _element(instance, "gradingSchemeLocalId", grade.target_scheme)
        _element(instance, "resultLabel", grade.converted_grade)
    credit = _element(instance, "credit")
    _element(credit, "scheme", "ects")
    _element(credit, "value", str(decision.credits_granted))
    if target is not None and target.eqf_level:
        level = _element(instance, "level")
        _element(level, "type", "EQF")
        _element(level, "value", str(target.eqf_level))
    _element(
        report, "issueDate", (booking.prepared_at or generated_at).isoformat(timespec="seconds")
    )
    if grade is not None:
        described = grading_scheme(grade.target_scheme)
        scheme_element = _element(report, "gradingScheme", localId=grade.target_scheme)
        if described is not None:
            _element(
                scheme_element, "description", f"{described.name}. {described.source}", lang="en"
            )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
