from django.urls import path

from wallet import api

urlpatterns = [
    path("wallet/credentials/", api.WalletCredentialsView.as_view(), name="wallet-credentials"),
    path("wallet/share-links/", api.ShareLinksView.as_view(), name="wallet-share-links"),
    path(
        "wallet/share-links/<int:pk>/revoke/",
        api.ShareLinkRevokeView.as_view(),
        name="wallet-share-link-revoke",
    ),
]
