from django.urls import path

from wallet import public_views, views

app_name = "wallet"

urlpatterns = [
    # the learner's wallet
    path("wallet/", views.wallet_overview, name="wallet"),
    path("wallet/<uuid:uuid>/", views.credential_detail, name="wallet_credential"),
    path(
        "wallet/<uuid:uuid>/credential.json",
        views.credential_download,
        name="credential_download",
    ),
    path("wallet/<uuid:uuid>/edc.json", views.credential_elm, name="credential_elm"),
    path(
        "wallet/<uuid:uuid>/badge.png",
        views.credential_baked_badge,
        {"image_format": "png"},
        name="credential_baked_png",
    ),
    path(
        "wallet/<uuid:uuid>/badge.svg",
        views.credential_baked_badge,
        {"image_format": "svg"},
        name="credential_baked_svg",
    ),
    path("wallet/<uuid:uuid>/certificate.pdf", views.credential_pdf, name="credential_pdf"),
    path(
        "wallet/<uuid:uuid>/wallet-offer/",
        views.wallet_offer_create,
        name="wallet_offer_create",
    ),
    path("wallet/share-links/", views.share_link_create, name="share_link_create"),
    path(
        "wallet/share-links/<int:pk>/revoke/",
        views.share_link_revoke,
        name="share_link_revoke",
    ),
    path("wallet/profile/", views.public_profile_settings, name="public_profile_settings"),
    path(
        "wallet/profile/unpublish/",
        views.public_profile_unpublish,
        name="public_profile_unpublish",
    ),
    path("wallet/import/", views.import_credential, name="wallet_import"),
    path("wallet/imported/<uuid:uuid>/", views.imported_detail, name="wallet_imported"),
    path(
        "wallet/imported/<uuid:uuid>/credential.json",
        views.imported_download,
        name="imported_download",
    ),
    path(
        "wallet/imported/<uuid:uuid>/remove/",
        views.imported_remove,
        name="imported_remove",
    ),
    # public: shared credentials, published profiles, the wallet protocol (OpenID4VCI)
    path("profiles/<str:slug>/", public_views.public_profile, name="public_profile"),
    path("s/<str:token>/", public_views.shared, name="shared"),
    path(
        "s/<str:token>/presentation.json",
        public_views.shared_presentation,
        name="shared_presentation",
    ),
    path(
        ".well-known/openid-credential-issuer",
        public_views.credential_issuer_metadata,
        name="oid4vci_issuer_metadata",
    ),
    path(
        ".well-known/oauth-authorization-server",
        public_views.authorization_server_metadata,
        name="oid4vci_authorization_server_metadata",
    ),
    path("oid4vci/token", public_views.token_endpoint, name="oid4vci_token"),
    path("lcw/exchanges/<str:secret>", public_views.lcw_exchange, name="lcw_exchange"),
    path(
        "wallet/<uuid:uuid>/learner-credential-wallet/",
        views.lcw_request_create,
        name="lcw_request_create",
    ),
    path("oid4vci/nonce", public_views.nonce_endpoint, name="oid4vci_nonce"),
    path("oid4vci/credential", public_views.credential_endpoint, name="oid4vci_credential"),
]
