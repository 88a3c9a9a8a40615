"""Demo recognition data: published procedures and targets at the staffed demo institutions,
open cases (one waiting for the learner, one overdue and escalated), decided cases, an
agreement, an appeal, an ECIU blanket rule countersigned by two members, and pre-approvals
(one approved, one waiting), all made through the services.

The credentials in the cases come from an "external provider" whose did:key is generated at
seed time (never stored), so they verify offline. Idempotent: the demo cases are created only
once; policies, targets and the agreement are left as they are when they exist."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from alliances.models import Alliance, Institution
from catalogue.models import Programme, Skill
from credential_format.keys import generate_private_key
from portal.models import User
from recognition import selectors, services
from recognition.booking.demo import seed_grades_and_bookings
from recognition.models import (
    AppealRoute,
    BlanketRule,
    PreApproval,
    RecognitionAgreement,
    RecognitionPolicy,
    RecognitionRequest,
    RecognitionTarget,
    RequestKind,
)
from recognition.samples import ExternalCourse, sign_external_credential

POLICIES = {
    "uab": (30, 30, AppealRoute.OTHER_OFFICER),
    "utwente": (42, 28, AppealRoute.INSTITUTION_ADMIN),
    "mondragon": (30, 15, AppealRoute.OTHER_OFFICER),
    "dhbw": (28, 30, AppealRoute.INSTITUTION_ADMIN),
    "tuhh": (35, 30, AppealRoute.OTHER_OFFICER),
}

# institution: [(code, title, degree programme, ects, eqf, assessment, outcomes, skill labels)]
TARGETS: dict[str, list[tuple[str, str, str, str, int, str, list[str], list[str]]]] = {
    "uab": [
        ("104350", "Data analysis", "Grau en Enginyeria Informàtica", "6", 6, "Exam and project",
         ["Analyse large data sets", "Present results visually"],
         ["analyse big data", "deliver visual presentation of data"]),
        ("104352", "Environmental management", "Grau en Ciències Ambientals", "4", 6, "Project",
         ["Propose waste measures", "Apply environmental law"],
         ["manage waste", "environmental legislation"]),
    ],
    "utwente": [
        ("201500123", "Machine learning in practice", "MSc Computer Science", "5", 7, "Project",
         ["Train and evaluate models", "Assess ethical risks"],
         ["utilise machine learning", "analyse big data", "protect personal data and privacy"]),
        ("201500456", "Data literacy", "BSc Technical Computer Science", "3", 6, "Assignments",
         ["Clean data", "Visualise findings"],
         ["normalise data", "deliver visual presentation of data"]),
    ],
    "mondragon": [
        ("GII-AUT", "Industrial automation", "Grado en Ingeniería en Electrónica Industrial", "6", 6,
         "Laboratory assessment", ["Operate automated control"],
         ["operate automated process control", "install automation components"]),
    ],
    "dhbw": [
        ("W3WI-PM", "Project management", "BA Wirtschaftsinformatik", "5", 6, "Written exam",
         ["Plan projects", "Lead a team"], ["plan", "manage time", "lead others"]),
    ],
    "tuhh": [
        ("ENG-ES", "Energy storage systems", "MSc Energy Systems", "6", 7, "Oral exam",
         ["Compare storage technologies"], ["energy storage systems", "solar energy"]),
    ],
}  # fmt: skip

# External courses: title, ECTS, EQF level, [(outcome, [ESCO skill labels])], other elements.
COURSES: dict[str, dict[str, Any]] = {
    "data": {
        "title": "Applied data analysis with Python",
        "ects": Decimal("6"),
        "eqf_level": 6,
        "outcomes": [
            ("Analyse large data sets with Python", ["analyse big data"]),
            ("Build dashboards for decision makers", ["deliver visual presentation of data"]),
        ],
        "grade": "8.5",
    },
    "ml": {
        "title": "Machine learning foundations",
        "ects": Decimal("4"),
        "eqf_level": 6,
        "outcomes": [("Train supervised models", ["utilise machine learning"])],
        "supervision": "supervised-no-identity-verification",
    },
    "automation": {
        "title": "PLC programming basics",
        "ects": Decimal("3"),
        "eqf_level": 5,
        "outcomes": [("Program a PLC", ["install automation components"])],
        "supervision": "unsupervised-no-identity-verification",
        "assessment_type": "Online quiz",
    },
    "projects": {
        "title": "Agile project management",
        "ects": Decimal("5"),
        "eqf_level": 6,
        "outcomes": [("Plan and run a project", ["plan", "manage time", "lead others"])],
    },
    "energy": {
        "title": "Batteries and grid storage",
        "ects": Decimal("5"),
        "eqf_level": 7,
        "outcomes": [("Compare storage technologies", ["energy storage systems"])],
    },
}


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _course(spec: dict[str, Any], uris: dict[str, str]) -> ExternalCourse:
    values = dict(spec)
    values["outcomes"] = [
        (text, [(uris[label], label) for label in labels if label in uris])
        for text, labels in spec["outcomes"]
    ]
    return ExternalCourse(**values)


def _policies_and_targets(operator: User, uris: dict[str, str]) -> None:
    for slug, (limit, appeal, route) in POLICIES.items():
        institution = Institution.objects.filter(slug=slug).first()
        if institution is None:
            continue
        admin = _user(f"admin.{slug}@demo.example") or operator
        if not RecognitionPolicy.objects.filter(institution=institution).exists():
            services.save_policy(
                actor=admin,
                institution=institution,
                time_limit_days=limit,
                appeal_period_days=appeal,
                appeals_decided_by=route,
                procedure=(
                    "Send the credential file exactly as you received it. Add the course "
                    "description if the credential does not list its learning outcomes."
                ),
            )
        officer = _user(f"officer.{slug}@demo.example") or operator
        for code, title, degree, ects, eqf, assessment, outcomes, skills in TARGETS[slug]:
            if RecognitionTarget.objects.filter(institution=institution, code=code).exists():
                continue
            services.create_target(
                actor=officer,
                institution=institution,
                data={
                    "code": code,
                    "title": title,
                    "programme_title": degree,
                    "ects": Decimal(ects),
                    "eqf_level": eqf,
                    "assessment_type": assessment,
                    "learning_outcomes": outcomes,
                    "skill_uris": [uris[label] for label in skills if label in uris],
                },
            )


def _submit(
    learner: User, slug: str, code: str | None, document: dict[str, Any], *, days_ago: int
) -> RecognitionRequest:
    institution = Institution.objects.get(slug=slug)
    target = RecognitionTarget.objects.get(institution=institution, code=code) if code else None
    request = services.submit_request(
        learner=learner,
        institution=institution,
        kind=RequestKind.COURSE if target else RequestKind.FREE_ELECTIVE,
        target=target,
        motivation="I completed this course online and would like it to count in my degree.",
        credentials=[services.CredentialInput(document=document)],
        now=timezone.now() - timedelta(days=days_ago),
    )
    # The pre-assessment runs here so the demo shows its results at once; the task queued on
    # commit then finds it done and does nothing.
    services.run_preassessment(request_id=request.pk)
    return request


def _cases(operator: User, uris: dict[str, str]) -> None:
    learners: dict[str, User] = {}
    for name in ("ana", "jonas", "aoife", "zsofia"):
        learner = _user(f"learner.{name}@demo.example")
        if learner is None:
            return
        learners[name] = learner
    key = generate_private_key()  # the external provider's key lives only for this run

    def credential(name: str, course: str) -> dict[str, Any]:
        learner = learners[name]
        return sign_external_credential(
            key,
            _course(COURSES[course], uris),
            learner_name=learner.full_name,
            learner_email=learner.email,
        )

    def officer(slug: str) -> User:
        return _user(f"officer.{slug}@demo.example") or operator

    now = timezone.now()
    ana, jonas, aoife, zsofia = (learners[n] for n in ("ana", "jonas", "aoife", "zsofia"))

    # Open: checks recommend full recognition; due soon.
    _submit(ana, "uab", "104350", credential("ana", "data"), days_ago=27)
    # Open and overdue: the credential covers part of the workload.
    _submit(jonas, "utwente", "201500123", credential("jonas", "ml"), days_ago=45)
    # Open: free-elective credits.
    _submit(zsofia, "tuhh", None, credential("zsofia", "energy"), days_ago=3)
    # Waiting for the learner: the clock is paused.
    waiting = _submit(aoife, "dhbw", "W3WI-PM", credential("aoife", "projects"), days_ago=10)
    services.take_case(officer=officer("dhbw"), case=waiting, now=now - timedelta(days=2))
    services.request_information(
        officer=officer("dhbw"),
        case=waiting,
        question="Please add the course description with the number of contact hours.",
        now=now - timedelta(days=2),
    )
    # Decided in full, final (the recognition credential is due).
    full = _submit(zsofia, "uab", "104350", credential("zsofia", "data"), days_ago=20)
    services.decide_request(
        officer=officer("uab"),
        case=full,
        outcome="full",
        reasons="Level, workload and learning outcomes match the course.",
        now=now - timedelta(days=12),
    )
    # Decided in part, within the appeal period.
    partial = _submit(ana, "utwente", "201500123", credential("ana", "ml"), days_ago=30)
    services.decide_request(
        officer=officer("utwente"),
        case=partial,
        outcome="partial",
        credits_granted=Decimal("3"),
        component_replaced="Machine-learning assignments (3 ECTS)",
        differences=[
            services.DifferenceInput(
                "level", "The credential is at EQF level 6; the course is a master's course (7)."
            ),
            services.DifferenceInput(
                "learning_outcomes", "The ethical risk assessment is not covered."
            ),
        ],
        compensatory_measures="Take the ethics assignment of the course to obtain the rest.",
        now=now - timedelta(days=5),
    )
    # Refused, then appealed: the appeal waits for another officer.
    refused = _submit(jonas, "mondragon", "GII-AUT", credential("jonas", "automation"), days_ago=25)
    services.decide_request(
        officer=officer("mondragon"),
        case=refused,
        outcome="refused",
        differences=[
            services.DifferenceInput(
                "level", "The credential is at EQF level 5, below the bachelor course (6)."
            ),
            services.DifferenceInput(
                "profile", "Assessed by an unsupervised online quiz without identity checks."
            ),
        ],
        compensatory_measures="A supervised laboratory test can show the missing competences.",
        now=now - timedelta(days=4),
    )
    services.lodge_appeal(
        learner=jonas,
        case=refused,
        grounds="I work with PLCs daily; my employer can confirm it. Please consider a test.",
        now=now - timedelta(days=2),
    )


def _agreement(operator: User) -> None:
    institution = Institution.objects.filter(slug="utwente").first()
    programme = Programme.objects.filter(slug="data-literacy-for-challenges").first()
    if institution is None or programme is None or programme.published_version is None:
        return
    target = RecognitionTarget.objects.filter(institution=institution, code="201500456").first()
    if target is None or RecognitionAgreement.objects.filter(target=target).exists():
        return
    services.create_agreement(
        actor=_user("officer.utwente@demo.example") or operator,
        target=target,
        programme=programme,
        ects=Decimal("3"),
        minimum_grade="6",
        notes="ECIU agreement: the joint data literacy micro-credential replaces the course.",
    )


def _blanket_rule() -> None:
    """ECIU: any micro-credential of the alliance at EQF 6 or above counts as up to 10 ECTS of
    free electives a year, countersigned by UAB and TUHH (Twente has not signed)."""
    alliance = Alliance.objects.filter(slug="eciu").first()
    admin = _user("alliance-admin.eciu@demo.example")
    if alliance is None or admin is None or BlanketRule.objects.filter(alliance=alliance).exists():
        return
    rule = services.propose_blanket_rule(
        actor=admin,
        alliance=alliance,
        title="ECIU micro-credentials as free electives",
        minimum_eqf_level=6,
        max_ects_per_year=Decimal("10"),
        notes="Agreed by the ECIU rectors' board; binding for each member once countersigned.",
    )
    for slug in ("uab", "tuhh"):
        institution = Institution.objects.filter(slug=slug).first()
        officer = _user(f"officer.{slug}@demo.example")
        if institution is not None and officer is not None:
            services.countersign_blanket_rule(actor=officer, rule=rule, institution=institution)


def _preapprovals() -> None:
    """Ana has the Twente course pre-approved (under the agreement) before enrolling in the
    data literacy programme; Aoife waits for UAB's answer on free electives (the ECIU rule)."""
    programme = Programme.objects.filter(slug="data-literacy-for-challenges").first()
    ana, aoife = _user("learner.ana@demo.example"), _user("learner.aoife@demo.example")
    utwente, uab = (Institution.objects.filter(slug=s).first() for s in ("utwente", "uab"))
    officer = _user("officer.utwente@demo.example")
    if (
        programme is None
        or ana is None
        or aoife is None
        or utwente is None
        or uab is None
        or officer is None
        or PreApproval.objects.exists()
    ):
        return
    target = RecognitionTarget.objects.filter(institution=utwente, code="201500456").first()
    approved = services.request_preapproval(
        learner=ana,
        institution=utwente,
        programme=programme,
        kind=RequestKind.COURSE,
        target=target,
        motivation="I want the challenge to replace Data literacy in my bachelor.",
    )
    services.decide_preapproval(
        officer=officer,
        preapproval=approved,
        approve=True,
        reasons="Covered by our ECIU agreement; applied once your credential is issued.",
    )
    services.request_preapproval(
        learner=aoife,
        institution=uab,
        programme=programme,
        kind=RequestKind.FREE_ELECTIVE,
        motivation="As free electives in my degree.",
    )


def seed(*, stdout: Any) -> list[tuple[str, str, str]]:
    operator = User.objects.get(email="operator@demo.example")
    uris = dict(Skill.objects.values_list("preferred_label", "uri"))
    _policies_and_targets(operator, uris)
    _agreement(operator)
    _blanket_rule()
    _preapprovals()
    if not RecognitionRequest.objects.exists():
        _cases(operator, uris)
        for request_id in selectors.overdue_cases_to_escalate(timezone.now()):
            services.escalate_overdue_case(request_id=request_id)
    seed_grades_and_bookings(operator)
    stdout.write(
        f"\nRecognition: {RecognitionTarget.objects.count()} targets, "
        f"{RecognitionRequest.objects.count()} requests, "
        f"{RecognitionAgreement.objects.count()} agreements, "
        f"{BlanketRule.objects.count()} alliance rules, "
        f"{PreApproval.objects.count()} pre-approvals"
    )
    return []
