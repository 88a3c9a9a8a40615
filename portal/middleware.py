from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from portal.api import problem_json_response
from portal.errors import DomainError

logger = logging.getLogger(__name__)


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class ApiProblemMiddleware:
    """API clients get problem details, never an HTML error page, whatever goes wrong."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_api_request(request):
            return None
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
