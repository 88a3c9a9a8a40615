from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        """The account's own part of a person's data export comes first in the archive."""
        from portal import privacy, security_events
        from portal.signals import personal_data_export

        security_events.connect()
        personal_data_export.connect(privacy.export_account, dispatch_uid="portal.account")
