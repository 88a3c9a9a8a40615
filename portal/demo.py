"""Helpers the per-app demo seeders share."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from portal.models import User

# Demo accounts exist only in demo databases; the password is printed by `seed_demo`.
DEMO_PASSWORD = "demo-alliance-2026"  # noqa: S105 (demo databases only)


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
