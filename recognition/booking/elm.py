"""A booked recognition as a European Learning Model v3 credential (unsigned JSON-LD).

The learning achievement is the receiving course as recognised: awarded by the receiving
institution on the date the decision became final, with the ECTS credits granted, the EQF
level and outcomes of the course, the converted grade as its assessment's grade, and the
competent body, legal basis and remedies as notes. Same context and profile as the
micro-credential's European Digital Credential export (`credential_format.elm`).
"""

from __future__ import annotations

import uuid
from datetime import UTC
from typing import Any

from credential_format.contexts import CREDENTIALS_V1_URL
from credential_format.elm import (
    ECTS_FRAMEWORK,
    EDC_AP_CONTEXT_URL,
    EDC_SCHEMA,
    EQF_SCHEME,
    GENERIC_PROFILE,
    DisplayImage,
    Texts,
    country_uri,
    display_parameter,
)
from credential_format.elm_display import render_display_image
from issuance.identity import institution_did
from recognition.booking.models import CreditType, DecisionBooking

LEARNING_ASSESSMENT_MODE = "http://data.europa.eu/snb/learning-assessment/"


def _text(value: str) -> dict[str, str]:
    return {"en": value}


def _concept(uri: str, label: str, scheme: str | None = None) -> dict[str, Any]:
    concept: dict[str, Any] = {"id": uri, "type": "Concept", "prefLabel": _text(label)}
    if scheme:
        concept["inScheme"] = {"id": scheme, "type": "ConceptScheme"}
    return concept


def _note(base: str, name: str, text: str) -> dict[str, Any]:
    return {"id": f"{base}#{name}", "type": "Note", "noteLiteral": _text(text)}


def elm_document(booking: DecisionBooking) -> dict[str, Any]:
    decision = booking.decision
    case = decision.request
    institution = case.institution
    target = case.target
    base = (
        decision.credential_id
        or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'decision:{decision.pk}')}"
    )
    awarded_on = (
        (decision.final_at or decision.decided_at)
        .astimezone(UTC)
        .isoformat(timespec="seconds")
        .replace("+00:00", "Z")
    )
    organisation = {
        "id": institution_did(institution),
        "type": "Organisation",
        "legalName": _text(institution.legal_name),
        "location": [
            {
                "id": f"{base}#issuer-location",
                "type": "Location",
                "address": [
                    {
                        "id": f"{base}#issuer-address",
                        "type": "Address",
                        "countryCode": _concept(
                            country_uri(str(institution.country)), str(institution.country)
                        ),
                    }
                ],
            }
        ],
    }
    if institution.legal_identifier:
        organisation["eIDASIdentifier"] = {
            "id": f"{base}#issuer-eidas-identifier",
            "type": "LegalIdentifier",
            "notation": institution.legal_identifier,
            "spatial": _concept(country_uri(str(institution.country)), str(institution.country)),
        }
    title = (
        f"{target.code} {target.title}" if target else str(CreditType(booking.credit_type).label)
    )
    outcomes = (target.learning_outcomes if target else []) or [title]
    eqf = target.eqf_level if target and target.eqf_level else 6
    assessment: dict[str, Any] = {
        "id": f"{base}#assessment",
        "type": "LearningAssessment",
        "title": _text("Recognition of prior learning"),
        "assessedBy": [{"id": organisation["id"]}],
        "awardedBy": {"id": f"{base}#awarding"},
        "specifiedBy": {
            "id": f"{base}#assessment-specification",
            "type": "LearningAssessmentSpecification",
            "title": _text("Recognition of prior learning"),
            "dcType": _concept(f"{base}#recognition", "Recognition of prior learning"),
        },
    }
    grade = getattr(decision, "grade", None)
    if grade is not None:
        assessment["grade"] = _note(base, "grade", grade.converted_grade)
    claim = {
        "id": f"{base}#achievement",
        "type": "LearningAchievement",
        "title": _text(title),
        "awardedBy": {
            "id": f"{base}#awarding",
            "type": "AwardingProcess",
            "awardingBody": [organisation],
            "awardingDate": awarded_on,
        },
        "specifiedBy": {
            "id": f"{base}#specification",
            "type": "LearningAchievementSpecification",
            "title": _text(title),
            "learningOutcome": [
                {"id": f"{base}#outcome-{index}", "type": "LearningOutcome", "title": _text(text)}
                for index, text in enumerate(outcomes)
            ],
            "creditPoint": [
                {
                    "id": f"{base}#credit",
                    "type": "CreditPoint",
                    "framework": _concept(ECTS_FRAMEWORK, "European Credit Transfer System"),
                    "point": str(decision.credits_granted),
                }
            ],
            "eqfLevel": _concept(f"http://data.europa.eu/snb/eqf/{eqf}", str(eqf), EQF_SCHEME),
            "mode": [_concept(f"{LEARNING_ASSESSMENT_MODE}recognition", "recognition")],
        },
        "provenBy": [assessment],
        "additionalNote": [
            _note(base, "term", f"Term: {booking.term}"),
            _note(base, "competent-body", f"Competent body: {booking.competent_body}"),
            _note(base, "legal-basis", f"Legal basis: {booking.legal_basis}"),
            _note(base, "remedies", f"Remedies: {booking.remedies}"),
        ],
    }
    learner = case.learner
    learner_name = case.learner_name or learner.full_name or learner.email
    page = render_display_image(
        title=title,
        learner=learner_name,
        awarding_bodies=[institution.legal_name],
        issued_on=awarded_on,
        lines=[f"{decision.credits_granted} ECTS", f"Term: {booking.term}"],
    )
    display = display_parameter(
        base,
        Texts(title=_text(title), description=_text("Recognition of prior learning"), outcomes=()),
        ["en"],
        (DisplayImage(language="en", png=page),),
    )
    return {
        "@context": [CREDENTIALS_V1_URL, EDC_AP_CONTEXT_URL],
        "id": base,
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialProfiles": [_concept(GENERIC_PROFILE, "Generic")],
        "issuer": organisation,
        "issuanceDate": awarded_on,
        "issued": awarded_on,
        "validFrom": awarded_on,
        "credentialSubject": {
            "id": f"{base}#learner",
            "type": "Person",
            "fullName": _text(learner_name),
            "hasClaim": [claim],
        },
        "credentialSchema": [{"id": EDC_SCHEMA, "type": "ShaclValidator2017"}],
        "displayParameter": display,
    }
