"""Recognition promised before enrolment: what a programme counts for at each institution,
pre-approvals applied automatically once the credential is issued, and alliance-wide blanket
rules that bind an institution only once it countersigns, within a yearly allowance."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.http import Http404
from django.utils import timezone

from portal.errors import ConflictError, DomainError
from portal.models import AuditEvent
from recognition import commitments, services
from recognition.models import (
    Decision,
    PreApproval,
    PreApprovalStatus,
    RecognitionRequest,
    RequestKind,
    RequestStatus,
)
from tests.catalogue.factories import published_programme
from tests.factories import OFFICER, UserFactory, grant
from tests.issuance.factories import pass_learner, run_on_commit
from tests.recognition.factories import policy, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(alice, institution_a):
    """A published 5-ECTS, EQF 6 programme of institution A (in the test alliance)."""
    return published_programme(alice, institution_a, slug="data-literacy")


@pytest.fixture
def course_b(charlie, carol, institution_b):
    policy(charlie, institution_b)
    return target(carol, institution_b, code="B-DS", title="Datenanalyse")


@pytest.fixture
def rule(olga, alliance):
    return services.propose_blanket_rule(
        actor=olga,
        alliance=alliance,
        title="Alliance micro-credentials as free electives",
        minimum_eqf_level=6,
        max_ects_per_year=Decimal("6"),
    )


def ask(learner, institution, programme, course=None):
    return services.request_preapproval(
        learner=learner,
        institution=institution,
        programme=programme,
        kind=RequestKind.COURSE if course is not None else RequestKind.FREE_ELECTIVE,
        target=course,
        motivation="I plan to take it next term.",
    )


# --- what a programme counts for ------------------------------------------------------------


def test_a_programme_shows_per_institution_what_it_counts_for(
    carol, programme, course_b, institution_b, rule
):
    services.create_agreement(actor=carol, target=course_b, programme=programme, ects=Decimal(5))
    services.countersign_blanket_rule(actor=carol, rule=rule, institution=institution_b)
    prospects = commitments.prospects_for(programme, on=timezone.localdate())
    by_basis = {(p.institution.slug, p.basis): p for p in prospects}
    agreement = by_basis[("uni-b", commitments.AGREEMENT)]
    assert agreement.target == course_b
    assert agreement.ects == Decimal("5")
    blanket = by_basis[("uni-b", commitments.BLANKET_RULE)]
    assert blanket.counts_as_free_electives
    assert blanket.ects == Decimal("5")  # the programme's 5 ECTS, under the 6 per year


def test_an_uncountersigned_rule_promises_nothing(programme, rule):
    assert commitments.prospects_for(programme, on=timezone.localdate()) == []


def test_the_programme_page_and_the_api_show_the_prospects(
    client, api_client, carol, programme, course_b
):
    services.create_agreement(actor=carol, target=course_b, programme=programme, ects=Decimal(5))
    page = client.get(f"/catalogue/{programme.slug}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "What this programme counts for" in text
    assert "B-DS Datenanalyse" in text
    response = api_client.get(f"/api/v1/recognition/programmes/{programme.slug}/prospects/")
    assert response.status_code == 200
    (prospect,) = response.json()
    assert prospect["institution"] == "uni-b"
    assert prospect["basis"] == "agreement"
    assert prospect["target_code"] == "B-DS"
    assert prospect["ects"] == "5.0"


# --- pre-approval ---------------------------------------------------------------------------


def test_a_pre_approval_is_applied_once_the_credential_is_issued(
    alice, carol, charlie, dana, institution_a, institution_b, programme, course_b
):
    preapproval = ask(dana, institution_b, programme, course_b)
    assert preapproval.status == PreApprovalStatus.REQUESTED
    assert preapproval.ects == course_b.ects
    services.decide_preapproval(officer=carol, preapproval=preapproval, approve=True)
    mail.outbox.clear()
    with run_on_commit():
        pass_learner(alice, institution_a, dana, programme=programme)
    preapproval.refresh_from_db()
    assert preapproval.status == PreApprovalStatus.APPLIED
    case = preapproval.case
    assert case is not None
    assert case.institution == institution_b
    assert case.target == course_b
    assert case.status == RequestStatus.CLOSED
    decision = case.final_decision
    assert decision.automatic
    assert decision.preapproval == preapproval
    assert decision.outcome == "full"
    assert decision.credits_granted == Decimal("5.0")
    actions = set(
        AuditEvent.objects.filter(object_id=str(case.pk)).values_list("action", flat=True)
    )
    assert {"recognition.submitted", "recognition.checks_completed", "recognition.final"} <= actions
    assert "recognition.decided_automatically" in actions
    told = {m.to[0] for m in mail.outbox if "Pre-approved recognition applied" in m.subject}
    assert told == {carol.email, charlie.email}


def test_an_unapproved_or_refused_pre_approval_is_not_applied(
    alice, carol, dana, institution_a, institution_b, programme, course_b
):
    preapproval = ask(dana, institution_b, programme, course_b)
    with pytest.raises(DomainError, match="reasons"):
        services.decide_preapproval(officer=carol, preapproval=preapproval, approve=False)
    services.decide_preapproval(
        officer=carol, preapproval=preapproval, approve=False, reasons="Level too low."
    )
    with run_on_commit():
        pass_learner(alice, institution_a, dana, programme=programme)
    preapproval.refresh_from_db()
    assert preapproval.status == PreApprovalStatus.REFUSED
    assert not RecognitionRequest.objects.exists()


def test_only_the_home_institutions_officers_answer_a_pre_approval(
    alice, bob, olga, carol, dana, institution_b, programme, course_b
):
    preapproval = ask(dana, institution_b, programme, course_b)
    for outsider in (alice, bob, olga):  # another institution, and the alliance admin
        with pytest.raises(Http404):
            services.decide_preapproval(officer=outsider, preapproval=preapproval, approve=True)
    services.decide_preapproval(officer=carol, preapproval=preapproval, approve=True)
    with pytest.raises(ConflictError):
        services.decide_preapproval(officer=carol, preapproval=preapproval, approve=True)


def test_an_officer_cannot_answer_their_own_pre_approval(carol, institution_b, programme, course_b):
    preapproval = ask(carol, institution_b, programme, course_b)
    with pytest.raises(Http404):
        services.decide_preapproval(officer=carol, preapproval=preapproval, approve=True)


def test_pre_approvals_through_the_api(
    api_as, carol, dana, eve, bob, institution_b, programme, course_b
):
    response = api_as(dana).post(
        "/api/v1/recognition/preapprovals/",
        {
            "institution": "uni-b",
            "programme": programme.slug,
            "kind": "course",
            "target": course_b.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "requested"
    assert api_as(eve).get(f"/api/v1/recognition/preapprovals/{pk}/").status_code == 404
    refused = api_as(bob).post(
        f"/api/v1/recognition/preapprovals/{pk}/decision/", {"approve": True}, format="json"
    )
    assert refused.status_code == 404
    no_reasons = api_as(carol).post(
        f"/api/v1/recognition/preapprovals/{pk}/decision/", {"approve": False}, format="json"
    )
    assert no_reasons.status_code == 400
    assert no_reasons.json()["code"] == "reasons_required"
    approved = api_as(carol).post(
        f"/api/v1/recognition/preapprovals/{pk}/decision/",
        {"approve": True, "ects": "4.0"},
        format="json",
    )
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["ects"] == "4.0"
    assert [p["id"] for p in api_as(dana).get("/api/v1/recognition/preapprovals/").json()] == [pk]
    assert api_as(eve).get("/api/v1/recognition/preapprovals/").json() == []
    duplicate = api_as(dana).post(
        "/api/v1/recognition/preapprovals/",
        {"institution": "uni-b", "programme": programme.slug, "kind": "free_elective"},
        format="json",
    )
    assert duplicate.status_code == 409


def test_pre_approvals_through_the_pages(as_user, carol, dana, eve, programme, course_b):
    page = as_user(dana).post(
        f"/recognition/programmes/{programme.slug}/",
        {"institution": "uni-b", "kind": "course", "target": course_b.pk, "motivation": "Plan"},
    )
    assert page.status_code == 302
    preapproval = PreApproval.objects.get()
    assert page["Location"] == f"/recognition/preapprovals/{preapproval.pk}/"
    assert as_user(eve).get(page["Location"]).status_code == 404
    answered = as_user(carol).post(
        page["Location"], {"approve": "yes", "ects": "", "reasons": "Matches DS101."}
    )
    assert answered.status_code == 302
    preapproval.refresh_from_db()
    assert preapproval.status == PreApprovalStatus.APPROVED
    listing = as_user(dana).get("/recognition/preapprovals/").content.decode()
    assert preapproval.reference in listing
    bad = as_user(dana).post(
        f"/recognition/programmes/{programme.slug}/", {"institution": "uni-b", "kind": "course"}
    )
    assert bad.status_code == 400
    assert "Choose the course" in bad.content.decode()


# --- blanket rules --------------------------------------------------------------------------


def test_only_an_alliance_admin_proposes_a_rule(carol, charlie, olga, alliance, other_alliance):
    for outsider in (carol, charlie):
        with pytest.raises(Http404):
            services.propose_blanket_rule(
                actor=outsider,
                alliance=alliance,
                title="x",
                minimum_eqf_level=6,
                max_ects_per_year=Decimal("6"),
            )
    with pytest.raises(Http404):  # an admin of another alliance
        services.propose_blanket_rule(
            actor=olga,
            alliance=other_alliance,
            title="x",
            minimum_eqf_level=6,
            max_ects_per_year=Decimal("6"),
        )


def test_a_rule_binds_an_institution_only_once_its_own_staff_countersign(
    olga, bob, carol, rule, institution_b, institution_c, programme
):
    assert commitments.binding_rule_for(institution=institution_b, programme=programme) is None
    for outsider in (olga, bob):  # the alliance admin and another institution's officer
        with pytest.raises(Http404):
            services.countersign_blanket_rule(actor=outsider, rule=rule, institution=institution_b)
    services.countersign_blanket_rule(actor=carol, rule=rule, institution=institution_b)
    assert commitments.binding_rule_for(institution=institution_b, programme=programme) == rule
    with pytest.raises(ConflictError):
        services.countersign_blanket_rule(actor=carol, rule=rule, institution=institution_b)
    outsider = grant(UserFactory(email="oli@c.example"), institution_c, OFFICER)
    with pytest.raises(DomainError, match="member institutions"):
        services.countersign_blanket_rule(actor=outsider, rule=rule, institution=institution_c)
    services.withdraw_blanket_rule(actor=olga, rule=rule)
    assert commitments.binding_rule_for(institution=institution_b, programme=programme) is None


def test_the_yearly_allowance_caps_pre_approvals_under_a_rule(
    alice, carol, dana, institution_a, institution_b, course_b, rule
):
    services.countersign_blanket_rule(actor=carol, rule=rule, institution=institution_b)
    first_programme = published_programme(alice, institution_a, slug="first")
    second_programme = published_programme(alice, institution_a, slug="second")
    first = ask(dana, institution_b, first_programme)
    assert first.blanket_rule == rule
    assert first.ects == Decimal("5.0")
    services.decide_preapproval(officer=carol, preapproval=first, approve=True)
    second = ask(dana, institution_b, second_programme)
    assert second.ects == Decimal("1.0")  # 6 per year, 5 already committed
    with pytest.raises(DomainError) as refused:
        services.decide_preapproval(
            officer=carol, preapproval=second, approve=True, ects=Decimal("5")
        )
    assert refused.value.code == "cap_exceeded"
    services.decide_preapproval(officer=carol, preapproval=second, approve=True)
    third_programme = published_programme(alice, institution_a, slug="third")
    with pytest.raises(DomainError) as used_up:
        ask(dana, institution_b, third_programme)
    assert used_up.value.code == "cap_exceeded"


def test_a_rule_applies_to_a_free_elective_pre_approval_automatically_within_the_cap(
    alice, carol, dana, institution_a, institution_b, course_b, rule
):
    services.countersign_blanket_rule(actor=carol, rule=rule, institution=institution_b)
    programme = published_programme(alice, institution_a, slug="rule-covered")
    preapproval = ask(dana, institution_b, programme)
    services.decide_preapproval(officer=carol, preapproval=preapproval, approve=True)
    with run_on_commit():
        pass_learner(alice, institution_a, dana, programme=programme)
    decision = Decision.objects.get(request__learner=dana)
    assert decision.blanket_rule == rule
    assert decision.credits_granted == Decimal("5.0")
    assert decision.request.kind == RequestKind.FREE_ELECTIVE
    assert commitments.rule_allowance_left(
        rule=rule, learner=dana, institution=institution_b, year=timezone.now().year
    ) == Decimal("1.0")


def test_the_pre_assessment_applies_a_countersigned_rule_and_caps_the_credits(
    alice,
    carol,
    dana,
    institution_a,
    institution_b,
    course_b,
    rule,
    django_capture_on_commit_callbacks,
):
    from issuance.models import Credential

    services.countersign_blanket_rule(actor=carol, rule=rule, institution=institution_b)
    programme = published_programme(alice, institution_a, slug="already-taken")
    used = ask(dana, institution_b, published_programme(alice, institution_a, slug="planned"))
    services.decide_preapproval(officer=carol, preapproval=used, approve=True, ects=Decimal("4"))
    with run_on_commit():
        pass_learner(alice, institution_a, dana, programme=programme)
    issued = Credential.objects.get(learner=dana, programme_version__programme=programme)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.submit_request(
            learner=dana,
            institution=institution_b,
            kind=RequestKind.FREE_ELECTIVE,
            target=None,
            motivation="Free electives please.",
            credentials=[
                services.CredentialInput(
                    document=issued.document,
                    source="issued_here",
                    source_id=issued.pk,
                    programme_version_id=issued.programme_version_id,
                )
            ],
        )
    case.refresh_from_db()
    rule_check = next(c for c in case.checks["checks"] if c["id"] == "blanket_rule")
    assert rule_check["outcome"] == "match"
    assert rule_check["evidence"]["left"] == "2.0"
    assert case.checks["recommendation"]["blanket_rule"] == rule.pk
    assert case.checks["recommendation"]["ects"] == "2.0"


def test_rules_are_public_and_countersigned_through_the_api_and_pages(
    api_client, api_as, as_user, client, olga, carol, bob, alliance, institution_b
):
    proposed = api_as(olga).post(
        "/api/v1/recognition/blanket-rules/",
        {
            "alliance": alliance.slug,
            "title": "EQF 6 and above",
            "minimum_eqf_level": 6,
            "max_ects_per_year": "10.0",
        },
        format="json",
    )
    assert proposed.status_code == 201, proposed.content
    pk = proposed.json()["id"]
    assert (
        api_as(carol)
        .post(
            "/api/v1/recognition/blanket-rules/",
            {
                "alliance": alliance.slug,
                "title": "x",
                "minimum_eqf_level": 6,
                "max_ects_per_year": "1",
            },
            format="json",
        )
        .status_code
        == 404
    )
    assert (
        api_as(bob)
        .post(
            f"/api/v1/recognition/blanket-rules/{pk}/countersign/",
            {"institution": "uni-b"},
            format="json",
        )
        .status_code
        == 404
    )
    assert (
        api_as(olga)
        .post(
            f"/api/v1/recognition/blanket-rules/{pk}/countersign/",
            {"institution": "uni-b"},
            format="json",
        )
        .status_code
        == 404
    )
    page = as_user(carol).post(f"/recognition/rules/{pk}/countersign/uni-b/")
    assert page.status_code == 302
    (listed,) = api_client.get("/api/v1/recognition/blanket-rules/").json()
    assert listed["countersigned_by"] == ["uni-b"]
    public = client.get("/recognition/rules/").content.decode()
    assert "EQF 6 and above" in public
    assert "Universität B" in public
    assert as_user(carol).post(f"/recognition/rules/{pk}/withdraw/").status_code == 404
