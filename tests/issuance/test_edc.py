"""The European Digital Credential (ELM) export through the website: built from the signed
badge, conformant to the Commission's EDC shapes, sealed with the institution's seal, refused
after revocation or suspension, and checked by the portal's own verify page."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue.models import AssessmentResult
from credential_format import jades
from issuance import edc, seals
from issuance import services as issuance_services
from issuance.models import SealCertificate
from portal.errors import ConflictError, DomainError
from tests.credential_format.elm_shacl import official_sample, violations
from tests.issuance.factories import as_issued_with_two_status_entries

pytestmark = pytest.mark.django_db

PASSWORD = "seal-password"
LEGAL_IDENTIFIER = "VATES-Q0818002H"


def _ca_issued_pkcs12(organisation: str = "Universitat A") -> tuple[bytes, jades.SealCredentials]:
    authority = jades.generate_certificate_authority(organisation=organisation, country_code="ES")
    credentials = jades.issue_seal_certificate(
        authority,
        organisation=organisation,
        country_code="ES",
        organisation_identifier=LEGAL_IDENTIFIER,
    )
    return jades.export_pkcs12(credentials, PASSWORD.encode()), credentials


@pytest.fixture
def sealing_institution(alice, institution_a):
    pkcs12, _ = _ca_issued_pkcs12()
    seals.upload_seal_certificate(
        actor=alice, institution=institution_a, pkcs12=pkcs12, password=PASSWORD
    )
    return institution_a


def _download(client, credential):
    return client.get(reverse("wallet:credential_elm", kwargs={"uuid": credential.uuid}))


def _verify_page(client, document) -> str:
    response = client.post(reverse("verification:verify"), {"document": json.dumps(document)})
    assert response.status_code == 200
    return response.content.decode()


def test_the_learner_downloads_a_sealed_edc_that_conforms_to_the_edc_generic_profile(
    as_user, dana, dana_credential, sealing_institution
):
    response = _download(as_user(dana), dana_credential)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jose+json"
    sealed = json.loads(response.content)
    document = jades.verify_seal(sealed).payload_json()
    assert document["id"] == dana_credential.credential_id
    assert document["issuer"]["eIDASIdentifier"]["notation"] == LEGAL_IDENTIFIER
    assert document["validFrom"] == dana_credential.document["validFrom"]
    assert violations(document) == []


def test_the_edc_states_the_signed_grade_even_after_a_grade_correction(
    dana_credential, institution_a
):
    institution_a.legal_identifier = LEGAL_IDENTIFIER
    institution_a.save(update_fields=["legal_identifier"])
    signed_grade = dana_credential.document["credentialSubject"]["result"][0]["value"]
    AssessmentResult.objects.filter(pk=dana_credential.result_id).update(grade="3")
    dana_credential.refresh_from_db()
    document = edc.edc_document(dana_credential)
    assessment = document["credentialSubject"]["hasClaim"][0]["provenBy"][0]
    assert assessment["grade"]["noteLiteral"] == {"en": signed_grade}
    assert signed_grade != "3"


@pytest.mark.parametrize("action", ["revoke", "suspend"])
def test_no_edc_after_revocation_or_suspension(
    as_user, alice, dana, dana_credential, sealing_institution, action
):
    as_issued_with_two_status_entries(dana_credential)
    change = getattr(issuance_services, f"{action}_credential")
    change(actor=alice, credential=dana_credential, reason="Assessment fraud under review")
    dana_credential.refresh_from_db()
    response = as_user(dana).get(
        reverse("wallet:credential_elm", kwargs={"uuid": dana_credential.uuid}), follow=True
    )
    assert response.redirect_chain  # back to the credential page, with the reason
    assert "revoked" in response.content.decode() or "suspended" in response.content.decode()
    with pytest.raises(ConflictError) as refused:
        edc.sealed_edc_document(dana_credential)
    assert refused.value.code == {"revoke": "revoked", "suspend": "suspended"}[action]


def test_the_verify_page_accepts_the_portals_own_sealed_edc(
    client, as_user, dana, dana_credential, sealing_institution
):
    sealed = json.loads(_download(as_user(dana), dana_credential).content)
    page = _verify_page(client, sealed)
    assert "This sealed European Digital Credential is valid" in page
    assert "Universitat A" in page
    assert "not valid" not in page


def test_the_verify_page_reports_a_changed_edc_and_a_revoked_one(
    client, as_user, alice, dana, dana_credential, sealing_institution
):
    sealed = json.loads(_download(as_user(dana), dana_credential).content)
    changed = dict(sealed, payload=sealed["payload"].replace('"Passed"', '"Distinction"', 1))
    changed["payload"] = changed["payload"].replace(dana_credential.credential_id, "urn:uuid:x")
    assert "is not valid" in _verify_page(client, changed)
    issuance_services.revoke_credential(actor=alice, credential=dana_credential, reason="Error")
    page = _verify_page(client, sealed)
    assert "is not valid" in page
    assert "revoked" in page


def test_the_verify_page_accepts_the_commissions_sample_sealed_with_a_trusted_certificate(
    client, sealing_institution
):
    seal = seals.active_seal(sealing_institution)
    assert seal is not None
    loaded = seals.load_seal(seal)
    sealed = jades.seal_json(official_sample(), loaded.credentials)
    page = _verify_page(client, sealed)
    assert "This sealed European Digital Credential is valid" in page
    assert "Digital micro-credential creation" in page
    assert "Ana Andromeda" in page


def test_the_verify_page_refuses_a_seal_whose_certificate_the_portal_does_not_know(client):
    _, stranger = _ca_issued_pkcs12("Universitat Fantasma")
    page = _verify_page(client, jades.seal_json(official_sample(), stranger))
    assert "is not valid" in page
    assert "not the seal of an institution registered in this portal" in page


def test_seals_of_a_retired_certificate_still_verify(
    client, alice, as_user, dana, dana_credential, sealing_institution
):
    sealed = json.loads(_download(as_user(dana), dana_credential).content)
    seals.create_demo_seal(actor=alice, institution=sealing_institution)
    assert "This sealed European Digital Credential is valid" in _verify_page(client, sealed)


def test_the_demo_seal_is_issued_by_an_institution_ca_and_says_it_is_not_qualified(
    as_user, alice, institution_a
):
    institution_a.legal_identifier = LEGAL_IDENTIFIER
    institution_a.save(update_fields=["legal_identifier"])
    seal = seals.create_demo_seal(actor=alice, institution=institution_a)
    loaded = seals.load_seal(seal).credentials
    assert not seal.is_self_signed
    assert loaded.certificate.issuer == loaded.chain[0].subject
    assert jades.organisation_identifier(loaded.certificate) == LEGAL_IDENTIFIER
    page = as_user(alice).get(
        reverse("issuance:institution_seal", kwargs={"slug": institution_a.slug})
    )
    assert "not a qualified electronic seal" in page.content.decode()


def test_without_a_legal_identifier_the_export_explains_what_is_missing(dana_credential):
    with pytest.raises(ConflictError, match="eIDAS legal identifier"):
        edc.edc_document(dana_credential)


def test_the_seal_key_is_stored_only_wrapped(alice, institution_a):
    pkcs12, _ = _ca_issued_pkcs12()
    seal = seals.upload_seal_certificate(
        actor=alice, institution=institution_a, pkcs12=pkcs12, password=PASSWORD
    )
    stored = SealCertificate.objects.get(pk=seal.pk)
    assert stored.wrapped_private_key.startswith("akp1.")
    assert "PRIVATE KEY" not in stored.wrapped_private_key
    assert "PRIVATE KEY" not in stored.certificate_pem
    assert stored.chain_pem.startswith("-----BEGIN CERTIFICATE-----")
    assert "akp1" not in repr(stored)


def test_a_wrong_password_is_a_form_error(alice, institution_a):
    pkcs12, _ = _ca_issued_pkcs12()
    with pytest.raises(DomainError, match="password"):
        seals.upload_seal_certificate(
            actor=alice, institution=institution_a, pkcs12=pkcs12, password="wrong"
        )


def test_a_new_seal_replaces_the_old_one(alice, institution_a):
    first = seals.create_demo_seal(actor=alice, institution=institution_a)
    pkcs12, _ = _ca_issued_pkcs12()
    second = seals.upload_seal_certificate(
        actor=alice, institution=institution_a, pkcs12=pkcs12, password=PASSWORD
    )
    first.refresh_from_db()
    assert first.state == "retired"
    assert seals.active_seal(institution_a) == second


def test_a_seal_copied_to_another_institution_does_not_unwrap(alice, institution_a, institution_b):
    seal = seals.create_demo_seal(actor=alice, institution=institution_a)
    SealCertificate.objects.filter(pk=seal.pk).update(institution=institution_b)
    seal.refresh_from_db()
    with pytest.raises(DomainError):
        seals.load_seal(seal)


def test_the_admin_uploads_a_self_signed_seal_and_the_page_says_so(as_user, alice, institution_a):
    pkcs12 = jades.export_pkcs12(
        jades.generate_self_signed_seal(organisation="Universitat A", country_code="ES"),
        PASSWORD.encode(),
    )
    response = as_user(alice).post(
        reverse("issuance:institution_seal", kwargs={"slug": institution_a.slug}),
        {"pkcs12": SimpleUploadedFile("seal.p12", pkcs12), "password": PASSWORD},
        follow=True,
    )
    content = response.content.decode()
    assert "self-signed" in content
    assert "not a qualified electronic seal" in content
    assert seals.active_seal(institution_a) is not None


@pytest.mark.parametrize("outsider", ["charlie", "bob", "dana"])
def test_others_cannot_manage_an_institutions_seal(request, as_user, institution_a, outsider):
    user = request.getfixturevalue(outsider)
    url = reverse("issuance:institution_seal", kwargs={"slug": institution_a.slug})
    assert as_user(user).get(url).status_code == 404
    pkcs12, _ = _ca_issued_pkcs12()
    response = as_user(user).post(
        url, {"pkcs12": SimpleUploadedFile("seal.p12", pkcs12), "password": PASSWORD}
    )
    assert response.status_code == 404
    assert seals.active_seal(institution_a) is None


def test_without_a_seal_the_learner_is_told_what_to_do(as_user, dana, dana_credential):
    response = as_user(dana).get(
        reverse("wallet:credential_elm", kwargs={"uuid": dana_credential.uuid}), follow=True
    )
    assert "has not set up its electronic seal" in response.content.decode()


def test_staff_fill_the_identifiers_on_the_institution_form_and_the_export_uses_them(
    as_user, alice, dana, dana_credential, institution_a
):
    response = as_user(alice).post(
        reverse("alliances:institution_edit", args=[institution_a.slug]),
        {
            "legal_name": "Universitat A",
            "short_name": "UA",
            "country": "ES",
            "city": "Barcelona",
            "main_language": "ca",
            "kind": "university",
            "time_zone": "Europe/Madrid",
            "legal_identifier": LEGAL_IDENTIFIER,
            "pic": "999880887",
            "nuts_region": "ES511",
        },
    )
    assert response.status_code == 302
    institution_a.refresh_from_db()
    assert (institution_a.pic, institution_a.nuts_region) == ("999880887", "ES511")
    document = edc.edc_document(dana_credential)
    assert document["issuer"]["eIDASIdentifier"]["notation"] == LEGAL_IDENTIFIER


def test_identifiers_through_the_api_are_checked_and_refused_to_other_institutions(
    api_as, alice, bob, institution_a
):
    url = f"/api/v1/institutions/{institution_a.slug}/"
    bad = api_as(alice).patch(url, {"pic": "12", "nuts_region": "Catalonia"}, format="json")
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    good = api_as(alice).patch(
        url, {"pic": "999880887", "legal_identifier": LEGAL_IDENTIFIER}, format="json"
    )
    assert good.status_code == 200
    assert good.json()["legal_identifier"] == LEGAL_IDENTIFIER
    refused = api_as(bob).patch(url, {"pic": "111111111"}, format="json")
    assert refused.status_code == 404
    institution_a.refresh_from_db()
    assert institution_a.pic == "999880887"


def test_a_pathway_credential_has_its_own_annex_i_content_and_exports_as_a_conformant_edc(
    as_user, alice, charlie, dana, institution_a, institution_b, sealing_institution
):
    from issuance.models import Credential, CredentialKind
    from tests.issuance.factories import issue_pathway_credential

    stacked = issue_pathway_credential(
        alice,
        institution_a,
        dana,
        first_programme={"partners": [institution_b], "approvers": [charlie]},
    )
    stacked_document = stacked.document
    assert stacked_document is not None
    achievement = stacked_document["credentialSubject"]["achievement"]
    assert [body["name"] for body in achievement["awardingBody"]] == [
        "Universitat A",
        "Universität B",
    ]
    assert achievement["learningOutcome"]
    assert achievement["qualityAssurance"]
    assert achievement["participationForm"]
    assert achievement["assessmentType"]
    micro = Credential.objects.filter(kind=CredentialKind.MICRO).first()
    assert micro is not None
    micro_document = micro.document
    assert micro_document is not None
    stackable = micro_document["credentialSubject"]["achievement"]["stackableTowards"]
    assert stackable == ["https://portal.test/catalogue/pathways/data-path/"]

    response = _download(as_user(dana), stacked)
    assert response.status_code == 200
    document = jades.verify_seal(json.loads(response.content)).payload_json()
    assert violations(document) == []
    claim = document["credentialSubject"]["hasClaim"][0]
    assert len(claim["awardedBy"]["awardingBody"]) == 2
    notes = " ".join(n["noteLiteral"]["en"] for n in claim["specifiedBy"]["additionalNote"])
    assert micro.credential_id in notes
    micro_edc = edc.edc_document(micro, seal_legal_identifier=LEGAL_IDENTIFIER)
    part_of = micro_edc["credentialSubject"]["hasClaim"][0]["specifiedBy"]["isPartOf"]
    assert part_of == [
        {
            "id": "https://portal.test/catalogue/pathways/data-path/",
            "type": "Qualification",
            "title": {"en": "Data pathway"},
        }
    ]


@pytest.mark.parametrize(
    "sealed",
    [
        {"payload": "{}", "signatures": "x"},
        {"payload": "{}", "signatures": [1]},
        {"payload": "{}", "signatures": [{"protected": "!!", "signature": "x"}]},
        {"payload": "{}", "signatures": [{"protected": "e30", "signature": "x"}]},
        {"payload": "not json", "protected": "eyJiNjQiOmZhbHNlfQ", "signature": ""},
        {
            "payload": "{}",
            "signatures": [
                {
                    # {"alg":"ES256","b64":false,"crit":["b64","sigT"],"sigT":"x","x5c":[1]}
                    "protected": "eyJhbGciOiJFUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Iiwic2lnVCJdLCJzaWdUIjoieCIsIng1YyI6WzFdfQ",
                    "signature": "AAAA",
                }
            ],
        },
    ],
)
def test_malformed_sealed_documents_get_a_verdict_not_an_error(client, sealed):
    page = _verify_page(client, sealed)
    assert "is not valid" in page


def test_the_credential_page_offers_the_edc_only_while_the_credential_is_not_revoked(
    as_user, alice, dana, dana_credential
):
    url = reverse("wallet:wallet_credential", kwargs={"uuid": dana_credential.uuid})
    link = reverse("wallet:credential_elm", kwargs={"uuid": dana_credential.uuid})
    assert link in as_user(dana).get(url).content.decode()
    issuance_services.revoke_credential(actor=alice, credential=dana_credential, reason="Error")
    assert link not in as_user(dana).get(url).content.decode()
