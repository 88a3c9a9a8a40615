"""Content epochs: one counter per body of content that pages are cached from.

A write moves the counter of what it changed (`bump`) inside its own transaction; a reader
builds its cache key and ETag from the counters it depends on (`read`). A page rendered from
older data is therefore stored under an older key and never served once the change is
committed, in every process and without a cache flush. Apps connect their models with
`bump_on_change` in their `ready()`.

Readers take the counters from the shared cache (one round trip for all of them) and go to the
database only for those it does not hold. A bump removes its counters from the cache at once
and, when its transaction commits, marks them unsettled for a few seconds: meanwhile readers
take them from the database and do not cache them, so a reader that read the old value just
before the commit cannot put it back. The cached values also expire after a minute, which
bounds what a lost invalidation (the cache unreachable at that moment) can leave behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
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
# Who holds which staff and alliance role, and which institutions are members of an alliance:
# what `alliances.permissions.roles_of` keeps in the cache.
ROLES = "roles"


def programme(slug: str) -> str:
    """The epoch of what only one programme's page shows (the places left in its offerings)."""
    return f"programme:{slug}"


def holder(user_id: int) -> str:
    """The epoch of what one person's own pages show (wallet, dashboard)."""
    return f"holder:{user_id}"


CACHED_SECONDS = 60
SETTLE_SECONDS = 5
_UNSETTLED = "unsettled"


def _cache_key(name: str) -> str:
    return f"epoch:{name}"


def share_views(user_id: int) -> str:
    """The epoch of the view counts of one person's share links (their wallet shows them):
    apart from `holder`, so that counting a view leaves the share page itself cached."""
    return f"share-views:{user_id}"


def read(names: Iterable[str]) -> dict[str, int]:
    """The current value of each named epoch (0 for one never moved): one cache round trip,
    and one query for those the cache does not hold."""
    wanted = list(dict.fromkeys(names))
    cached = cache.get_many([_cache_key(name) for name in wanted])
    values = {
        name: value for name in wanted if isinstance(value := cached.get(_cache_key(name)), int)
    }
    missing = [name for name in wanted if name not in values]
    if missing:
        stored = dict(ContentEpoch.objects.filter(name__in=missing).values_list("name", "value"))
        for name in missing:
            values[name] = stored.get(name, 0)
            # Not when absent because unsettled by a recent change, nor a value this
            # transaction may have moved and may yet roll back.
            if _cache_key(name) not in cached and not in_open_transaction():
                cache.add(_cache_key(name), values[name], CACHED_SECONDS)
    return {name: values[name] for name in wanted}


def in_open_transaction() -> bool:
    """Whether the caller is inside a transaction of its own (a test case's wrapping aside):
    what it reads there may never be committed, so it is not put in the shared cache."""
    return any(not block._from_testcase for block in transaction.get_connection().atomic_blocks)


def _forget(names: list[str]) -> None:
    keys = [_cache_key(name) for name in names]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.set_many(dict.fromkeys(keys, _UNSETTLED), SETTLE_SECONDS))


def bump(*names: str) -> None:
    """Move the named epochs on (inside the caller's transaction, if any): one UPDATE, and an
    INSERT for those never moved before."""
    wanted = list(dict.fromkeys(names))
    if not wanted:
        return
    _move(wanted)
    _forget(wanted)


def _move(wanted: list[str]) -> None:
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
