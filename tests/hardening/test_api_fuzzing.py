"""Property-based requests against every operation of the API schema, for each role, sent
in-process to the WSGI application (no network): no answer is a 5xx and every answer matches
the schema. Example counts are bounded so that the whole run stays well under two minutes."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from portal.tokens import create_api_token

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 6
ROLES = ("anonymous", "learner", "owner_staff", "owner_officer")
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def wsgi_app():
    """The application in this thread and transaction: Django must not close the test's
    connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_operation_fails_or_leaves_its_schema(world, wsgi_app, record_property):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    headers_by_role = {
        role: (
            {}
            if world.users[role] is None
            else {"Authorization": f"Token {create_api_token(user=world.users[role])[1]}"}
        )
        for role in ROLES
    }
    failures: list[str] = []
    sent = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for role, headers in headers_by_role.items():
            sent += exercise(operation, role, headers, failures)
    record_property("fuzzed_requests", sent)
    print(f"API fuzzing: {sent} generated requests, {len(failures)} failures")
    assert not failures, "\n\n".join(failures)


def exercise(operation, role: str, headers: dict[str, str], failures: list[str]) -> int:
    """Send the operation's generated cases as the role; returns how many were sent."""
    sent = 0

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def send(case) -> None:
        nonlocal sent
        sent += 1
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except Exception as error:  # each failure is reported with the others at the end
            failures.append(f"{role} {operation.label}: {str(error)[:600]}")

    send()
    return sent
