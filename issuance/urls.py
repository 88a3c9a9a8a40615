from django.urls import path, re_path

from issuance import learner_views, public_views, seal_views, views

app_name = "issuance"

urlpatterns = [
    path("institutions/<slug:slug>/did.json", views.did_document, name="did_document"),
    re_path(
        r"^institutions/(?P<slug>[a-z0-9-]+)/status/(?P<number>[0-9]{1,9})/(?P<purpose>revocation|suspension)$",
        views.status_list,
        name="status_list",
    ),
    # the learner's wallet
    path("wallet/", learner_views.wallet_overview, name="wallet"),
    path("wallet/<uuid:uuid>/", learner_views.credential_detail, name="wallet_credential"),
    path(
        "wallet/<uuid:uuid>/credential.json",
        learner_views.credential_download,
        name="credential_download",
    ),
    path("wallet/<uuid:uuid>/edc.json", learner_views.credential_elm, name="credential_elm"),
    path("wallet/<uuid:uuid>/certificate.pdf", learner_views.credential_pdf, name="credential_pdf"),
    path(
        "wallet/<uuid:uuid>/wallet-offer/",
        learner_views.wallet_offer_create,
        name="wallet_offer_create",
    ),
    path("wallet/share-links/", learner_views.share_link_create, name="share_link_create"),
    path(
        "wallet/share-links/<int:pk>/revoke/",
        learner_views.share_link_revoke,
        name="share_link_revoke",
    ),
    path("wallet/import/", learner_views.import_credential, name="wallet_import"),
    path("wallet/imported/<uuid:uuid>/", learner_views.imported_detail, name="wallet_imported"),
    path(
        "wallet/imported/<uuid:uuid>/credential.json",
        learner_views.imported_download,
        name="imported_download",
    ),
    path(
        "wallet/imported/<uuid:uuid>/remove/",
        learner_views.imported_remove,
        name="imported_remove",
    ),
    path("account/my-data/", learner_views.my_data, name="my_data"),
    path("account/my-data/export/", learner_views.my_data_export, name="my_data_export"),
    # public: verification, share links, wallet protocol
    path("verify/", public_views.verify, name="verify"),
    path(
        "verify/credentials/<uuid:uuid>/",
        public_views.verify_stored_credential,
        name="verify_stored_credential",
    ),
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
    path("oid4vci/nonce", public_views.nonce_endpoint, name="oid4vci_nonce"),
    path("oid4vci/credential", public_views.credential_endpoint, name="oid4vci_credential"),
    path(
        "manage/institutions/<slug:slug>/seal/",
        seal_views.institution_seal,
        name="institution_seal",
    ),
    path("manage/credentials/", views.staff_credentials, name="staff_credentials"),
    path("manage/credentials/<uuid:uuid>/", views.staff_credential, name="staff_credential"),
    path("manage/credentials/<uuid:uuid>/revoke/", views.revoke, name="revoke"),
    path("manage/credentials/<uuid:uuid>/suspend/", views.suspend, name="suspend"),
    path("manage/credentials/<uuid:uuid>/unsuspend/", views.unsuspend, name="unsuspend"),
    path("manage/credentials/<uuid:uuid>/retry/", views.retry, name="retry"),
    path("manage/offerings/<int:pk>/issue/", views.offering_issuance, name="offering_issuance"),
    path("manage/issuance-jobs/<int:pk>/", views.job, name="job"),
    path("manage/issuance-jobs/<int:pk>/progress.json", views.job_progress, name="job_progress"),
    path("manage/issuance-jobs/<int:pk>/resume/", views.job_resume, name="job_resume"),
]
