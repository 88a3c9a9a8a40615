"""One issued credential of every kind the portal issues, made the way the portal makes them:
a micro-credential, a joint micro-credential (endorsed by the partner), a pathway credential
and a recognition decision, plus a micro-credential that is then revoked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.test import TestCase

from issuance import services
from issuance.models import Credential, CredentialKind
from tests.issuance.factories import issue_credential, issue_pathway_credential
from tests.recognition.factories import RECEIVED, submit


@dataclass(frozen=True)
class EveryKind:
    micro: Credential
    joint: Credential
    pathway: Credential
    recognition: Credential
    revoked: Credential

    def valid(self) -> dict[str, Credential]:
        return {
            "micro-credential": self.micro,
            "joint micro-credential": self.joint,
            "pathway": self.pathway,
            "recognition decision": self.recognition,
        }


def issue_every_kind(
    *, alice, bob, charlie, institution_a, institution_b, dana, eve, course_a
) -> EveryKind:
    micro = issue_credential(alice, institution_a, dana, slug="single")
    joint = issue_credential(
        alice, institution_a, dana, slug="joint", partners=[institution_b], approvers=[charlie]
    )
    revoked = issue_credential(alice, institution_a, eve, slug="revoked")
    services.revoke_credential(actor=alice, credential=revoked, reason="Issued by mistake.")

    pathway = issue_pathway_credential(
        alice,
        institution_a,
        dana,
        slug="stack",
        title={"en": "Data pathway", "es": "Itinerario de datos", "de": "Datenpfad"},
        description={"en": "Two programmes.", "es": "Dos programas.", "de": "Zwei Programme."},
    )

    from recognition import services as recognition_services

    request = submit(dana, institution_a, course_a)
    with TestCase.captureOnCommitCallbacks(execute=True):
        recognition_services.decide_request(
            officer=bob,
            case=request,
            outcome="full",
            credits_granted=Decimal("6"),
            reasons="Same outcomes.",
            now=RECEIVED + timedelta(days=1),
        )
    recognition = Credential.objects.get(kind=CredentialKind.RECOGNITION)
    for credential in (micro, joint, revoked, pathway, recognition):
        credential.refresh_from_db()
    return EveryKind(micro, joint, pathway, recognition, revoked)
