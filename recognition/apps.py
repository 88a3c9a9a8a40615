from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = _("Recognition")

    def ready(self) -> None:
        """Recognition hears of issued credentials (its own, and those that fulfil a
        pre-approval) and of revoked ones, locks the names of learners whose name is identity
        data, adds its part to a person's data export, and contributes its demo data."""
        from issuance.signals import credential_revoked, credentials_issued
        from portal.demo import register_seeder
        from portal.signals import name_change_lock, personal_data_export
        from recognition import credentials, demo, privacy, selectors, services, tasks

        credentials_issued.connect(credentials.mark_credentials_issued, dispatch_uid="recognition")
        credentials_issued.connect(
            tasks.queue_preapprovals_fulfilled, dispatch_uid="recognition-preapprovals"
        )
        credential_revoked.connect(services.flag_decisions_built_on, dispatch_uid="recognition")
        name_change_lock.connect(selectors.name_is_identity_data, dispatch_uid="recognition")
        personal_data_export.connect(privacy.export_recognition, dispatch_uid="recognition")
        register_seeder(self.label, demo.seed)

        from portal import epochs
        from recognition import models

        # What programme pages say each programme counts for (portal.page_cache).
        for model in (
            models.RecognitionPolicy,
            models.RecognitionTarget,
            models.RecognitionAgreement,
            models.BlanketRule,
            models.BlanketRuleSignature,
            models.Decision,
        ):
            epochs.bump_on_change(model, [epochs.RECOGNITION])
