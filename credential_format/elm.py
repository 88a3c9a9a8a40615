"""The same micro-credential as a European Learning Model v3 European Digital Credential (EDC).

The document follows the EDC generic profile (``credentialProfiles`` Generic, validated by the
Commission's ``edc-generic-full`` SHACL shapes, controlled vocabularies included): every concept
is an IRI of the EU vocabulary it belongs to (with ``inScheme``), languages are the EU language
authority's three-letter codes, the issuer carries its eIDAS legal identifier, and the display
parameters carry an image per language. EDC is sealed with JAdES over the JSON bytes (see
:mod:`credential_format.jades`), not Data Integrity-signed. Texts are JSON-LD language maps in
every language the programme has. The mapping from Annex I elements to ELM paths is in
``docs/elm-export.md``.

The input is the same :class:`MicroCredentialClaims` the Open Badge is built from, plus what
ELM needs and Open Badges has no place for (:class:`ElmDetails`).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from credential_format.builders import (
    IncompleteClaimsError,
    MicroCredentialClaims,
    json_number,
    missing_mandatory_elements,
)
from credential_format.contexts import CREDENTIALS_V1_URL
from credential_format.elm_display import render_display_image

EDC_AP_CONTEXT_URL = "http://data.europa.eu/snb/model/context/edc-ap"
EDC_SCHEMA = "http://data.europa.eu/snb/model/ap/edc-generic-full"

COUNTRY_SCHEME = "http://publications.europa.eu/resource/authority/country"
LANGUAGE_SCHEME = "http://publications.europa.eu/resource/authority/language"
FILE_TYPE_SCHEME = "http://publications.europa.eu/resource/authority/file-type"
CREDENTIAL_SCHEME = "http://data.europa.eu/snb/credential/25831c2"
ENCODING_SCHEME = "http://data.europa.eu/snb/encoding/25831c2"
EDUCATION_CREDIT_SCHEME = "http://data.europa.eu/snb/education-credit/25831c2"
EQF_SCHEME = "http://data.europa.eu/snb/eqf/25831c2"
ISCED_F_SCHEME = "http://data.europa.eu/snb/isced-f/25831c2"
LEARNING_ASSESSMENT_SCHEME = "http://data.europa.eu/snb/learning-assessment/25831c2"
SUPERVISION_SCHEME = "http://data.europa.eu/snb/supervision-verification/25831c2"
ESCO_SKILLS_SCHEME = "http://data.europa.eu/esco/concept-scheme/skills"
NUTS_SCHEME = "http://data.europa.eu/nuts/scheme/2021"

GENERIC_PROFILE = "http://data.europa.eu/snb/credential/e34929035b"
BASE64_ENCODING = "http://data.europa.eu/snb/encoding/6146cde7dd"
ECTS_FRAMEWORK = "http://data.europa.eu/snb/education-credit/6fcec5c5af"

# Form of participation (Annex I) -> the EU "learning assessment" (mode) vocabulary.
MODES = {
    "online": ("http://data.europa.eu/snb/learning-assessment/920fbb3cbe", "Online"),
    "onsite": ("http://data.europa.eu/snb/learning-assessment/9191af2ed9", "Presential"),
    "blended": ("http://data.europa.eu/snb/learning-assessment/e92d221e4d", "Blended"),
}
# Only the supervision concepts whose EU vocabulary IRI the Commission's own samples use are
# sent as concepts; the other Annex I values travel as a note rather than as an invented IRI.
SUPERVISION_CONCEPTS = {
    "unsupervised-no-identity-verification": (
        "http://data.europa.eu/snb/supervision-verification/c598449d64",
        "Unsupervised without ID Verification",
    ),
}
SUPERVISION_TEXT = {
    "unsupervised-no-identity-verification": "Unsupervised, without identity verification",
    "supervised-no-identity-verification": "Supervised, without identity verification",
    "supervised-with-identity-verification": "Supervised, with identity verification",
}
INTEGRATION_TEXT = {
    "stand-alone": "Stand-alone micro-credential",
    "stackable": "Stackable towards a larger credential",
    "integrated": "Integrated into a larger credential",
}
QF_EHEA_TEXT = {
    "short": "QF-EHEA short cycle",
    "first": "QF-EHEA first cycle",
    "second": "QF-EHEA second cycle",
    "third": "QF-EHEA third cycle",
}

# ISO 3166-1 alpha-2 -> the EU country authority codes (alpha-3) and English names.
_COUNTRIES = {
    "AT": ("AUT", "Austria"), "BE": ("BEL", "Belgium"), "BG": ("BGR", "Bulgaria"),
    "HR": ("HRV", "Croatia"), "CY": ("CYP", "Cyprus"), "CZ": ("CZE", "Czechia"),
    "DK": ("DNK", "Denmark"), "EE": ("EST", "Estonia"), "FI": ("FIN", "Finland"),
    "FR": ("FRA", "France"), "DE": ("DEU", "Germany"), "GR": ("GRC", "Greece"),
    "EL": ("GRC", "Greece"), "HU": ("HUN", "Hungary"), "IE": ("IRL", "Ireland"),
    "IT": ("ITA", "Italy"), "LV": ("LVA", "Latvia"), "LT": ("LTU", "Lithuania"),
    "LU": ("LUX", "Luxembourg"), "MT": ("MLT", "Malta"), "NL": ("NLD", "Netherlands"),
    "PL": ("POL", "Poland"), "PT": ("PRT", "Portugal"), "RO": ("ROU", "Romania"),
    "SK": ("SVK", "Slovakia"), "SI": ("SVN", "Slovenia"), "ES": ("ESP", "Spain"),
    "SE": ("SWE", "Sweden"), "IS": ("ISL", "Iceland"), "LI": ("LIE", "Liechtenstein"),
    "NO": ("NOR", "Norway"), "CH": ("CHE", "Switzerland"), "GB": ("GBR", "United Kingdom"),
    "UK": ("GBR", "United Kingdom"), "TR": ("TUR", "Türkiye"), "RS": ("SRB", "Serbia"),
    "UA": ("UKR", "Ukraine"), "AL": ("ALB", "Albania"), "ME": ("MNE", "Montenegro"),
    "MK": ("MKD", "North Macedonia"), "BA": ("BIH", "Bosnia and Herzegovina"),
    "MD": ("MDA", "Moldova"),
}  # fmt: skip

# BCP 47 primary language subtags -> the EU language authority codes and English names.
_LANGUAGES = {
    "bg": ("BUL", "Bulgarian"), "ca": ("CAT", "Catalan"), "cs": ("CES", "Czech"),
    "da": ("DAN", "Danish"), "de": ("DEU", "German"), "el": ("ELL", "Greek"),
    "en": ("ENG", "English"), "es": ("SPA", "Spanish"), "et": ("EST", "Estonian"),
    "eu": ("EUS", "Basque"), "fi": ("FIN", "Finnish"), "fr": ("FRA", "French"),
    "ga": ("GLE", "Irish"), "gl": ("GLG", "Galician"), "hr": ("HRV", "Croatian"),
    "hu": ("HUN", "Hungarian"), "it": ("ITA", "Italian"), "lt": ("LIT", "Lithuanian"),
    "lv": ("LAV", "Latvian"), "mt": ("MLT", "Maltese"), "nl": ("NLD", "Dutch"),
    "pl": ("POL", "Polish"), "pt": ("POR", "Portuguese"), "ro": ("RON", "Romanian"),
    "sk": ("SLK", "Slovak"), "sl": ("SLV", "Slovenian"), "sv": ("SWE", "Swedish"),
}  # fmt: skip

ISCED_F_CODE = re.compile(r"^(\d{3,4})(?:\s|$)")  # "0688" or "0688 Inter-disciplinary ICT"
NUTS_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


@dataclass(frozen=True)
class OrganisationDetails:
    """What ELM says about an awarding body beyond its name and country."""

    legal_identifier: str | None = None  # eIDAS legal person identifier, e.g. VATES-Q0818002H
    region: str | None = None  # NUTS code, e.g. ES511
    identifiers: tuple[tuple[str, str], ...] = ()  # (scheme name, value): Erasmus, SCHAC, PIC


@dataclass(frozen=True)
class Texts:
    """The programme's texts in each of its languages (language maps)."""

    title: Mapping[str, str]
    description: Mapping[str, str]
    outcomes: tuple[Mapping[str, str], ...]


