"""Shared API plumbing: pagination and RFC 9457 problem details for every error."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler

from portal.errors import DomainError

logger = logging.getLogger(__name__)


PROBLEM_CONTENT_TYPE = "application/problem+json"
UNSTORABLE_VALUE = "The request contains a value that cannot be stored (such as a NUL character)."
PROBLEM_TYPE_BASE = "https://alliance-credentials.eu/problems/"

_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    429: "Too many requests",
    500: "Server error",
    503: "Service unavailable",
}


class PagePagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def problem_body(
    status_code: int, detail: str, *, code: str, errors: dict[str, Any] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code.replace("_", "-"),
        "title": _TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    return body


def problem_json_response(
    request: HttpRequest, status_code: int, detail: str, *, code: str
) -> JsonResponse:
    body = problem_body(status_code, detail, code=code)
    body["instance"] = request.path
    return JsonResponse(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def body_too_large_detail() -> str:
    from django.conf import settings

    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return f"The request body is too large: the limit is {limit // 1024} KB."


def suspicious_request_problem(exc: SuspiciousOperation) -> tuple[int, str, str]:
    """(status, detail, code) for a request Django refused to read: a body over the memory
    limit is a 413, anything else Django finds suspicious a 400."""
    if isinstance(exc, RequestDataTooBig):
        return 413, body_too_large_detail(), "too_large"
    return 400, "The request was malformed.", "bad_request"


def _flatten_detail(detail: Any) -> str:
    if isinstance(detail, list) and detail:
        return _flatten_detail(detail[0])
    if isinstance(detail, dict) and detail:
        key, value = next(iter(detail.items()))
        return f"{key}: {_flatten_detail(value)}"
    return str(detail)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    request = context.get("request")
    if isinstance(exc, DomainError):
        errors = {exc.field: [exc.message]} if exc.field else None
        body = problem_body(exc.status_code, exc.message, code=exc.code, errors=errors)
        response = Response(body, status=exc.status_code)
    elif isinstance(exc, DjangoValidationError):
        errors = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        body = problem_body(400, _flatten_detail(errors), code="invalid", errors=errors)
        response = Response(body, status=400)
    elif isinstance(exc, SuspiciousOperation):
        status_code, detail, code = suspicious_request_problem(exc)
        response = Response(problem_body(status_code, detail, code=code), status=status_code)
    elif isinstance(exc, DataError):
        # The database refused a value the request carried (a NUL character, a number out of
        # range): the client sent it, so it is the client's error, not the server's.
        body = problem_body(400, UNSTORABLE_VALUE, code="invalid")
        response = Response(body, status=400)
    else:
        if isinstance(exc, Http404):
            exc = exceptions.NotFound()
        elif isinstance(exc, DjangoPermissionDenied):
            exc = exceptions.PermissionDenied()
        handled = exception_handler(exc, context)
        if handled is None:
            return None
        response = handled
        code = "error"
        errors = None
        if isinstance(exc, exceptions.ValidationError):
            code = "invalid"
            errors = (
                response.data
                if isinstance(response.data, dict)
                else {"non_field_errors": response.data}
            )
            detail = _flatten_detail(response.data)
        elif isinstance(exc, exceptions.APIException):
            codes = exc.get_codes()
            code = codes if isinstance(codes, str) else "error"
            detail = _flatten_detail(response.data.get("detail", response.data))
        else:
            detail = str(exc)
        body = problem_body(response.status_code, detail, code=code, errors=errors)
        response.data = body
    if request is not None:
        response.data["instance"] = request.path
    response.content_type = PROBLEM_CONTENT_TYPE
    wait = getattr(exc, "wait", None)
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS and wait:
        response["Retry-After"] = str(int(wait))
    return response
