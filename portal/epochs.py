"""Content epochs: one counter per body of content that pages are cached from.

A write moves the counter of what it changed (`bump`) inside its own transaction; a reader
builds its cache key and ETag from the counters it depends on (`read`). A page rendered from
older data is therefore stored under an older key and never served once the change is
committed, in every process and without a cache flush. Apps connect their models with
`bump_on_change` in their `ready()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from portal.models import ContentEpoch

# The public catalogue and everything it shows about institutions and alliances: programme
# pages, pathways, institution and alliance pages, the catalogue's filters.
CATALOGUE = "catalogue"
# Who is registered and trusted as an issuer: institution keys, memberships, the trust registry.
ISSUERS = "issuers"
# Agreements, alliance rules and decisions: what programme pages say a programme counts for.
RECOGNITION = "recognition"


def programme(slug: str) -> str:
    """The epoch of what only one programme's page shows (the places left in its offerings)."""
    return f"programme:{slug}"


def holder(user_id: int) -> str:
    """The epoch of what one person's own pages show (wallet, dashboard)."""
    return f"holder:{user_id}"


def read(names: Iterable[str]) -> dict[str, int]:
    """The current value of each named epoch (0 for one never moved), in one query."""
    wanted = list(dict.fromkeys(names))
    values = dict(ContentEpoch.objects.filter(name__in=wanted).values_list("name", "value"))
    return {name: values.get(name, 0) for name in wanted}


def bump(*names: str) -> None:
    """Move the named epochs on (inside the caller's transaction, if any): one UPDATE, and an
    INSERT for those never moved before."""
    wanted = list(dict.fromkeys(names))
    if not wanted:
        return
    if len(wanted) == 1:
        if ContentEpoch.objects.filter(name=wanted[0]).update(value=models.F("value") + 1):
            return
        missing = wanted
    else:
        existing = set(ContentEpoch.objects.filter(name__in=wanted).values_list("name", flat=True))
        ContentEpoch.objects.filter(name__in=existing).update(value=models.F("value") + 1)
        missing = [name for name in wanted if name not in existing]
    for name in missing:
        try:
            with transaction.atomic():
                ContentEpoch.objects.create(name=name, value=1)
        except IntegrityError:  # created meanwhile by a concurrent writer
            ContentEpoch.objects.filter(name=name).update(value=models.F("value") + 1)


def bump_holders(user_ids: Iterable[int | None]) -> None:
    bump(*(holder(user_id) for user_id in user_ids if user_id is not None))


def bump_on_change(
    model: type[models.Model],
    names: Callable[[Any], Iterable[str]] | Iterable[str],
) -> None:
    """Move epochs whenever an instance of `model` is saved or deleted, or its many-to-many
    relations change. `names` is a fixed list, or a function of the instance (e.g. the
    holder's epoch of a credential)."""

    def handler(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
        if kwargs.get("raw"):  # fixtures being loaded
            return
        action = kwargs.get("action")
        if action is not None and not action.startswith("post_"):  # pre_add and the like
            return
        # Kept for a names function that looks at which fields a save changed.
        instance._epoch_update_fields = kwargs.get("update_fields")
        chosen = names(instance) if callable(names) else names
        bump(*chosen)

    uid = f"epochs:{model._meta.label}"
    post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"{uid}:save")
    post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        m2m_changed.connect(handler, sender=through, weak=False, dispatch_uid=f"{uid}:{field.name}")