@dataclass(frozen=True)
class LargerCredential:
    """A credential this one is stackable towards (a pathway)."""

    id: str
    title: str


@dataclass(frozen=True)
class DisplayImage:
    """A rendering of the credential in one language (PNG bytes)."""

    language: str
    png: bytes


@dataclass(frozen=True)
class ElmDetails:
    organisations: Mapping[str, OrganisationDetails] = field(default_factory=dict)
    texts: Texts | None = None
    stackable_towards: tuple[LargerCredential, ...] = ()
    display_images: tuple[DisplayImage, ...] = ()
    # For a stacked (pathway) credential: the identifiers of the credentials it is made of.
    made_of: tuple[str, ...] = ()


def country_uri(alpha2: str) -> str:
    return f"{COUNTRY_SCHEME}/{_country(alpha2)[0]}"


def _country(alpha2: str) -> tuple[str, str]:
    try:
        return _COUNTRIES[alpha2.upper()]
    except KeyError:
        raise IncompleteClaimsError(f"Unknown country code {alpha2!r} for ELM.") from None


def _language(tag: str) -> tuple[str, str]:
    try:
        return _LANGUAGES[tag.split("-")[0].lower()]
    except KeyError:
        raise IncompleteClaimsError(f"Language {tag!r} has no EU vocabulary code.") from None


