from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WalletConfig(AppConfig):
    name = "wallet"
    verbose_name = _("Wallet")

    def ready(self) -> None:
        """The wallet's part of a person's data export and of account deletion."""
        from portal.signals import account_deleting, personal_data_export
        from wallet import privacy

        personal_data_export.connect(privacy.export_credentials, dispatch_uid="wallet.credentials")
        account_deleting.connect(privacy.delete_wallet_data, dispatch_uid="wallet")
