"""What the recognition pages share: showing a service's refusal on the form, and the
status of a page that shows a refused form.
"""

from __future__ import annotations

from typing import Any

from portal.errors import DomainError


def _add_error(form: Any, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _status(form: Any) -> int:
    return 400 if form.is_bound and form.errors else 200
