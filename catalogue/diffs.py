"""Field-by-field differences between two programme snapshots (two submissions to the partners,
or two published versions), for the approval conversation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Bookkeeping that changes with every snapshot and says nothing about the programme.
IGNORED_KEYS = frozenset({"schema", "version", "programme"})


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


def _flatten(value: Any, path: str, into: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not path and key in IGNORED_KEYS:
                continue
            _flatten(item, f"{path}.{key}" if path else str(key), into)
    elif isinstance(value, list):
        for index, item in enumerate(value, start=1):
            _flatten(item, f"{path} {index}", into)
    elif value not in (None, ""):
        into[path] = str(value)


def snapshot_changes(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """Every field whose value differs, with the old and new text ("" when absent), in the
    order of the newer snapshot, then fields only the older one had."""
    old: dict[str, str] = {}
    new: dict[str, str] = {}
    _flatten(before, "", old)
    _flatten(after, "", new)
    fields = list(new) + [name for name in old if name not in new]
    return [
        FieldChange(name, old.get(name, ""), new.get(name, ""))
        for name in fields
        if old.get(name, "") != new.get(name, "")
    ]
