"""Cross-app wiring: who reacts to what is connected in each app's `AppConfig.ready()`."""

from __future__ import annotations

from alliances import demo as alliances_demo
from catalogue import demo as catalogue_demo
from catalogue import privacy as catalogue_privacy
from catalogue.models import AssessmentResult
from catalogue.signals import result_passed, result_withdrawn
from issuance import demo as issuance_demo
from issuance import services as issuance_services
from issuance.models import Credential
from issuance.signals import credential_revoked, credentials_issued
from portal import privacy as portal_privacy
from portal.demo import seeders
from portal.models import User
from portal.signals import account_deleting, name_change_lock, personal_data_export
from recognition import credentials as recognition_credentials
from recognition import demo as recognition_demo
from recognition import privacy as recognition_privacy
from recognition import selectors as recognition_selectors
from recognition import services as recognition_services
from recognition import tasks as recognition_tasks
from wallet import page_epochs as wallet_page_epochs
from wallet import privacy as wallet_privacy


def _receivers(signal, sender):
    sync_receivers, _async_receivers = signal._live_receivers(sender)
    return sync_receivers


def test_demo_seeders_run_lowest_layer_first():
    assert seeders() == [
        alliances_demo.seed,
        catalogue_demo.seed,
        issuance_demo.seed,
        recognition_demo.seed,
    ]


def test_a_recorded_pass_reaches_issuance_and_an_issued_credential_reaches_recognition():
    assert _receivers(result_passed, AssessmentResult) == [
        issuance_services.plan_credentials_for_results
    ]
    assert _receivers(result_withdrawn, AssessmentResult) == [
        issuance_services.withdraw_credentials_for_results
    ]
    assert _receivers(credentials_issued, Credential) == [
        wallet_page_epochs.credentials_issued,
        recognition_credentials.mark_credentials_issued,
        recognition_tasks.queue_preapprovals_fulfilled,
    ]


def test_a_revoked_credential_reaches_the_recognitions_built_on_it():
    assert _receivers(credential_revoked, Credential) == [
        recognition_services.flag_decisions_built_on
    ]


def test_personal_data_receivers_in_archive_order():
    assert _receivers(personal_data_export, User) == [
        portal_privacy.export_account,
        catalogue_privacy.export_learning,
        wallet_privacy.export_credentials,
        recognition_privacy.export_recognition,
    ]
    assert _receivers(account_deleting, User) == [wallet_privacy.delete_wallet_data]
    assert _receivers(name_change_lock, User) == [recognition_selectors.name_is_identity_data]


def test_a_share_link_given_to_the_verify_page_is_answered_by_the_wallet():
    from verification.signals import local_document_requested
    from wallet import sharing

    assert _receivers(local_document_requested, None) == [sharing.document_behind_share_path]
