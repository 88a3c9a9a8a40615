"""The demo data: the registry of per-app seeders, and helpers they share.

Each app registers its part of `manage.py seed_demo` in its `AppConfig.ready()` with
`register_seeder`; `seeders()` gives them lowest layer first (the order of `INSTALLED_APPS`),
since each app's demo data builds on the data of the apps below it. Who seeds: search for
`register_seeder(`.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.apps import apps

from portal.models import User

# Demo accounts exist only in demo databases; the password is printed by `seed_demo`.
DEMO_PASSWORD = "demo-alliance-2026"  # noqa: S105 (demo databases only)

# `seed(stdout=...)` creates the app's demo data (running it again changes nothing) and may
# return demo logins as (e-mail, password, description).
Seeder = Callable[..., list[tuple[str, str, str]] | None]

_SEEDERS: dict[str, Seeder] = {}


def register_seeder(app_label: str, seed: Seeder) -> None:
    """Register `seed` as the demo data of the app `app_label` (one per app)."""
    _SEEDERS[app_label] = seed


def seeders() -> list[Seeder]:
    """Registered seeders, lowest layer first (the order of `INSTALLED_APPS`)."""
    order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    return [_SEEDERS[label] for label in sorted(_SEEDERS, key=order.__getitem__)]


def ensure_demo_user(email: str, full_name: str, *, operator: bool = False) -> User:
    """Create a demo account with a verified address, or return the existing one unchanged."""
    user = User.objects.filter(email=email).first()
    if user is None:
        if operator:
            user = User.objects.create_superuser(email=email, password=DEMO_PASSWORD)
        else:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD)
        user.full_name = full_name
        user.save(update_fields=["full_name"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user
