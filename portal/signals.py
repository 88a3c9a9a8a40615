"""What the site shell asks of the apps above it (they connect in their `AppConfig.ready()`,
so receivers run in the order of `INSTALLED_APPS`: lowest layer first).

All are sent with `sender=User` and `user=<User>`:

- `personal_data_export`: each receiver returns `{file name: bytes | str | JSON}`, the files
  that app puts into the person's data archive;
- `account_deleting`: each receiver removes or anonymises that app's personal data, inside the
  deletion's transaction (raising rolls the deletion back);
- `name_change_lock`: each receiver returns whether a change of the user's name needs staff
  approval (it does when any receiver says so).

Who takes part: search for `personal_data_export.connect`, `account_deleting.connect` and
`name_change_lock.connect`.
"""

from __future__ import annotations

from django.dispatch import Signal

personal_data_export = Signal()
account_deleting = Signal()
name_change_lock = Signal()