def _concept(uri: str, label: str, scheme: str) -> dict[str, Any]:
    return {
        "id": uri,
        "type": "Concept",
        "inScheme": {"id": scheme, "type": "ConceptScheme"},
        "prefLabel": {"en": label},
    }


def _country_concept(alpha2: str) -> dict[str, Any]:
    code, name = _country(alpha2)
    return _concept(f"{COUNTRY_SCHEME}/{code}", name, COUNTRY_SCHEME)


def _language_concept(tag: str) -> dict[str, Any]:
    code, name = _language(tag)
    return _concept(f"{LANGUAGE_SCHEME}/{code}", name, LANGUAGE_SCHEME)


def _note(node_id: str, text: Mapping[str, str]) -> dict[str, Any]:
    return {"id": node_id, "type": "Note", "noteLiteral": dict(text)}


def _texts(claims: MicroCredentialClaims, details: ElmDetails) -> Texts:
    """The language maps, always including the claims' own language with the signed text."""
    given = details.texts
    lang = claims.language
    outcomes = tuple(
        {**(given.outcomes[i] if given and i < len(given.outcomes) else {}), lang: outcome.text}
        for i, outcome in enumerate(claims.learning_outcomes)
    )
    return Texts(
        title={**(given.title if given else {}), lang: claims.title},
        description={**(given.description if given else {}), lang: claims.description},
        outcomes=outcomes,
    )


def _organisation(body_id: str, name: str, country: str, details: OrganisationDetails) -> dict:
    location: dict[str, Any] = {
        "id": f"{body_id}#location",
        "type": "Location",
        "address": {
            "id": f"{body_id}#address",
            "type": "Address",
            "countryCode": _country_concept(country),
        },
    }
    if details.region and NUTS_CODE.match(details.region):
        location["spatialCode"] = _concept(
            f"http://data.europa.eu/nuts/code/{details.region}",
            details.region,
            NUTS_SCHEME,
        )
    organisation: dict[str, Any] = {
        "id": body_id,
        "type": "Organisation",
        "legalName": {"en": name},
        "location": location,
    }
    if details.legal_identifier:
        organisation["eIDASIdentifier"] = {
            "id": f"{body_id}#eidas-identifier",
            "type": "LegalIdentifier",
            "notation": details.legal_identifier,
            "spatial": _country_concept(country),
        }
    if details.identifiers:
        organisation["identifier"] = [
            {
                "id": f"{body_id}#identifier-{index}",
                "type": "Identifier",
                "schemeName": scheme,
                "notation": value,
            }
            for index, (scheme, value) in enumerate(details.identifiers)
        ]
    return organisation


def default_display_images(
    claims: MicroCredentialClaims, texts: Texts, languages: list[str]
) -> tuple[DisplayImage, ...]:
    """A page per language drawn from the document's own texts."""
    return tuple(
        DisplayImage(
            language,
            render_display_image(
                title=texts.title.get(language, claims.title),
                learner=claims.learner.full_name,
                awarding_bodies=[body.name for body in claims.awarding_bodies],
                issued_on=claims.issued_on,
                lines=[
                    f"{json_number(claims.ects_credits)} ECTS, EQF {claims.eqf_level}",
                    *(outcome.get(language, "") for outcome in texts.outcomes),
                ],
            ),
        )
        for language in languages
    )


