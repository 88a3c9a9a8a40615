"""The same micro-credential as a European Learning Model v3 / European Digital Credential.

ELM documents use the VC 1.1 context plus ``http://data.europa.eu/snb/model/context/edc-ap``.
The EDC application-profile context is not shipped (it is not published in any package this
project can pin), so ELM documents are *not* canonicalised or signed with Data Integrity: EDC is
sealed with JAdES over the JSON bytes (see :mod:`credential_format.jades`), and
:func:`missing_elm_paths` checks the structure instead. The mapping from Annex I elements to ELM
paths is in ``docs/credential-format.md``.
"""

from __future__ import annotations

from typing import Any

from credential_format.builders import (
    IncompleteClaimsError,
    MicroCredentialClaims,
    json_number,
    missing_mandatory_elements,
)
from credential_format.contexts import CREDENTIALS_V1_URL

EDC_AP_CONTEXT_URL = "http://data.europa.eu/snb/model/context/edc-ap"
EDC_SCHEMA = "http://data.europa.eu/snb/model/ap/edc-generic-full"
GENERIC_PROFILE = "http://data.europa.eu/snb/credential/e34929035b"
COUNTRY_AUTHORITY = "http://publications.europa.eu/resource/authority/country/"
ECTS_FRAMEWORK = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
LEARNING_ASSESSMENT_MODE = "http://data.europa.eu/snb/learning-assessment/"
SUPERVISION_SCHEME = "http://data.europa.eu/snb/supervision-verification/"
LANGUAGE_AUTHORITY = "http://publications.europa.eu/resource/authority/language/"
ESCO_SKILLS_SCHEME = "http://data.europa.eu/esco/concept-scheme/skills"
EQF_SCHEME = "http://data.europa.eu/snb/eqf/25831c2"

# ISO 3166-1 alpha-2 -> the EU country authority codes (alpha-3) used by ELM.
_ALPHA3 = {
    "AT": "AUT", "BE": "BEL", "BG": "BGR", "HR": "HRV", "CY": "CYP", "CZ": "CZE", "DK": "DNK",
    "EE": "EST", "FI": "FIN", "FR": "FRA", "DE": "DEU", "GR": "GRC", "EL": "GRC", "HU": "HUN",
    "IE": "IRL", "IT": "ITA", "LV": "LVA", "LT": "LTU", "LU": "LUX", "MT": "MLT", "NL": "NLD",
    "PL": "POL", "PT": "PRT", "RO": "ROU", "SK": "SVK", "SI": "SVN", "ES": "ESP", "SE": "SWE",
    "IS": "ISL", "LI": "LIE", "NO": "NOR", "CH": "CHE", "GB": "GBR", "UK": "GBR", "TR": "TUR",
    "RS": "SRB", "UA": "UKR", "AL": "ALB", "ME": "MNE", "MK": "MKD", "BA": "BIH", "MD": "MDA",
}  # fmt: skip

REQUIRED_ELM_PATHS = (
    ("@context",),
    ("id",),
    ("type",),
    ("issuer", "id"),
    ("issuer", "legalName"),
    ("issuer", "location", "address", "countryCode", "id"),
    ("validFrom",),
    ("credentialSubject", "id"),
    ("credentialSubject", "fullName"),
    ("credentialSubject", "hasClaim", "title"),
    ("credentialSubject", "hasClaim", "awardedBy", "awardingBody"),
    ("credentialSubject", "hasClaim", "awardedBy", "awardingDate"),
    ("credentialSubject", "hasClaim", "specifiedBy", "title"),
    ("credentialSubject", "hasClaim", "specifiedBy", "learningOutcome"),
    ("credentialSubject", "hasClaim", "specifiedBy", "creditPoint"),
    ("credentialSubject", "hasClaim", "specifiedBy", "eqfLevel"),
    ("credentialSubject", "hasClaim", "specifiedBy", "mode"),
    ("credentialSubject", "hasClaim", "provenBy", "specifiedBy", "dcType"),
    ("credentialSchema", "id"),
)


def country_uri(alpha2: str) -> str:
    try:
        return COUNTRY_AUTHORITY + _ALPHA3[alpha2.upper()]
    except KeyError:
        raise IncompleteClaimsError(f"Unknown country code {alpha2!r} for ELM.") from None


def _lang(text: str, language: str) -> dict[str, str]:
    return {language: text}


def _concept(uri: str, label: str, language: str, scheme: str | None = None) -> dict[str, Any]:
    concept: dict[str, Any] = {"id": uri, "type": "Concept", "prefLabel": _lang(label, language)}
    if scheme:
        concept["inScheme"] = {"id": scheme, "type": "ConceptScheme"}
    return concept


def _organisation(body_id: str, name: str, country: str, language: str) -> dict[str, Any]:
    return {
        "id": body_id,
        "type": "Organisation",
        "legalName": _lang(name, language),
        "location": {
            "id": f"{body_id}#location",
            "type": "Location",
            "address": {
                "id": f"{body_id}#address",
                "type": "Address",
                "countryCode": _concept(
                    country_uri(country), country.upper(), "en", COUNTRY_AUTHORITY[:-1]
                ),
            },
        },
    }


