"""What the issuing pipeline tells the apps above it (they connect in `AppConfig.ready()`).

`credential_revoked` is sent with `sender=Credential`, `credential=<Credential>` and `reason`,
inside the revoking transaction.

`credentials_issued` is sent with `sender=Credential` and `credential_ids=[int, ...]`, inside
the transaction that issued them: a receiver that raises rolls the issuing back with it.

Who reacts: search for `credentials_issued.connect` and `credential_revoked.connect`.
"""

from __future__ import annotations

from django.dispatch import Signal

credentials_issued = Signal()
credential_revoked = Signal()
