"""Issuing with real Celery worker processes on PostgreSQL and Redis."""

from __future__ import annotations

import base64
import random
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection

from catalogue import services as catalogue_services
from catalogue.models import Enrolment
from credential_format.verification import verify_credential
from issuance import services, signing_keys
from issuance.models import Credential, CredentialState, SigningKey
from portal.models import User
from tests.catalogue.factories import past
from tests.interop.dbstack import node, requires_node_stack
from tests.issuance.factories import programme_with_offering
from tests.services import wait_for
from verification.resolver import PortalFetcher

pytestmark = pytest.mark.services

LEARNERS = 1000


def _enrol_cohort(offering, count: int) -> list[User]:
    learners = User.objects.bulk_create(
        [
            User(email=f"learner{n}@cohort.example", full_name=f"Learner {n:04d} Ñandú")
            for n in range(count)
        ]
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                offering=offering, learner=learner, version=offering.version, status="enrolled"
            )
            for learner in learners
        ]
    )
    return learners


def _upload_passes(actor, offering, learners) -> None:
    lines = ["offering,learner_email,outcome,grade,assessed_on,identity_verified"]
    assessed_on = past().isoformat()
    lines += [
        f"{offering.code},{learner.email},passed,8.0,{assessed_on},yes" for learner in learners
    ]
    data = "\n".join(lines).encode()
    preview = catalogue_services.preview_results_upload(
        actor=actor, filename="results.csv", size=len(data), data=data
    )
    assert all(row.valid for row in preview.rows), [
        row.errors for row in preview.rows if not row.valid
    ][:3]
    catalogue_services.confirm_results_upload(actor=actor, upload=preview.upload)


def test_a_thousand_passes_are_issued_exactly_once_while_workers_are_killed(
    workers, alice, institution_a, tmp_path
):
    _programme, offering = programme_with_offering(alice, institution_a, capacity=LEARNERS)
    learners = _enrol_cohort(offering, LEARNERS)
    workers.start(count=2, pool="solo")
    _upload_passes(alice, offering, learners)

    rng = random.Random(7)
    for _round in range(3):
        time.sleep(rng.uniform(0.4, 1.2))
        workers.kill(0)  # SIGKILL, mid-batch when the timing falls that way
        workers.processes.pop(0)
        workers.start(count=1, pool="solo")

    def all_issued() -> bool:
        # The periodic sweeper's job, run here at test speed: re-queue what a killed worker
        # took down with it (those messages return to Redis only after the visibility timeout).
        services.sweep_stale_intents(older_than=timedelta(seconds=0))
        return not Credential.objects.filter(state=CredentialState.PENDING).exists()

    wait_for(all_issued, timeout=180, interval=2)

    credentials = list(Credential.objects.all())
    assert len(credentials) == LEARNERS
    assert Counter(c.state for c in credentials) == {CredentialState.ISSUED: LEARNERS}
    assert len({c.natural_key for c in credentials}) == LEARNERS
    assert len({(c.status_list_id, c.status_index) for c in credentials}) == LEARNERS
    assert {c.learner_id for c in credentials} == {learner.pk for learner in learners}
    fetcher = PortalFetcher()
    for credential in rng.sample(credentials, 25):
        assert verify_credential(credential.document, fetcher=fetcher).verified
    _assert_no_key_material_in(tmp_path)


def _assert_no_key_material_in(log_dir) -> None:
    """After a full run with crashes, the workers' logs hold no private key, wrapped or not."""
    logs = "\n".join(path.read_text(errors="replace") for path in log_dir.glob("*.log"))
    assert "issue_credentials" in logs  # the logs are the workers' own
    for key in SigningKey.objects.all():
        seed = signing_keys.key_backend().signer(key, "x")._private_key.private_bytes_raw()  # type: ignore[attr-defined]
        for secret in (key.wrapped_private_key, seed.hex(), base64.b64encode(seed).decode()):
            assert secret not in logs


def _node_verify(credential: dict, http_base: str) -> dict:
    return node(
        {"action": "verify", "credential": credential, "documents": {}, "httpBase": http_base}
    )


@pytest.mark.interop
@requires_node_stack
def test_the_independent_verifier_resolves_did_web_and_status_against_the_running_portal(
    live_portal, alice, charlie, institution_a, institution_b, dana, settings
):
    # Credentials, DIDs and status lists are made by the running portal's workers; revoking
    # from this process must produce the same URLs.
    settings.PORTAL_BASE_URL = live_portal.url
    _programme, offering = programme_with_offering(
        alice, institution_a, partners=[institution_b], approvers=[charlie]
    )
    (enrolment,) = [catalogue_services.enrol(learner=dana, offering=offering)]
    result = catalogue_services.record_result(
        actor=alice,
        enrolment=enrolment,
        outcome="passed",
        grade="9.0",
        assessed_on=past(),
        identity_verified=True,
    )
    credential = wait_for(
        lambda: Credential.objects.filter(
            natural_key=f"result:{result.pk}", state=CredentialState.ISSUED
        ).first(),
        timeout=60,
    )
    document = credential.document
    # The coordinator signs; the partner attests with its endorsement, signed by its own key.
    assert len(document["proof"]) == 1
    assert ":institutions:uni-b#" in document["endorsement"][0]["proof"][0]["verificationMethod"]
    outcome = _node_verify(document, live_portal.url)
    assert outcome["verified"], outcome
    assert outcome["statusValid"] is True

    services.revoke_credential(actor=alice, credential=credential, reason="Issued in error")
    connection.close()  # the server reads the committed list in its own connection
    outcome = _node_verify(document, live_portal.url)
    assert not outcome["verified"]
    assert outcome["statusValid"] is False
