from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuanceConfig(AppConfig):
    name = "issuance"
    verbose_name = _("Credentials")

    def ready(self) -> None:
        """Issuance reacts to recorded results, and contributes its part of a person's data
        export and account deletion and of the demo data."""
        from catalogue.signals import result_passed, result_withdrawn
        from issuance import demo, privacy, services
        from portal.demo import register_seeder
        from portal.signals import account_deleting, personal_data_export

        result_passed.connect(services.plan_credentials_for_results, dispatch_uid="issuance")
        result_withdrawn.connect(services.withdraw_credentials_for_results, dispatch_uid="issuance")
        # Files go into the archive in this order.
        personal_data_export.connect(privacy.export_account, dispatch_uid="issuance.account")
        personal_data_export.connect(privacy.export_learning, dispatch_uid="issuance.learning")
        personal_data_export.connect(
            privacy.export_credentials, dispatch_uid="issuance.credentials"
        )
        account_deleting.connect(privacy.delete_wallet_data, dispatch_uid="issuance")
        register_seeder(self.label, demo.seed)
