"""Demo alliances modelled on ECIU and EU4DUAL, with real member universities, and people
for every role. Idempotent: existing rows are left as they are."""

from __future__ import annotations

from datetime import date
from typing import Any

from alliances.models import (
    Alliance,
    AllianceRole,
    Institution,
    InstitutionRole,
    Membership,
    MembershipRole,
    StaffRole,
)
from portal.demo import DEMO_PASSWORD, ensure_demo_user

ALLIANCES = [
    {
        "slug": "eciu",
        "name": "ECIU University",
        "founded_year": 1997,
        "website": "https://www.eciu.eu",
        "description": (
            "The European Consortium of Innovative Universities: research-intensive, "
            "challenge-based universities that offer micro-credentials together, built "
            "around real challenges from cities and companies."
        ),
    },
    {
        "slug": "eu4dual",
        "name": "EU4DUAL",
        "founded_year": 2022,
        "website": "https://eu4dual.eu",
        "description": (
            "A European university alliance for dual education: study programmes that "
            "alternate between the university and a company, with joint micro-credentials "
            "for working learners."
        ),
    },
]

# Where each country's institutions state their dates and deadlines.
TIME_ZONES = {
    "DE": "Europe/Berlin",
    "DK": "Europe/Copenhagen",
    "ES": "Europe/Madrid",
    "FI": "Europe/Helsinki",
    "FR": "Europe/Paris",
    "HU": "Europe/Budapest",
    "IE": "Europe/Dublin",
    "IT": "Europe/Rome",
    "LT": "Europe/Vilnius",
    "MT": "Europe/Malta",
    "NL": "Europe/Amsterdam",
    "NO": "Europe/Oslo",
    "PT": "Europe/Lisbon",
    "SE": "Europe/Stockholm",
}

# (alliance, role, slug, legal name, short name, country, city, SCHAC, Erasmus, language,
#  accrediting body)
INSTITUTIONS: list[tuple[str, str, str, str, str, str, str, str, str, str, str]] = [
    (
        "eciu",
        "coordinator",
        "utwente",
        "University of Twente",
        "UT",
        "NL",
        "Enschede",
        "utwente.nl",
        "NL ENSCHED01",
        "nl",
        "NVAO (Accreditation Organisation of the Netherlands and Flanders)",
    ),
    (
        "eciu",
        "partner",
        "uab",
        "Universitat Autònoma de Barcelona",
        "UAB",
        "ES",
        "Cerdanyola del Vallès",
        "uab.cat",
        "E BARCELO02",
        "ca",
        "AQU Catalunya",
    ),
    (
        "eciu",
        "partner",
        "tuhh",
        "Hamburg University of Technology",
        "TUHH",
        "DE",
        "Hamburg",
        "tuhh.de",
        "",
        "de",
        "Akkreditierungsrat (system accreditation)",
    ),
    (
        "eciu",
        "partner",
        "aau",
        "Aalborg University",
        "AAU",
        "DK",
        "Aalborg",
        "aau.dk",
        "DK AALBORG01",
        "da",
        "Danish Accreditation Institution",
    ),
    (
        "eciu",
        "partner",
        "ktu",
        "Kaunas University of Technology",
        "KTU",
        "LT",
        "Kaunas",
        "ktu.edu",
        "LT KAUNAS02",
        "lt",
        "Centre for Quality Assessment in Higher Education (SKVC)",
    ),
    (
        "eciu",
        "partner",
        "liu",
        "Linköping University",
        "LiU",
        "SE",
        "Linköping",
        "liu.se",
        "S LINKOPI01",
        "sv",
        "Swedish Higher Education Authority (UKÄ)",
    ),
    (
        "eciu",
        "partner",
        "tuni",
        "Tampere University",
        "TAU",
        "FI",
        "Tampere",
        "tuni.fi",
        "",
        "fi",
        "Finnish Education Evaluation Centre (FINEEC)",
    ),
    (
        "eciu",
        "partner",
        "uis",
        "University of Stavanger",
        "UiS",
        "NO",
        "Stavanger",
        "uis.no",
        "N STAVANG01",
        "nb",
        "NOKUT",
    ),
    (
        "eciu",
        "partner",
        "dcu",
        "Dublin City University",
        "DCU",
        "IE",
        "Dublin",
        "dcu.ie",
        "",
        "en",
        "Quality and Qualifications Ireland (QQI)",
    ),
    (
        "eciu",
        "partner",
        "ua",
        "University of Aveiro",
        "UA",
        "PT",
        "Aveiro",
        "ua.pt",
        "P AVEIRO01",
        "pt",
        "A3ES",
    ),
    (
        "eciu",
        "partner",
        "unitn",
        "University of Trento",
        "UniTrento",
        "IT",
        "Trento",
        "unitn.it",
        "I TRENTO01",
        "it",
        "ANVUR",
    ),
    (
        "eu4dual",
        "coordinator",
        "mondragon",
        "Mondragon Unibertsitatea",
        "MU",
        "ES",
        "Arrasate-Mondragón",
        "mondragon.edu",
        "E MONDRAG01",
        "es",
        "Unibasq",
    ),
    (
        "eu4dual",
        "partner",
        "dhbw",
        "Duale Hochschule Baden-Württemberg",
        "DHBW",
        "DE",
        "Stuttgart",
        "dhbw.de",
        "",
        "de",
        "Akkreditierungsrat (system accreditation)",
    ),
    (
        "eu4dual",
        "partner",
        "estia",
        "ESTIA Institute of Technology",
        "ESTIA",
        "FR",
        "Bidart",
        "estia.fr",
        "",
        "fr",
        "Commission des titres d'ingénieur (CTI)",
    ),
    (
        "eu4dual",
        "partner",
        "obuda",
        "Óbuda University",
        "ÓE",
        "HU",
        "Budapest",
        "uni-obuda.hu",
        "",
        "hu",
        "Hungarian Accreditation Committee (MAB)",
    ),
    (
        "eu4dual",
        "partner",
        "mcast",
        "Malta College of Arts, Science and Technology",
        "MCAST",
        "MT",
        "Paola",
        "mcast.edu.mt",
        "",
        "en",
        "Malta Further and Higher Education Authority (MFHEA)",
    ),
]