def display_parameter(
    base: str, texts: Texts, languages: list[str], images_given: tuple[DisplayImage, ...]
) -> dict:
    images = {image.language: image.png for image in images_given}
    displays = []
    for index, language in enumerate(lang for lang in languages if lang in images):
        displays.append(
            {
                "id": f"{base}#display-{language}",
                "type": "IndividualDisplay",
                "language": _language_concept(language),
                "displayDetail": {
                    "id": f"{base}#display-{language}-page-1",
                    "type": "DisplayDetail",
                    "page": 1,
                    "image": {
                        "id": f"{base}#display-{language}-image-{index}",
                        "type": "MediaObject",
                        "content": base64.b64encode(images[language]).decode("ascii"),
                        "contentEncoding": _concept(BASE64_ENCODING, "base64", ENCODING_SCHEME),
                        "contentType": _concept(f"{FILE_TYPE_SCHEME}/PNG", "PNG", FILE_TYPE_SCHEME),
                    },
                },
            }
        )
    if not displays:
        raise IncompleteClaimsError("The EDC needs a display image in at least one language.")
    return {
        "id": f"{base}#display",
        "type": "DisplayParameter",
        "title": dict(texts.title),
        "description": dict(texts.description),
        "language": [_language_concept(language) for language in languages],
        "primaryLanguage": _language_concept(languages[0]),
        "individualDisplay": displays,
    }


