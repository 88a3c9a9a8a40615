"""Errors that services raise for rule violations a user can fix.

Views turn them into form errors or messages; the API turns them into RFC 9457 problem
details with HTTP 400/409. They are never shown as a 500.
"""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the request; `message` says what the user can do next."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field


class ConflictError(DomainError):
    """The request conflicts with the current state (already decided, full, locked...)."""

    status_code = 409
    code = "conflict"


class RetryLaterError(DomainError):
    """A dependency (cache, broker) is temporarily unavailable; the user should retry."""

    status_code = 503
    code = "retry_later"
