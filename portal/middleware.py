from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import DataError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal import uploads
from portal.api import UNSTORABLE_VALUE, problem_json_response, suspicious_request_problem
from portal.errors import DomainError

logger = logging.getLogger(__name__)


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class ApiProblemMiddleware:
    """API clients get problem details, never an HTML error page, whatever goes wrong; and
    nobody gets a 500 for a value the database refuses to store."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DataError):
            # A value from the request the database cannot store (a NUL character in a
            # lookup, a number out of range) is the client's error.
            if is_api_request(request):
                return problem_json_response(request, 400, UNSTORABLE_VALUE, code="invalid")
            return render(request, "400.html", status=400)
        if not is_api_request(request):
            return None
        if isinstance(exception, SuspiciousOperation):
            status_code, detail, code = suspicious_request_problem(exception)
            return problem_json_response(request, status_code, detail, code=code)
        if isinstance(exception, DomainError):
            return problem_json_response(
                request, exception.status_code, exception.message, code=exception.code
            )
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        return problem_json_response(
            request,
            500,
            "The server could not complete the request. It has been logged; try again later.",
            code="server_error",
        )


class UploadSizeLimitMiddleware:
    """Refuse a request body larger than its route accepts from its declared length, before
    anything reads it: Django would otherwise spool the whole body to disk (CSRF checking
    reads it first), and the view's own size check would come too late. Must run before
    CsrfViewMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self._refuse_over(request, settings.REQUEST_BODY_MAX_BYTES)
        return refused or self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        setting = settings.UPLOAD_LIMITS_BY_ROUTE.get(match.view_name) if match else None
        return self._refuse_over(request, getattr(settings, setting)) if setting else None

    def _refuse_over(self, request: HttpRequest, limit: int) -> HttpResponse | None:
        try:
            uploads.check_declared_upload_size(request.META, limit=limit)
        except DomainError as error:
            if is_api_request(request):
                return problem_json_response(request, 413, error.message, code=error.code)
            return render(request, "400.html", {"detail": error.message}, status=413)
        return None