def build_elm_credential(
    claims: MicroCredentialClaims, details: ElmDetails | None = None
) -> dict[str, Any]:
    """An unsigned ELM v3 ``EuropeanDigitalCredential`` JSON-LD document for the achievement."""
    details = details or ElmDetails()
    missing = missing_mandatory_elements(claims)
    issuer_details = details.organisations.get(claims.issuer.id, OrganisationDetails())
    if not issuer_details.legal_identifier:
        missing.append("eIDAS legal identifier of the issuer")
    if claims.participation_form not in MODES:
        missing.append("form of participation")
    if missing:
        raise IncompleteClaimsError(
            "The ELM credential cannot be built; missing: " + ", ".join(missing)
        )
    base = claims.credential_id
    texts = _texts(claims, details)
    languages = list(dict.fromkeys([claims.language, *texts.title]))
    for language in languages:
        _language(language)  # every language must have an EU code
    learner_id = claims.learner.did or f"{base}#learner"

    def organisation(body_id: str, name: str, country: str) -> dict[str, Any]:
        return _organisation(
            body_id, name, country, details.organisations.get(body_id, OrganisationDetails())
        )

    outcomes = []
    for index, (outcome, title) in enumerate(
        zip(claims.learning_outcomes, texts.outcomes, strict=True)
    ):
        entry: dict[str, Any] = {
            "id": f"{base}#outcome-{index}",
            "type": "LearningOutcome",
            "title": dict(title),
        }
        esco = [skill for skill in outcome.skills if "data.europa.eu/esco/skill/" in skill.uri]
        if esco:
            entry["relatedESCOSkill"] = [
                _concept(skill.uri, skill.label, ESCO_SKILLS_SCHEME) for skill in esco
            ]
        outcomes.append(entry)
    mode_uri, mode_label = MODES[claims.participation_form]
    notes: list[dict[str, Any]] = [
        _note(f"{base}#quality-assurance", {claims.language: claims.quality_assurance})
    ]
    if claims.qf_ehea_cycle:
        notes.append(_note(f"{base}#qf-ehea", {"en": QF_EHEA_TEXT[claims.qf_ehea_cycle]}))
    if claims.integration:
        notes.append(_note(f"{base}#integration", {"en": INTEGRATION_TEXT[claims.integration]}))
    if details.made_of:
        notes.append(
            _note(
                f"{base}#made-of",
                {"en": "Stacked from the credentials " + ", ".join(details.made_of)},
            )
        )
    if claims.further_information:
        notes.append(
            _note(f"{base}#further-information", {claims.language: claims.further_information})
        )
    specification: dict[str, Any] = {
        "id": f"{base}#specification",
        "type": "Qualification",
        "title": dict(texts.title),
        "description": dict(texts.description),
        "learningOutcome": outcomes,
        "creditPoint": [
            {
                "id": f"{base}#credit",
                "type": "CreditPoint",
                "framework": _concept(
                    ECTS_FRAMEWORK, "European Credit Transfer System", EDUCATION_CREDIT_SCHEME
                ),
                "point": str(json_number(claims.ects_credits)),
            }
        ],
        "eqfLevel": _concept(
            f"http://data.europa.eu/snb/eqf/{claims.eqf_level}",
            f"Level {claims.eqf_level}",
            EQF_SCHEME,
        ),
        "mode": [_concept(mode_uri, mode_label, LEARNING_ASSESSMENT_SCHEME)],
        "language": [_language_concept(language) for language in languages],
        "isPartialQualification": claims.integration in ("stackable", "integrated"),
        "additionalNote": notes,
    }
    isced_f = ISCED_F_CODE.match(claims.field_of_study or "")
    if isced_f:
        specification["thematicArea"] = [
            _concept(
                f"http://data.europa.eu/snb/isced-f/{isced_f.group(1)}",
                str(claims.field_of_study),
                ISCED_F_SCHEME,
            )
        ]
    if claims.workload_hours:
        specification["volumeOfLearning"] = f"PT{claims.workload_hours}H"
    if claims.prerequisites:
        specification["entryRequirement"] = _note(
            f"{base}#entry-requirement", {claims.language: claims.prerequisites}
        )
    if details.stackable_towards:
        specification["isPartOf"] = [
            {"id": larger.id, "type": "Qualification", "title": {"en": larger.title}}
            for larger in details.stackable_towards
        ]
    awarding = {
        "id": f"{base}#awarding",
        "type": "AwardingProcess",
        "awardingBody": [
            organisation(body.id, body.name, body.country_code) for body in claims.awarding_bodies
        ],
        "awardingDate": claims.issued_on,
    }
    assessment: dict[str, Any] = {
        "id": f"{base}#assessment",
        "type": "LearningAssessment",
        "title": {claims.language: claims.assessment_type},
        "awardedBy": {"id": awarding["id"]},
        "assessedBy": [{"id": body.id} for body in claims.awarding_bodies],
        "grade": _note(f"{base}#grade", {"en": claims.grade.value if claims.grade else "Passed"}),
        "specifiedBy": {
            "id": f"{base}#assessment-specification",
            "type": "LearningAssessmentSpecification",
            "title": {claims.language: claims.assessment_type},
        },
    }
    if claims.supervision in SUPERVISION_CONCEPTS:
        uri, label = SUPERVISION_CONCEPTS[claims.supervision]
        assessment["idVerification"] = _concept(uri, label, SUPERVISION_SCHEME)
    if claims.supervision:
        assessment["additionalNote"] = [
            _note(f"{base}#supervision", {"en": SUPERVISION_TEXT[claims.supervision]})
        ]
    claim: dict[str, Any] = {
        "id": f"{base}#achievement",
        "type": "LearningAchievement",
        "title": dict(texts.title),
        "awardedBy": awarding,
        "specifiedBy": specification,
        "provenBy": [assessment],
    }
    subject: dict[str, Any] = {
        "id": learner_id,
        "type": "Person",
        "fullName": {claims.language: claims.learner.full_name},
        "hasClaim": [claim],
    }
    document: dict[str, Any] = {
        "@context": [CREDENTIALS_V1_URL, EDC_AP_CONTEXT_URL],
        "id": base,
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialProfiles": [_concept(GENERIC_PROFILE, "Generic", CREDENTIAL_SCHEME)],
        "issuer": organisation(claims.issuer.id, claims.issuer.name, claims.issuer.country_code),
        "issuanceDate": claims.issued_on,
        "issued": claims.issued_on,
        "validFrom": claims.issued_on,
        "credentialSubject": subject,
        "credentialSchema": [{"id": EDC_SCHEMA, "type": "ShaclValidator2017"}],
        "displayParameter": display_parameter(
            base,
            texts,
            languages,
            details.display_images or default_display_images(claims, texts, languages),
        ),
    }
    if claims.valid_until:
        document["expirationDate"] = claims.valid_until
    return document
