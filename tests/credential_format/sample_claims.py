"""Realistic claims for tests and the benchmark."""

from __future__ import annotations

import uuid

from credential_format.builders import (
    AwardingBody,
    Grade,
    Learner,
    LearningOutcome,
    MicroCredentialClaims,
    Skill,
)
from credential_format.elm import ElmDetails, LargerCredential, OrganisationDetails, Texts
from credential_format.status_list import status_entry

COORDINATOR = AwardingBody(
    id="did:web:portal.example.eu:institutions:uni-leuven",
    name="Université de Leuven",
    country_code="BE",
    url="https://uni-leuven.example.eu",
)
PARTNER = AwardingBody(
    id="did:web:portal.example.eu:institutions:uni-krakow",
    name="Uniwersytet Krakowski",
    country_code="PL",
)
# What the EDC needs beyond the Open Badge claims (identifiers, regions, Spanish texts).
ELM_DETAILS = ElmDetails(
    organisations={
        COORDINATOR.id: OrganisationDetails(
            legal_identifier="VATBE-0419052173",
            region="BE242",
            identifiers=(("Erasmus institution code", "B LEUVEN01"), ("PIC", "999986096")),
        ),
        PARTNER.id: OrganisationDetails(legal_identifier="VATPL-6750002236", region="PL213"),
    },
    texts=Texts(
        title={"es": "Alfabetización de datos para políticas públicas"},
        description={
            "es": "Una microcredencial conjunta sobre datos abiertos y políticas públicas."
        },
        outcomes=(
            {"es": "Encontrar, limpiar y combinar conjuntos de datos públicos abiertos."},
            {"es": "Evaluar una política pública con estadística descriptiva."},
        ),
    ),
    stackable_towards=(
        LargerCredential(
            "https://portal.example.eu/pathways/public-data-science", "Public data science"
        ),
    ),
)
STATUS_LIST_URL = "https://portal.example.eu/status/revocation/1"


def micro_credential_claims(
    *,
    learner_name: str = "Zoë Ångström-Łukasiewicz",
    learner_did: str | None = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
    issuer: AwardingBody = COORDINATOR,
    status_index: int | None = 94567,
    issued_on: str = "2025-03-01T09:00:00Z",
    valid_until: str | None = None,
    credential_id: str | None = None,
) -> MicroCredentialClaims:
    return MicroCredentialClaims(
        credential_id=credential_id or f"urn:uuid:{uuid.uuid4()}",
        achievement_id="https://portal.example.eu/programmes/data-literacy/v2",
        title="Data Literacy for Public Policy",
        description="A joint micro-credential on using open data to evaluate public policies.",
        criteria_narrative="Complete the four modules and pass the assessed group project.",
        issuer=issuer,
        awarding_bodies=(issuer, PARTNER),
        learner=Learner(full_name=learner_name, did=learner_did, email="zoe@example.org"),
        issued_on=issued_on,
        valid_until=valid_until,
        learning_outcomes=(
            LearningOutcome(
                "Find, clean and combine open government datasets.",
                (
                    Skill(
                        "http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9",
                        "analyse big data",
                    ),
                ),
            ),
            LearningOutcome(
                "Evaluate a public policy with descriptive statistics.",
                (
                    Skill(
                        "http://data.europa.eu/esco/skill/2c2c7d3f-7d4a-4bf6-9a4b-2b6f8b0f6e5a",
                        "perform data analysis",
                    ),
                ),
            ),
        ),
        ects_credits=5,
        eqf_level=6,
        qf_ehea_cycle="first",
        workload_hours=140,
        assessment_type="Group project with individual oral defence",
        participation_form="blended",
        quality_assurance="Internal QA of both universities; programme accredited by NVAO.",
        language="en",
        field_of_study="0688 Inter-disciplinary ICT programmes",
        prerequisites="Bachelor-level statistics",
        supervision="supervised-with-identity-verification",
        grade=Grade("B"),
        integration="stackable",
        stackable_towards=("https://portal.example.eu/pathways/public-data-science",),
        further_information="https://portal.example.eu/programmes/data-literacy",
        credential_status=(
            (status_entry(list_credential_url=STATUS_LIST_URL, index=status_index),)
            if status_index is not None
            else ()
        ),
        email_salt="5f1b2c",
    )