def build_elm_credential(claims: MicroCredentialClaims) -> dict[str, Any]:
    """An unsigned ELM v3 ``EuropeanDigitalCredential`` JSON-LD document for the achievement."""
    missing = missing_mandatory_elements(claims)
    if missing:
        raise IncompleteClaimsError(
            "The ELM credential cannot be built; missing: " + ", ".join(missing)
        )
    lang = claims.language
    base = claims.credential_id
    learner_id = claims.learner.did or f"{base}#learner"
    outcomes = []
    for index, outcome in enumerate(claims.learning_outcomes):
        entry: dict[str, Any] = {
            "id": f"{base}#outcome-{index}",
            "type": "LearningOutcome",
            "title": _lang(outcome.text, lang),
        }
        if outcome.skills:
            entry["relatedESCOSkill"] = [
                _concept(skill.uri, skill.label, lang, ESCO_SKILLS_SCHEME)
                for skill in outcome.skills
            ]
        outcomes.append(entry)
    specification: dict[str, Any] = {
        "id": f"{base}#specification",
        "type": "Qualification",
        "title": _lang(claims.title, lang),
        "description": _lang(claims.description, lang),
        "learningOutcome": outcomes,
        "creditPoint": [
            {
                "id": f"{base}#credit",
                "type": "CreditPoint",
                "framework": _concept(ECTS_FRAMEWORK, "European Credit Transfer System", "en"),
                "point": str(json_number(claims.ects_credits)),
            }
        ],
        "eqfLevel": _concept(
            f"http://data.europa.eu/snb/eqf/{claims.eqf_level}",
            str(claims.eqf_level),
            "en",
            EQF_SCHEME,
        ),
        "mode": [
            _concept(
                f"{LEARNING_ASSESSMENT_MODE}{claims.participation_form}",
                claims.participation_form,
                "en",
            )
        ],
        "language": [_concept(f"{LANGUAGE_AUTHORITY}{lang.upper()}", lang, "en")],
        "isPartialQualification": claims.integration in ("stackable", "integrated"),
        "additionalNote": [
            {
                "id": f"{base}#quality-assurance",
                "type": "Note",
                "noteLiteral": _lang(claims.quality_assurance, lang),
                "subject": _concept(
                    "http://data.europa.eu/snb/additional-note/quality-assurance",
                    "Quality assurance",
                    "en",
                ),
            },
        ],
    }
    if claims.workload_hours:
        specification["volumeOfLearning"] = f"PT{claims.workload_hours}H"
    if claims.prerequisites:
        specification["entryRequirement"] = {
            "id": f"{base}#entry-requirement",
            "type": "Note",
            "noteLiteral": _lang(claims.prerequisites, lang),
        }
    assessment: dict[str, Any] = {
        "id": f"{base}#assessment",
        "type": "LearningAssessment",
        "title": _lang(claims.assessment_type, lang),
        "assessedBy": [{"id": body.id} for body in claims.awarding_bodies],
        "specifiedBy": {
            "id": f"{base}#assessment-specification",
            "type": "LearningAssessmentSpecification",
            "title": _lang(claims.assessment_type, lang),
            "dcType": _concept(f"{base}#assessment-type", claims.assessment_type, lang),
        },
    }
    if claims.grade:
        assessment["grade"] = {
            "id": f"{base}#grade",
            "type": "Note",
            "noteLiteral": _lang(claims.grade.value, lang),
        }
    if claims.supervision:
        assessment["idVerification"] = _concept(
            f"{SUPERVISION_SCHEME}{claims.supervision}", claims.supervision, "en"
        )
    claim: dict[str, Any] = {
        "id": f"{base}#achievement",
        "type": "LearningAchievement",
        "title": _lang(claims.title, lang),
        "awardedBy": {
            "id": f"{base}#awarding",
            "type": "AwardingProcess",
            "awardingBody": [
                _organisation(body.id, body.name, body.country_code, lang)
                for body in claims.awarding_bodies
            ],
            "awardingDate": claims.issued_on,
        },
        "specifiedBy": specification,
        "provenBy": [assessment],
    }
    subject: dict[str, Any] = {
        "id": learner_id,
        "type": "Person",
        "fullName": _lang(claims.learner.full_name, lang),
    }
    if claims.learner.email:
        subject["contactPoint"] = [
            {
                "id": f"{base}#contact",
                "type": "ContactPoint",
                "emailAddress": {"id": f"mailto:{claims.learner.email}", "type": "Mailbox"},
            }
        ]
    subject["hasClaim"] = [claim]
    document: dict[str, Any] = {
        "@context": [CREDENTIALS_V1_URL, EDC_AP_CONTEXT_URL],
        "id": base,
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialProfiles": [_concept(GENERIC_PROFILE, "Generic", "en")],
        "issuer": _organisation(
            claims.issuer.id, claims.issuer.name, claims.issuer.country_code, lang
        ),
        "issuanceDate": claims.issued_on,
        "issued": claims.issued_on,
        "validFrom": claims.issued_on,
        "credentialSubject": subject,
        "credentialSchema": [{"id": EDC_SCHEMA, "type": "ShaclValidator2017"}],
        "displayParameter": {
            "id": f"{base}#display",
            "type": "DisplayParameter",
            "title": _lang(claims.title, lang),
            "language": [_concept(f"{LANGUAGE_AUTHORITY}{lang.upper()}", lang, "en")],
            "primaryLanguage": _concept(f"{LANGUAGE_AUTHORITY}{lang.upper()}", lang, "en"),
        },
    }
    if claims.valid_until:
        document["expirationDate"] = claims.valid_until
        document["validUntil"] = claims.valid_until
    return document


def missing_elm_paths(document: dict[str, Any]) -> list[str]:
    """The required ELM paths (dotted) that are absent or empty; lists are searched element-wise."""

    def present(node: Any, path: tuple[str, ...]) -> bool:
        if not path:
            return node not in (None, "", [], {})
        if isinstance(node, list):
            return any(present(item, path) for item in node)
        if not isinstance(node, dict) or path[0] not in node:
            return False
        return present(node[path[0]], path[1:])

    return [".".join(path) for path in REQUIRED_ELM_PATHS if not present(document, path)]
