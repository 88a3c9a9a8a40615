from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WalletConfig(AppConfig):
    name = "wallet"
    verbose_name = _("Wallet")

    def ready(self) -> None:
        """The wallet's part of a person's data export and of account deletion, and what its
        share links show when someone verifies them by their link."""
        from portal.signals import account_deleting, personal_data_export
        from verification.signals import local_document_requested
        from wallet import privacy, sharing

        personal_data_export.connect(privacy.export_credentials, dispatch_uid="wallet.credentials")
        account_deleting.connect(privacy.delete_wallet_data, dispatch_uid="wallet")
        local_document_requested.connect(
            sharing.document_behind_share_path, dispatch_uid="wallet.share_links"
        )