# The NUTS 2021 region of each demo institution's main campus.
NUTS_REGIONS = {
    "utwente": "NL213", "uab": "ES511", "tuhh": "DE600", "aau": "DK050", "ktu": "LT022",
    "liu": "SE123", "tuni": "FI197", "uis": "NO0A1", "dcu": "IE061", "ua": "PT16D",
    "unitn": "ITH20", "mondragon": "ES212", "dhbw": "DE111", "estia": "FRI15",
    "obuda": "HU110", "mcast": "MT001",
}  # fmt: skip


def demo_pic(slug: str) -> str:
    """A made-up nine-digit Participant Identification Code (real ones come from the EU
    Funding and Tenders portal), stable per institution."""
    return str(900_000_000 + sum(ord(letter) * 31**i for i, letter in enumerate(slug)) % 99_999_999)


def demo_legal_identifier(slug: str, country: str) -> str:
    """A made-up eIDAS legal identifier (national trade register scheme, marked DEMO)."""
    return f"NTR{country}-DEMO-{slug.upper()}"


# Staff at these institutions: an admin, a programme manager and a recognition officer each.
STAFFED = ["uab", "utwente", "mondragon", "dhbw", "tuhh"]

LEARNERS = [
    ("learner.ana@demo.example", "Ana García Puig"),
    ("learner.jonas@demo.example", "Jonas Müller"),
    ("learner.aoife@demo.example", "Aoife Ní Bhriain"),
    ("learner.zsofia@demo.example", "Zsófia Kovács"),
]


def _qa_procedures(short_name: str, body: str) -> str:
    return (
        f"{short_name} runs an internal quality-assurance system aligned with the European "
        f"Standards and Guidelines (ESG 2015): programme approval, yearly monitoring with "
        f"student feedback, and periodic external review by {body}."
    )


def seed(*, stdout: Any) -> list[tuple[str, str, str]]:
    logins: list[tuple[str, str, str]] = []
    alliances = {}
    for data in ALLIANCES:
        values = dict(data)
        slug = values.pop("slug")
        alliances[slug], _ = Alliance.objects.get_or_create(slug=slug, defaults=values)

    institutions = {}
    for (
        alliance_slug,
        role,
        slug,
        legal_name,
        short_name,
        country,
        city,
        schac,
        erasmus,
        language,
        accrediting_body,
    ) in INSTITUTIONS:
        institution, _ = Institution.objects.get_or_create(
            slug=slug,
            defaults={
                "legal_name": legal_name,
                "short_name": short_name,
                "country": country,
                "city": city,
                "website": f"https://www.{schac}",
                "schac_home_organization": schac,
                "erasmus_code": erasmus,
                "nuts_region": NUTS_REGIONS[slug],
                "pic": demo_pic(slug),
                "legal_identifier": demo_legal_identifier(slug, country),
                "main_language": language,
                "qa_accrediting_body": accrediting_body,
                "qa_procedures": _qa_procedures(short_name, accrediting_body),
                "qa_reports_url": f"https://www.{schac}/quality",
                "time_zone": TIME_ZONES.get(country, "Europe/Brussels"),
            },
        )
        institutions[slug] = institution
        Membership.objects.get_or_create(
            alliance=alliances[alliance_slug],
            institution=institution,
            defaults={
                "role": MembershipRole(role),
                "joined_on": date(alliances[alliance_slug].founded_year or 2020, 1, 1),
            },
        )

    operator = ensure_demo_user("operator@demo.example", "Portal Operator", operator=True)
    logins.append((operator.email, DEMO_PASSWORD, "operator (admin site)"))
    for slug, alliance in alliances.items():
        admin = ensure_demo_user(f"alliance-admin.{slug}@demo.example", f"{alliance.name} Office")
        AllianceRole.objects.get_or_create(user=admin, alliance=alliance)
        logins.append((admin.email, DEMO_PASSWORD, f"alliance admin of {alliance.name}"))

    people = {
        InstitutionRole.INSTITUTION_ADMIN: ("admin", "Admin"),
        InstitutionRole.PROGRAMME_MANAGER: ("manager", "Programme Manager"),
        InstitutionRole.RECOGNITION_OFFICER: ("officer", "Recognition Officer"),
        InstitutionRole.REGISTRAR: ("registrar", "Registrar"),
    }
    for slug in STAFFED:
        institution = institutions[slug]
        for role, (prefix, title) in people.items():
            user = ensure_demo_user(
                f"{prefix}.{slug}@demo.example", f"{title}, {institution.short_name}"
            )
            StaffRole.objects.get_or_create(user=user, institution=institution, role=role)
            logins.append((user.email, DEMO_PASSWORD, f"{role.label} at {institution.short_name}"))

    for email, name in LEARNERS:
        ensure_demo_user(email, name)
        logins.append((email, DEMO_PASSWORD, "learner"))
    stdout.write(
        f"Alliances: {Alliance.objects.count()}, institutions: {Institution.objects.count()}"
    )
    return logins
