from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = _("Recognition")

    def ready(self) -> None:
        """Recognition hears of issued credentials, locks the names of learners whose name is
        identity data, adds its part to a person's data export, and contributes its demo data."""
        from issuance.signals import credentials_issued
        from portal.demo import register_seeder
        from portal.signals import name_change_lock, personal_data_export
        from recognition import credentials, demo, privacy, selectors

        credentials_issued.connect(credentials.mark_credentials_issued, dispatch_uid="recognition")
        name_change_lock.connect(selectors.name_is_identity_data, dispatch_uid="recognition")
        personal_data_export.connect(privacy.export_recognition, dispatch_uid="recognition")
        register_seeder(self.label, demo.seed)
