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

        from issuance.signals import credentials_issued
        from portal import epochs
        from portal.models import User
        from wallet import models, page_epochs

        for model in (models.ShareLink, models.ImportedCredential, models.WalletOffer):
            epochs.bump_on_change(model, lambda item: [epochs.holder(item.learner_id)])
        # The name in the page header.
        epochs.bump_on_change(User, lambda user: [epochs.holder(user.pk)])
        credentials_issued.connect(page_epochs.credentials_issued, dispatch_uid="wallet.epochs")
        local_document_requested.connect(
            sharing.document_behind_share_path, dispatch_uid="wallet.share_links"
        )
