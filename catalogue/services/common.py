"""Helpers the catalogue's writes share: model validation as `DomainError`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from portal.errors import DomainError


def _full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from error
