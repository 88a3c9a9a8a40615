"""What a verification says: each check's id, outcome, code and reason, and the report that
gathers them (with the reports of a presentation's credentials)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    WARNING = "warning"
    NOT_APPLICABLE = "not-applicable"


@dataclass(frozen=True)
class Check:
    id: str
    outcome: Outcome
    reason: str
    code: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "id": self.id,
            "outcome": self.outcome.value,
            "reason": self.reason,
        }
        if self.code:
            result["code"] = self.code
        if self.details:
            result["details"] = self.details
        return result


@dataclass
class VerificationReport:
    checks: list[Check] = field(default_factory=list)
    verified_methods: list[str] = field(default_factory=list)
    credential_id: str | None = None
    issuer: str | None = None
    credentials: list[VerificationReport] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        own = bool(self.checks) and all(c.outcome != Outcome.FAILED for c in self.checks)
        return own and all(report.verified for report in self.credentials)

    @property
    def errors(self) -> list[Check]:
        return [c for c in self.checks if c.outcome == Outcome.FAILED]

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if c.outcome == Outcome.WARNING]

    def check(self, check_id: str) -> Check | None:
        return next((c for c in self.checks if c.id == check_id), None)

    def add(
        self, check_id: str, outcome: Outcome, reason: str, code: str = "", **details: Any
    ) -> None:
        self.checks.append(Check(check_id, outcome, reason, code, details))

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "verified": self.verified,
            "credentialId": self.credential_id,
            "issuer": self.issuer,
            "verifiedMethods": list(self.verified_methods),
            "errors": [c.to_dict() for c in self.errors],
            "warnings": [c.to_dict() for c in self.warnings],
            "checks": [c.to_dict() for c in self.checks],
        }
        if self.credentials:
            result["credentials"] = [report.to_dict() for report in self.credentials]
        return result
