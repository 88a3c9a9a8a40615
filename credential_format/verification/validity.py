"""Is the credential within its validity period (VC 2.0 validFrom/validUntil, VC 1.1
issuanceDate/expirationDate)?"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from credential_format.verification.report import Outcome, VerificationReport
from credential_format.verification.values import parse_datetime


def check_validity_period(
    document: dict[str, Any], report: VerificationReport, now: datetime, version: str | None
) -> None:
    start_key, end_key = ("validFrom", "validUntil")
    if version == "1.1":
        start_key, end_key = ("issuanceDate", "expirationDate")
    start_raw = document.get(start_key, document.get("validFrom"))
    end_raw = document.get(end_key, document.get("validUntil"))
    start, end = parse_datetime(start_raw), parse_datetime(end_raw)
    if (start_raw is not None and start is None) or (end_raw is not None and end is None):
        report.add(
            "validity-period",
            Outcome.FAILED,
            "The credential's validity dates are not valid date-times.",
            "INVALID_DATE",
        )
    elif start is not None and now < start:
        report.add(
            "validity-period",
            Outcome.FAILED,
            f"The credential is not valid yet: it becomes valid on {start_raw}.",
            "NOT_YET_VALID",
            validFrom=start_raw,
        )
    elif end is not None and now >= end:
        report.add(
            "validity-period",
            Outcome.FAILED,
            f"The credential expired on {end_raw}. Ask the issuer whether a renewed credential "
            "exists.",
            "EXPIRED",
            validUntil=end_raw,
        )
    elif start is None and end is None:
        report.add(
            "validity-period", Outcome.NOT_APPLICABLE, "The credential states no validity period."
        )
    else:
        report.add(
            "validity-period", Outcome.PASSED, "The credential is within its validity period."
        )
