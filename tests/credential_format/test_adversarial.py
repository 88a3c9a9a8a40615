"""The adversarial credential set (tests/credential_format/adversarial.py) through the library's verifier."""

from __future__ import annotations

import copy
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest

from credential_format.jsonld import canonicalize
from credential_format.signing import unsecured_document
from credential_format.verification import FetchError, verify_credential, verify_presentation

from .adversarial import ACCEPTED, Case, cases, documents, hostile_inputs

NOW = datetime(2025, 6, 1, tzinfo=UTC)
CASES = cases()


class MapFetcher:
    def __init__(self, served: dict[str, Any]):
        self.served = served

    def fetch_json(self, url: str) -> dict[str, Any]:
        if url not in self.served:
            raise FetchError(f"{url} is not reachable in this test.")
        return copy.deepcopy(self.served[url])


class OutOfTime(BaseException):
    """Raised by the alarm; a BaseException so the verifier's own error handling cannot
    turn it into a report."""


@contextmanager
def cpu_alarm(seconds: int) -> Iterator[None]:
    """Stop a runaway computation (the clique without a work budget) after ``seconds``."""

    def ring(signum: int, frame: Any) -> None:
        raise OutOfTime

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def judge(case: Case) -> tuple[bool, set[str], float]:
    started = time.perf_counter()
    report = verify_credential(case.document, fetcher=MapFetcher(documents()), now=NOW)
    elapsed = time.perf_counter() - started
    return report.verified, {check.code for check in report.errors}, elapsed


@pytest.mark.parametrize(
    "case", [c for c in CASES if not c.needs_work_budget], ids=lambda c: c.name
)
def test_the_library_judges_each_adversarial_credential_right(case: Case):
    verified, codes, _ = judge(case)
    assert verified is (case.expected == ACCEPTED), codes
    assert case.codes <= codes


@pytest.mark.parametrize("case", [c for c in CASES if c.needs_work_budget], ids=lambda c: c.name)
def test_a_blank_node_clique_is_refused_in_under_a_second(case: Case):
    try:
        with cpu_alarm(3):
            verified, _, elapsed = judge(case)
    except OutOfTime:
        pytest.fail("the clique was still being canonicalised after 3 s")
    assert not verified
    assert elapsed < 1.0


def test_the_set_covers_every_hiding_place_for_status_and_dates():
    names = {case.name for case in CASES}
    for place in (
        "@nest",
        "full IRI",
        "@included",
        "inline alias",
        "term aliased to @nest",
        "graph container alias",
    ):
        assert f"revoked, status hidden by {place}" in names
        assert f"expired, validUntil hidden by {place}" in names


HOSTILE = [pytest.param(document, id=name) for name, document in hostile_inputs()]


@pytest.mark.parametrize("document", HOSTILE)
def test_every_hostile_input_gets_a_failed_report_never_an_exception(document):
    report = verify_credential(document, fetcher=MapFetcher(documents()), now=NOW)
    assert not report.verified
    assert report.errors
    assert report.to_dict()["verified"] is False


@pytest.mark.parametrize("document", HOSTILE)
def test_every_hostile_credential_in_a_presentation_gets_a_report(document):
    presentation = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [document],
    }
    report = verify_presentation(presentation, fetcher=MapFetcher(documents()), now=NOW)
    assert not report.verified


@pytest.mark.parametrize(
    "case", [c for c in CASES if not c.needs_work_budget], ids=lambda c: c.name
)
def test_a_presentation_judges_each_adversarial_credential_right(case: Case):
    presentation = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [case.document],
    }
    report = verify_presentation(presentation, fetcher=MapFetcher(documents()), now=NOW)
    if case.expected == ACCEPTED:
        assert report.credentials[0].verified, report.credentials[0].to_dict()["errors"]
    else:
        assert not report.verified


def _hostile_lists():
    from .adversarial import hostile_status_lists

    return [pytest.param(document, id=name) for name, document in hostile_status_lists()]


@pytest.mark.parametrize("status_list", _hostile_lists())
def test_a_hostile_status_list_gives_a_failed_status_never_an_exception(status_list):
    from .adversarial import STATUS_URL

    valid = next(case for case in CASES if case.name == "valid, with status")
    report = verify_credential(
        valid.document, fetcher=MapFetcher({STATUS_URL: status_list}), now=NOW
    )
    assert not report.verified
    status = report.check("status")
    assert status is not None
    assert status.outcome == "failed", report.to_dict()["errors"]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "@context":
                yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    changed = copy.deepcopy(document)
    target = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return changed


WRONG_VALUES = (None, 0, True, "", [], {}, "@foo", {"@id": "@foo"})


def test_a_wrong_type_anywhere_in_a_signed_credential_gives_a_failed_report():
    """Every value of a signed credential, replaced in turn by each of a few values of the
    wrong type: always a report, never an exception, and never verified unless the signed
    statements are unchanged (a null where the same statement is made elsewhere too)."""
    valid = next(case for case in CASES if case.name == "valid, with status").document
    signed = canonicalize(unsecured_document(valid))
    fetcher = MapFetcher(documents())
    runs = 0
    for path in _paths(valid):
        for wrong in WRONG_VALUES:
            changed = _replaced(valid, path, wrong)
            report = verify_credential(changed, fetcher=fetcher, now=NOW)
            if report.verified:
                assert canonicalize(unsecured_document(changed)) == signed, (path, wrong)
            else:
                assert report.errors, (path, wrong)
            runs += 1
    assert runs > 500
