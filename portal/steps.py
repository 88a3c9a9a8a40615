"""The shape most pages share: call one service, then tell the user how it went.

A button (a POST without a form) runs a `button_step`: a `DomainError` becomes an error
message, success a success message, and either way the page redirects (POST-redirect-GET).
A form runs a `form_step` once it is valid: a refusal is shown on the form (on its field
when the form has that field) and the caller renders the form again with `form_status`;
only success redirects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from portal.errors import DomainError

T = TypeVar("T")


def add_domain_error(form: Any, error: DomainError) -> None:
    """Show a service's refusal on the form: on the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def form_status(form: Any) -> int:
    """400 for a page showing a refused form, 200 for a fresh one."""
    return 400 if form.is_bound and form.errors else 200


def button_step(
    request: HttpRequest, step: Callable[[], object], *, success: str, then: HttpResponse
) -> HttpResponse:
    """Run `step`; say whether it worked (its `DomainError` as the error) and answer `then`."""
    try:
        step()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return then


def form_step(
    request: HttpRequest,
    form: Any,
    step: Callable[[], T],
    *,
    success: str | Callable[[T], str],
    then: HttpResponse | Callable[[T], HttpResponse],
) -> HttpResponse | None:
    """When the form is valid, run `step` (it reads `form.cleaned_data`). On success say
    `success` and answer `then` (either may be made from the step's result); otherwise
    return None, with the refusal on the form, for the caller to show the form again."""
    if not form.is_valid():
        return None
    try:
        result = step()
    except DomainError as error:
        add_domain_error(form, error)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return then(result) if callable(then) else then
