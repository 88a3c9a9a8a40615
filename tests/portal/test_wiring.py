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
from issuance.signals import credentials_issued
from portal import privacy as portal_privacy
from portal.demo import seeders
from portal.models import User
from portal.signals import account_deleting, name_change_lock, personal_data_export
from recognition import credentials as recognition_credentials
from recognition import demo as recognition_demo
from recognition import privacy as recognition_privacy
from recognition import selectors as recognition_selectors
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
        recognition_credentials.mark_credentials_issued
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
