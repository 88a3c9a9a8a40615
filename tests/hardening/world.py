"""One populated portal for the hardening tests: every kind of object a route can address,
owned by institution A and its learner dana, built through the services like in production.

The cast of `tests/conftest.py` plays the actors:

| actor          | who     | relation to the objects                         |
| -------------- | ------- | ----------------------------------------------- |
| anonymous      | nobody  | not signed in                                   |
| learner        | dana    | holds the credential, files the requests        |
| other_learner  | eve     | another learner                                 |
| owner_staff    | alice   | admin and programme manager at A (the owner)    |
| other_staff    | charlie | admin and programme manager at B (same alliance) |
| owner_officer  | bob     | recognition officer at A                        |
| other_officer  | carol   | recognition officer at B                        |
| alliance_admin | olga    | admin of A and B's alliance                     |
| operator       | oscar   | superuser running the portal                    |
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress

from alliances import services as alliance_services
from alliances.models import AllianceRole, StaffRole
from catalogue import services as catalogue_services
from catalogue.models import Enrolment, Offering, Pathway, Programme
from issuance.models import Credential, IssuanceJob, SigningKey, StatusList
from portal.models import AuditEvent
from recognition import services as recognition_services
from recognition.models import Appeal, Decision, RecognitionRequest
from tests.credential_format.foreign import foreign_credential
from tests.factories import OFFICER
from tests.issuance.factories import issue_credential
from tests.recognition.factories import policy, submit, target
from wallet.imports import import_credential
from wallet.models import ImportedCredential, ShareLink
from wallet.sharing import create_share_link

ACTORS = (
    "anonymous",
    "learner",
    "other_learner",
    "owner_staff",
    "other_staff",
    "owner_officer",
    "other_officer",
    "alliance_admin",
    "operator",
)

RESULTS_CSV = "offering,learner_email,outcome,grade,assessed_on,identity_verified\n"
TARGETS_CSV = b"code,title,ects,eqf_level\nST2,Algebra,3,6\n"
PDF = b"%PDF-1.4\n% an attachment\n"


@dataclass
class World:
    users: dict[str, Any]
    institution: Any
    other_institution: Any
    alliance: Any
    programme: Programme
    offering: Offering
    enrolment: Enrolment
    pathway: Pathway
    credential: Credential
    job: IssuanceJob
    status_list: StatusList
    share_link: ShareLink
    share_token: str
    imported: ImportedCredential
    result_upload: Any
    target: Any
    target_upload: Any
    open_request: RecognitionRequest
    decided_request: RecognitionRequest
    decision: Decision
    appeal: Appeal
    agreement: Any
    preapproval: Any
    blanket_rule: Any
    attachment: Any
    staff_role: StaffRole
    invitation: Any
    # rows the Django admin shows
    email_address: Any
    audit_event: AuditEvent
    alliance_role: AllianceRole
    signing_key: SigningKey


def build_world(cast: dict[str, Any], institution_a, institution_b, alliance) -> World:
    alice, bob, dana = cast["owner_staff"], cast["owner_officer"], cast["learner"]
    credential = issue_credential(manager=alice, institution=institution_a, learner=dana)
    programme = Programme.objects.get(slug="data-literacy")
    offering = Offering.objects.get(programme=programme)
    enrolment = Enrolment.objects.get(offering=offering, learner=dana)
    pathway = catalogue_services.create_pathway(
        actor=alice,
        owner=institution_a,
        alliance=alliance,
        slug="data-path",
        title={"en": "Data path"},
        rule="all",
        programme_ids=[programme.pk],
    )
    share_link = create_share_link(learner=dana, name="For my employer", credentials=[credential])
    imported = import_credential(learner=dana, data=json.dumps(foreign_credential()))
    result_upload = catalogue_services.preview_results_upload(
        actor=alice, filename="results.csv", size=len(RESULTS_CSV), data=RESULTS_CSV.encode()
    ).upload

    policy(alice, institution_a)
    course = target(bob, institution_a)
    target_upload = recognition_services.preview_targets_upload(
        actor=bob,
        institution=institution_a,
        filename="targets.csv",
        size=len(TARGETS_CSV),
        data=TARGETS_CSV,
    ).upload
    open_request = submit(dana, institution_a, course)
    (attachment,) = recognition_services.add_attachments(
        learner=dana,
        case=open_request,
        attachments=[recognition_services.AttachmentInput("transcript.pdf", PDF)],
    )
    decided_request = submit(dana, institution_a, course, motivation="A second course.")
    decision = recognition_services.decide_request(
        officer=bob,
        case=decided_request,
        outcome="refused",
        differences=[recognition_services.DifferenceInput("level", "Lower level.")],
    )
    appeal = recognition_services.lodge_appeal(
        learner=dana, case=decided_request, grounds="The level is the same."
    )
    agreement = recognition_services.create_agreement(
        actor=bob, target=course, programme=programme, ects=Decimal("5")
    )
    preapproval = recognition_services.request_preapproval(
        learner=dana,
        institution=institution_a,
        programme=programme,
        kind="course",
        target=course,
        motivation="Planned for my spring semester.",
    )
    blanket_rule = recognition_services.propose_blanket_rule(
        actor=cast["alliance_admin"],
        alliance=alliance,
        title="Alliance micro-credentials as free electives",
        minimum_eqf_level=6,
        max_ects_per_year=Decimal("10"),
    )
    invitation = alliance_services.invite_staff(
        actor=alice, institution=institution_a, email="new.officer@a.example", role=OFFICER
    )
    return World(
        users=cast,
        institution=institution_a,
        other_institution=institution_b,
        alliance=alliance,
        programme=programme,
        offering=offering,
        enrolment=enrolment,
        pathway=pathway,
        credential=credential,
        job=IssuanceJob.objects.get(offering=offering),
        status_list=StatusList.objects.get(institution=institution_a),
        share_link=share_link,
        share_token=share_link.token,
        imported=imported,
        result_upload=result_upload,
        target=course,
        target_upload=target_upload,
        open_request=RecognitionRequest.objects.get(pk=open_request.pk),
        decided_request=RecognitionRequest.objects.get(pk=decided_request.pk),
        decision=decision,
        appeal=appeal,
        agreement=agreement,
        preapproval=preapproval,
        blanket_rule=blanket_rule,
        attachment=attachment,
        staff_role=StaffRole.objects.get(user=bob, institution=institution_a),
        invitation=invitation,
        email_address=EmailAddress.objects.get(user=dana),
        audit_event=AuditEvent.objects.filter(institution_id=institution_a.pk).latest("pk"),
        alliance_role=AllianceRole.objects.get(alliance=alliance),
        signing_key=SigningKey.objects.filter(institution=institution_a).latest("pk"),
    )
