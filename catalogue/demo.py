"""Demo programmes of ECIU and EU4DUAL, with offerings, enrolled learners, results and
pathways, created through the services (partners approve, versions are frozen). Two
drafts are left incomplete to show the completeness indicator. Idempotent: whatever
exists already is left as it is."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from alliances.models import Alliance, Institution
from catalogue import services
from catalogue.models import (
    AssessmentResult,
    Enrolment,
    EnrolmentStatus,
    Offering,
    Pathway,
    Programme,
    ProgrammeStatus,
    Skill,
)
from catalogue.work_based_demo import seed_work_based
from portal.models import User

ASSESSMENT = {
    "project": {
        "en": "Team project on a real challenge, with an oral defence",
        "nl": "Teamproject over een echte uitdaging, met mondelinge verdediging",
        "ca": "Projecte en equip sobre un repte real, amb defensa oral",
        "de": "Teamprojekt zu einer realen Herausforderung mit mündlicher Verteidigung",
        "es": "Proyecto en equipo sobre un reto real, con defensa oral",
    },
    "exam": {
        "en": "Supervised online exam and graded assignments",
        "nl": "Online examen onder toezicht en beoordeelde opdrachten",
        "ca": "Examen en línia supervisat i tasques avaluades",
        "de": "Beaufsichtigte Online-Prüfung und bewertete Aufgaben",
        "es": "Examen en línea supervisado y tareas evaluadas",
    },
    "portfolio": {
        "en": "Portfolio of work-based assignments assessed by the university and the company",
        "nl": "Portfolio van praktijkopdrachten, beoordeeld door universiteit en bedrijf",
        "ca": "Portafoli de tasques a l'empresa avaluat per la universitat i l'empresa",
        "de": "Portfolio praxisbezogener Aufgaben, bewertet von Hochschule und Unternehmen",
        "es": "Portafolio de tareas en la empresa evaluado por la universidad y la empresa",
    },
}
QUALITY = {
    "en": "Internal quality assurance of each awarding university following ESG 2015; "
    "the joint programme was approved by every partner.",
    "nl": "Interne kwaliteitszorg van elke uitreikende universiteit volgens ESG 2015; "
    "het gezamenlijke programma is door elke partner goedgekeurd.",
    "ca": "Garantia interna de la qualitat de cada universitat segons ESG 2015; "
    "el programa conjunt ha estat aprovat per cada soci.",
    "de": "Interne Qualitätssicherung jeder verleihenden Hochschule nach ESG 2015; "
    "das gemeinsame Programm wurde von jedem Partner genehmigt.",
    "es": "Garantía interna de calidad de cada universidad según ESG 2015; "
    "el programa conjunto fue aprobado por cada socio.",
}

# slug, alliance, coordinator, partners, title, summary, ects, hours, eqf, cycle, form,
# languages, ISCED-F, grading, assessment, outcomes [(texts, ESCO skill labels)]
PROGRAMMES: list[dict[str, Any]] = [
    {
        "slug": "responsible-ai-in-practice",
        "alliance": "eciu",
        "coordinator": "utwente",
        "partners": ["uab", "tuni", "dcu"],
        "title": {"en": "Responsible AI in practice", "nl": "Verantwoorde AI in de praktijk"},
        "summary": {
            "en": "Build, test and question machine-learning systems with a city partner, weighing fairness and privacy.",
            "nl": "Bouw, test en bevraag machine-learningsystemen met een stadspartner, met oog voor eerlijkheid en privacy.",
        },
        "ects": "5",
        "hours": 140,
        "eqf": 7,
        "cycle": "second",
        "form": "online",
        "languages": ["en"],
        "isced": "0688",
        "grading": "numeric_10",
        "assessment": "project",
        "outcomes": [
            (
                {
                    "en": "Train and evaluate a machine-learning model on open data",
                    "nl": "Een machine-learningmodel trainen en evalueren op open data",
                },
                ["utilise machine learning", "analyse big data"],
            ),
            (
                {
                    "en": "Assess the ethical and privacy risks of an AI system",
                    "nl": "De ethische en privacyrisico's van een AI-systeem beoordelen",
                },
                [
                    "apply knowledge of philosophy, ethics and religion",
                    "protect personal data and privacy",
                    "think critically",
                ],
            ),
        ],
    },
    {
        "slug": "data-literacy-for-challenges",
        "alliance": "eciu",
        "coordinator": "utwente",
        "partners": ["ktu", "liu"],
        "title": {
            "en": "Data literacy for challenge-based learning",
            "nl": "Datageletterdheid voor uitdagingsgericht leren",
        },
        "summary": {
            "en": "Find, clean, analyse and present data to answer a question from a real challenge owner.",
            "nl": "Data vinden, opschonen, analyseren en presenteren om een vraag van een echte opdrachtgever te beantwoorden.",
        },
        "ects": "3",
        "hours": 84,
        "eqf": 6,
        "cycle": "first",
        "form": "blended",
        "languages": ["en", "nl"],
        "isced": "0542",
        "grading": "numeric_10",
        "assessment": "project",
        "outcomes": [
            (
                {
                    "en": "Clean and normalise a data set and document its limits",
                    "nl": "Een dataset opschonen en normaliseren en de grenzen ervan beschrijven",
                },
                ["normalise data", "evaluate data, information and digital content"],
            ),
            (
                {
                    "en": "Present findings with clear visualisations",
                    "nl": "Bevindingen presenteren met heldere visualisaties",
                },
                ["deliver visual presentation of data", "address an audience"],
            ),
        ],
    },
    {
        "slug": "circular-economy-waste",
        "alliance": "eciu",
        "coordinator": "uab",
        "partners": ["unitn", "ua"],
        "title": {
            "en": "Circular economy and waste management",
            "ca": "Economia circular i gestió de residus",
        },
        "summary": {
            "en": "Map material flows of a city district and design measures that cut waste and keep materials in use.",
            "ca": "Cartografiar els fluxos de materials d'un barri i dissenyar mesures per reduir residus.",
        },
        "ects": "4",
        "hours": 100,
        "eqf": 6,
        "cycle": "first",
        "form": "blended",
        "languages": ["en", "ca", "es"],
        "isced": "0521",
        "grading": "numeric_10",
        "assessment": "project",
        "outcomes": [
            (
                {
                    "en": "Propose waste management measures that comply with environmental legislation",
                    "ca": "Proposar mesures de gestió de residus conformes a la legislació ambiental",
                },
                ["manage waste", "environmental legislation"],
            ),
            (
                {
                    "en": "Select sustainable materials for a product redesign",
                    "ca": "Seleccionar materials sostenibles per redissenyar un producte",
                },
                [
                    "use sustainable materials and components",
                    "adopt ways to reduce negative impact of consumption",
                ],
            ),
        ],
    },
    {
        "slug": "entrepreneurship-societal-challenges",
        "alliance": "eciu",
        "coordinator": "uab",
        "partners": ["aau", "uis", "utwente"],
        "title": {
            "en": "Entrepreneurship for societal challenges",
            "ca": "Emprenedoria per a reptes socials",
        },
        "summary": {
            "en": "Turn a societal challenge into a venture idea, test it with users and pitch it to investors.",
            "ca": "Convertir un repte social en una idea d'empresa, provar-la amb usuaris i presentar-la a inversors.",
        },
        "ects": "5",
        "hours": 130,
        "eqf": 6,
        "cycle": "first",
        "form": "online",
        "languages": ["en"],
        "isced": "0413",
        "grading": "ects",
        "assessment": "project",
        "outcomes": [
            (
                {
                    "en": "Develop and validate a venture idea with potential users",
                    "ca": "Desenvolupar i validar una idea d'empresa amb usuaris potencials",
                },
                ["show entrepreneurial spirit", "think innovatively"],
            ),
            (
                {
                    "en": "Pitch the idea and build a network of supporters",
                    "ca": "Presentar la idea i construir una xarxa de suport",
                },
                ["promote ideas, products, services", "build networks"],
            ),
        ],
    },
    {
        "slug": "energy-storage-renewables",
        "alliance": "eciu",
        "coordinator": "tuhh",
        "partners": ["aau", "uis"],
        "title": {
            "en": "Energy storage and renewable energy systems",
            "de": "Energiespeicher und erneuerbare Energiesysteme",
        },
        "summary": {
            "en": "Size storage for solar and wind installations and compare technologies by cost and emissions.",
            "de": "Speicher für Solar- und Windanlagen auslegen und Technologien nach Kosten und Emissionen vergleichen.",
        },
        "ects": "6",
        "hours": 170,
        "eqf": 7,
        "cycle": "second",
        "form": "blended",
        "languages": ["en", "de"],
        "isced": "0713",
        "grading": "numeric_10",
        "assessment": "exam",
        "outcomes": [
            (
                {
                    "en": "Compare energy storage technologies for a renewable installation",
                    "de": "Energiespeichertechnologien für eine erneuerbare Anlage vergleichen",
                },
                ["energy storage systems", "solar energy"],
            ),
            (
                {
                    "en": "Develop energy saving concepts for a building",
                    "de": "Energiesparkonzepte für ein Gebäude entwickeln",
                },
                [
                    "develop energy saving concepts",
                    "perform a feasibility study for building management systems",
                ],
            ),
        ],
    },
    {
        "slug": "cybersecurity-for-engineers",
        "alliance": "eciu",
        "coordinator": "tuhh",
        "partners": ["ktu", "tuni"],
        "title": {
            "en": "Cybersecurity fundamentals for engineers",
            "de": "Grundlagen der Cybersicherheit für Ingenieure",
        },
        "summary": {
            "en": "Protect networks and devices, respond to incidents and meet security compliance requirements.",
            "de": "Netze und Geräte schützen, auf Vorfälle reagieren und Sicherheitsanforderungen erfüllen.",
        },
        "ects": "4",
        "hours": 110,
        "eqf": 6,
        "cycle": "first",
        "form": "online",
        "languages": ["en"],
        "isced": "0612",
        "grading": "numeric_10",
        "assessment": "exam",
        "outcomes": [
            (
                {
                    "en": "Define firewall rules and protect ICT devices",
                    "de": "Firewall-Regeln festlegen und IKT-Geräte schützen",
                },
                ["define firewall rules", "protect ICT devices"],
            ),
            (
                {
                    "en": "Handle a cybersecurity incident following a response plan",
                    "de": "Einen Cybersicherheitsvorfall nach einem Notfallplan bearbeiten",
                },
                ["handle cybersecurity incidents", "manage IT security compliances"],
            ),
        ],
    },
    {
        "slug": "digital-identity-credentials",
        "alliance": "eciu",
        "coordinator": "utwente",
        "partners": ["dcu", "uab"],
        "title": {
            "en": "Digital identity and verifiable credentials",
            "nl": "Digitale identiteit en verifieerbare credentials",
        },
        "summary": {
            "en": "How decentralised identifiers and verifiable credentials work, and how to protect learners' privacy.",
            "nl": "Hoe gedecentraliseerde identifiers en verifieerbare credentials werken, en hoe je privacy beschermt.",
        },
        "ects": "3",
        "hours": 80,
        "eqf": 7,
        "cycle": "second",
        "form": "online",
        "languages": ["en"],
        "isced": "0612",
        "grading": "pass_fail",
        "assessment": "exam",
        "outcomes": [
            (
                {
                    "en": "Explain decentralised identifiers and signature schemes",
                    "nl": "Gedecentraliseerde identifiers en handtekeningschema's uitleggen",
                },
                ["decentralised identifiers", "blockchain signature schemes"],
            ),
            (
                {
                    "en": "Design a credential flow that protects personal data",
                    "nl": "Een credentialstroom ontwerpen die persoonsgegevens beschermt",
                },
                ["manage digital identity", "protect personal data and privacy"],
            ),
        ],
    },
    {
        "slug": "intercultural-teams",
        "alliance": "eciu",
        "coordinator": "uab",
        "partners": ["unitn", "liu", "tuhh"],
        "title": {
            "en": "Communication in international teams",
            "ca": "Comunicació en equips internacionals",
        },
        "summary": {
            "en": "Work, negotiate and present in teams that span cultures, languages and time zones.",
            "ca": "Treballar, negociar i presentar en equips de cultures, llengües i zones horàries diferents.",
        },
        "ects": "2",
        "hours": 54,
        "eqf": 5,
        "cycle": "short",
        "form": "online",
        "languages": ["en", "es"],
        "isced": "0232",
        "grading": "pass_fail",
        "assessment": "portfolio",
        "outcomes": [
            (
                {
                    "en": "Collaborate respectfully in an intercultural team",
                    "ca": "Col·laborar amb respecte en un equip intercultural",
                },
                ["demonstrate intercultural competence", "work in teams"],
            ),
            (
                {
                    "en": "Moderate an online discussion and resolve conflicts",
                    "ca": "Moderar un debat en línia i resoldre conflictes",
                },
                [
                    "moderate a discussion",
                    "resolve conflicts",
                    "collaborate through digital technologies",
                ],
            ),
        ],
    },
    {
        "slug": "industry-4-automation",
        "alliance": "eu4dual",
        "coordinator": "mondragon",
        "partners": ["dhbw", "estia"],
        "title": {
            "en": "Industry 4.0: automation and digital transformation",
            "es": "Industria 4.0: automatización y transformación digital",
        },
        "summary": {
            "en": "Automate a production cell in the company where you work and plan its digital transformation.",
            "es": "Automatizar una célula de producción en la empresa donde trabajas y planificar su transformación digital.",
        },
        "ects": "6",
        "hours": 160,
        "eqf": 6,
        "cycle": "first",
        "form": "blended",
        "languages": ["en", "es"],
        "isced": "0714",
        "grading": "numeric_10",
        "assessment": "portfolio",
        "outcomes": [
            (
                {
                    "en": "Install and operate automated process control",
                    "es": "Instalar y operar el control automatizado de procesos",
                },
                ["operate automated process control", "install automation components"],
            ),
            (
                {
                    "en": "Plan the digital transformation of an industrial process",
                    "es": "Planificar la transformación digital de un proceso industrial",
                },
                [
                    "keep up with digital transformation of industrial processes",
                    "think holistically",
                ],
            ),
        ],
    },
    {
        "slug": "project-management-dual",
        # Integrated into the dual-study degree of the coordinator (Annex I integration option).
        "stackability": "integrated",
        "alliance": "eu4dual",
        "coordinator": "dhbw",
        "partners": ["mondragon", "mcast"],
        "title": {
            "en": "Project management in dual study",
            "de": "Projektmanagement im dualen Studium",
        },
        "summary": {
            "en": "Plan and lead a project at your company with milestones, risks and a team to coordinate.",
            "de": "Ein Projekt im Unternehmen mit Meilensteinen, Risiken und Team planen und leiten.",
        },
        "ects": "4",
        "hours": 110,
        "eqf": 6,
        "cycle": "first",
        "form": "online",
        "languages": ["en", "de"],
        "isced": "0413",
        "grading": "numeric_10",
        "assessment": "portfolio",
        "outcomes": [
            (
                {
                    "en": "Plan a project and manage its schedule",
                    "de": "Ein Projekt planen und seinen Zeitplan steuern",
                },
                ["plan", "manage time"],
            ),
            (
                {
                    "en": "Lead a project team and delegate responsibilities",
                    "de": "Ein Projektteam führen und Verantwortung delegieren",
                },
                ["lead others", "delegate responsibilities", "motivate others"],
            ),
        ],
    },
    {
        "slug": "cooperative-entrepreneurship",
        "alliance": "eu4dual",
        "coordinator": "mondragon",
        "partners": ["obuda", "mcast"],
        "title": {"en": "Cooperative entrepreneurship", "es": "Emprendimiento cooperativo"},
        "summary": {
            "en": "Learn from the Mondragon cooperatives how to start and govern a worker-owned business.",
            "es": "Aprender de las cooperativas de Mondragon a crear y gobernar una empresa de propiedad de sus trabajadores.",
        },
        "ects": "3",
        "hours": 75,
        "eqf": 5,
        "cycle": "short",
        "form": "onsite",
        "languages": ["es", "en"],
        "isced": "0413",
        "grading": "ects",
        "assessment": "project",
        "outcomes": [
            (
                {
                    "en": "Draft a business plan for a cooperative",
                    "es": "Redactar un plan de negocio para una cooperativa",
                },
                ["show entrepreneurial spirit", "manage financial and material resources"],
            ),
            (
                {
                    "en": "Negotiate decisions in a democratic organisation",
                    "es": "Negociar decisiones en una organización democrática",
                },
                ["negotiate compromises", "make decisions"],
            ),
        ],
    },
    {
        "slug": "sustainable-manufacturing",
        "alliance": "eu4dual",
        "coordinator": "dhbw",
        "partners": ["estia", "obuda"],
        "title": {
            "en": "Sustainable manufacturing and materials",
            "de": "Nachhaltige Fertigung und Werkstoffe",
        },
        "summary": {
            "en": "Redesign a product and its production for lower material use, energy and waste.",
            "de": "Ein Produkt und seine Fertigung für weniger Material, Energie und Abfall umgestalten.",
        },
        "ects": "5",
        "hours": 135,
        "eqf": 6,
        "cycle": "first",
        "form": "blended",
        "languages": ["en", "de"],
        "isced": "0715",
        "grading": "numeric_10",
        "assessment": "portfolio",
        "outcomes": [
            (
                {
                    "en": "Choose sustainable materials and components",
                    "de": "Nachhaltige Werkstoffe und Komponenten auswählen",
                },
                ["use sustainable materials and components", "manage quality"],
            ),
            (
                {
                    "en": "Design an electromechanical system with less energy use",
                    "de": "Ein elektromechanisches System mit geringerem Energieverbrauch entwerfen",
                },
                ["design electromechanical systems", "develop energy saving concepts"],
            ),
        ],
    },
    {
        "slug": "industrial-data-analytics",
        "alliance": "eu4dual",
        "coordinator": "mondragon",
        "partners": ["dhbw", "obuda"],
        "title": {
            "en": "Data analytics for industrial processes",
            "es": "Analítica de datos para procesos industriales",
        },
        "summary": {
            "en": "Collect machine data, find patterns and build dashboards that help operators decide.",
            "es": "Recoger datos de máquinas, encontrar patrones y crear paneles que ayuden a decidir.",
        },
        "ects": "5",
        "hours": 130,
        "eqf": 6,
        "cycle": "first",
        "form": "online",
        "languages": ["en", "es"],
        "isced": "0688",
        "grading": "numeric_10",
        "assessment": "project",
        "outcomes": [
            (
                {
                    "en": "Analyse large volumes of machine data",
                    "es": "Analizar grandes volúmenes de datos de máquinas",
                },
                ["analyse big data", "integrate ICT data"],
            ),
            (
                {
                    "en": "Build dashboards that support operators' decisions",
                    "es": "Crear paneles que apoyen las decisiones de los operarios",
                },
                ["deliver visual presentation of data", "perform online data analysis"],
            ),
        ],
    },
]

# Drafts that stay incomplete, so the completeness indicator has something to show.
DRAFTS: list[dict[str, Any]] = [
    {
        "slug": "hydrogen-energy-transition",
        "alliance": "eciu",
        "coordinator": "tuhh",
        "partners": ["aau"],
        "data": {
            "title": {
                "en": "Hydrogen and the energy transition",
                "de": "Wasserstoff und die Energiewende",
            },
            "summary": {"en": "Production, storage and use of green hydrogen."},
            "eqf_level": 7,
            "participation_form": "blended",
            "languages": ["en"],
        },
    },
    {
        "slug": "mechatronics-apprentices",
        "alliance": "eu4dual",
        "coordinator": "dhbw",
        "partners": ["estia"],
        "data": {
            "title": {"en": "Mechatronics for apprentices"},
            "ects": Decimal("3"),
            "workload_hours": 80,
        },
    },
]

PATHWAYS: list[dict[str, Any]] = [
    {
        "slug": "eciu-digital-transformation",
        "alliance": "eciu",
        "owner": "utwente",
        "title": {
            "en": "Digital transformation (ECIU pathway)",
            "nl": "Digitale transformatie (ECIU-leerroute)",
        },
        "description": {
            "en": "Three of these micro-credentials, at least 10 ECTS, stack into the ECIU certificate in digital transformation."
        },
        "rule": "n_of",
        "required_count": 3,
        "min_ects": Decimal("10"),
        "programmes": [
            "responsible-ai-in-practice",
            "data-literacy-for-challenges",
            "cybersecurity-for-engineers",
            "digital-identity-credentials",
        ],
    },
    {
        "slug": "eu4dual-smart-industry",
        "alliance": "eu4dual",
        "owner": "mondragon",
        "title": {
            "en": "Smart industry certificate (EU4DUAL)",
            "es": "Certificado de industria inteligente (EU4DUAL)",
        },
        "description": {
            "en": "All three micro-credentials make up the EU4DUAL smart industry certificate."
        },
        "rule": "all",
        "programmes": [
            "industry-4-automation",
            "sustainable-manufacturing",
            "industrial-data-analytics",
        ],
    },
]

# (learner, programme, outcome, grade) for the finished cohorts.
RESULTS = [
    ("ana", "responsible-ai-in-practice", "passed", "8.5"),
    ("ana", "data-literacy-for-challenges", "passed", "7"),
    ("ana", "digital-identity-credentials", "passed", "pass"),
    ("aoife", "responsible-ai-in-practice", "passed", "9"),
    ("aoife", "cybersecurity-for-engineers", "failed", "4"),
    ("jonas", "industry-4-automation", "passed", "8"),
    ("jonas", "sustainable-manufacturing", "passed", "7.5"),
    ("zsofia", "industrial-data-analytics", "failed", "3.5"),
    ("zsofia", "cooperative-entrepreneurship", "passed", "B"),
]
LEARNERS = ["ana", "jonas", "aoife", "zsofia"]


def _manager(slug: str) -> User | None:
    return User.objects.filter(email=f"manager.{slug}@demo.example").first()


def _complete_text(texts: dict[str, str], languages: list[str]) -> dict[str, str]:
    return {code: texts[code] for code in languages if code in texts}


def _create_programme(spec: dict[str, Any], operator: User) -> Programme:
    existing = Programme.objects.filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing
    coordinator = Institution.objects.get(slug=spec["coordinator"])
    alliance = Alliance.objects.get(slug=spec["alliance"])
    actor = _manager(spec["coordinator"]) or operator
    languages = ["en", coordinator.main_language]
    skills = dict(Skill.objects.values_list("preferred_label", "uri"))
    partners = list(Institution.objects.filter(slug__in=spec["partners"]))
    programme = services.create_programme(
        actor=actor,
        coordinator=coordinator,
        alliance=alliance,
        slug=spec["slug"],
        partner_ids=[partner.pk for partner in partners],
        data={
            "title": spec["title"],
            "summary": spec["summary"],
            "ects": Decimal(spec["ects"]),
            "workload_hours": spec["hours"],
            "eqf_level": spec["eqf"],
            "qf_ehea_cycle": spec["cycle"],
            "participation_form": spec["form"],
            "languages": spec["languages"],
            "isced_f_code": spec["isced"],
            "grading_scheme": spec["grading"],
            "stackability": spec.get("stackability", "stackable"),
            "supervision": "supervised_verified" if spec["assessment"] == "exam" else "supervised",
            "assessment_type": _complete_text(ASSESSMENT[spec["assessment"]], languages),
            "quality_assurance": _complete_text(QUALITY, languages),
            "prerequisites": {
                "en": "A first year of higher education, or equivalent work experience."
            },
        },
        outcomes=[
            services.OutcomeInput(text=text, skill_uris=[skills[label] for label in labels])
            for text, labels in spec["outcomes"]
        ],
    )
    programme = services.submit_programme(actor=actor, programme=programme)
    for partner in partners:
        programme = services.approve_programme(
            actor=_manager(partner.slug) or operator, programme=programme, institution=partner
        )
    assert programme.status == ProgrammeStatus.PUBLISHED
    return programme


def _offering(programme: Programme, code: str, actor: User, **dates: Any) -> Offering:
    existing = Offering.objects.filter(code=code).first()
    if existing is not None:
        return existing
    return services.create_offering(
        actor=actor,
        programme=programme,
        code=code,
        data={**dates, "language": programme.published_version.snapshot["languages"][0]},  # type: ignore[union-attr]
        delivery_institution_ids=[programme.coordinator_id],
    )


def seed(*, stdout: Any) -> list[tuple[str, str, str]]:
    operator = User.objects.get(email="operator@demo.example")
    today = timezone.localdate()
    learners = {name: User.objects.get(email=f"learner.{name}@demo.example") for name in LEARNERS}
    programmes = {spec["slug"]: _create_programme(spec, operator) for spec in PROGRAMMES}

    for spec in DRAFTS:
        if not Programme.objects.filter(slug=spec["slug"]).exists():
            coordinator = Institution.objects.get(slug=spec["coordinator"])
            services.create_programme(
                actor=_manager(spec["coordinator"]) or operator,
                coordinator=coordinator,
                alliance=Alliance.objects.get(slug=spec["alliance"]),
                slug=spec["slug"],
                data=spec["data"],
                partner_ids=Institution.objects.filter(slug__in=spec["partners"]).values_list(
                    "pk", flat=True
                ),
            )

    for slug, programme in programmes.items():
        actor = _manager(programme.coordinator.slug) or operator
        year = today.year + 1
        _offering(
            programme,
            f"{slug}-{year}",
            actor,
            starts_on=today + timedelta(days=45),
            ends_on=today + timedelta(days=135),
            enrolment_opens_on=today - timedelta(days=5),
            enrolment_closes_on=today + timedelta(days=30),
            capacity=2 if slug == "cooperative-entrepreneurship" else 30,
        )
    # The upcoming cohort of cooperative entrepreneurship is full: zsofia waits for a place.
    full = Offering.objects.get(code=f"cooperative-entrepreneurship-{today.year + 1}")
    for name in ("ana", "jonas", "zsofia"):
        if not Enrolment.objects.filter(offering=full, learner=learners[name]).exists():
            services.enrol(learner=learners[name], offering=full)

    finished_code = "{slug}-finished"
    for name, slug, outcome, grade in RESULTS:
        programme = programmes[slug]
        actor = _manager(programme.coordinator.slug) or operator
        code = finished_code.format(slug=slug)
        offering = Offering.objects.filter(code=code).first()
        if offering is None:
            offering = _offering(
                programme,
                code,
                actor,
                starts_on=today,
                ends_on=today + timedelta(days=1),
                enrolment_opens_on=today,
                enrolment_closes_on=today,
                capacity=25,
            )
        learner = learners[name]
        enrolment = Enrolment.objects.filter(
            offering=offering, learner=learner, status=EnrolmentStatus.ENROLLED
        ).first()
        if enrolment is None:
            enrolment = services.enrol(learner=learner, offering=offering)
        if not AssessmentResult.objects.filter(enrolment=enrolment).exists():
            services.record_result(
                actor=actor,
                enrolment=enrolment,
                outcome=outcome,
                grade=grade,
                assessed_on=today,
                identity_verified=True,
            )
    # The finished cohorts ran last term: move their dates into the past.
    for offering in Offering.objects.filter(code__endswith="-finished", starts_on__gte=today):
        services.update_offering(
            actor=_manager(offering.programme.coordinator.slug) or operator,
            offering=offering,
            data={
                "starts_on": today - timedelta(days=120),
                "ends_on": today - timedelta(days=7),
                "enrolment_opens_on": today - timedelta(days=150),
                "enrolment_closes_on": today - timedelta(days=125),
            },
        )

    for spec in PATHWAYS:
        if Pathway.objects.filter(slug=spec["slug"]).exists():
            continue
        owner = Institution.objects.get(slug=spec["owner"])
        services.create_pathway(
            actor=_manager(spec["owner"]) or operator,
            owner=owner,
            alliance=Alliance.objects.get(slug=spec["alliance"]),
            slug=spec["slug"],
            title=spec["title"],
            description=spec["description"],
            rule=spec["rule"],
            required_count=spec.get("required_count"),
            min_ects=spec.get("min_ects"),
            programme_ids=[programmes[slug].pk for slug in spec["programmes"]],
        )
    logins = seed_work_based(operator, today)
    stdout.write(
        f"\nProgrammes: {Programme.objects.count()}, offerings: {Offering.objects.count()}, "
        f"enrolments: {Enrolment.objects.count()}, results: {AssessmentResult.objects.count()}"
    )
    return logins
