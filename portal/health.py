"""``/healthz``: is this instance able to serve, and is each service it leans on answering?

The checks are django-health-check's: the database answers ``SELECT 1``; the cache keeps a
value it was just given (while Redis is down the fail-soft cache drops writes, so this
fails); the Celery broker accepts a connection. The answer is JSON, 200 when every check
passes, 503 naming what is unavailable otherwise.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
from typing import Any

from django.http import HttpRequest, JsonResponse
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection (a worker need not be running)."""

    timeout: datetime.timedelta = dataclasses.field(
        default=datetime.timedelta(seconds=2), repr=False
    )

    def run(self) -> None:
        from portal.celery import app

        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(
                    max_retries=1,
                    interval_start=0,
                    interval_step=0,
                    timeout=self.timeout.total_seconds(),
                )
        except Exception as error:
            raise ServiceUnavailable("The broker cannot be reached.") from error


# The name each check has in the report.
CHECKS: dict[str, type[HealthCheck]] = {"database": Database, "cache": Cache, "broker": Broker}


class HealthView(HealthCheckView):
    checks = tuple(CHECKS.values())

    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        checks = list(self.get_checks())
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in checks))
        report = {
            name: "ok" if result.error is None else "unavailable"
            for name, result in zip(CHECKS, results, strict=True)
        }
        healthy = all(state == "ok" for state in report.values())
        return JsonResponse(
            {"status": "ok" if healthy else "degraded", **report}, status=200 if healthy else 503
        )
