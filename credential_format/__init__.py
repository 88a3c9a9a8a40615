"""The credential format library: W3C Verifiable Credentials 2.0 / Open Badges 3.0 credentials,
Data Integrity proofs, DIDs, status lists, ELM export and JAdES seals, in pure Python.

Nothing here imports Django or touches the network: JSON-LD contexts ship with the package, and
fetching (did:web documents, status lists) goes through a caller-supplied fetcher. The Django apps
convert their models into the dataclasses of :mod:`credential_format.builders` and call:

``credential_format.jsonld``
    ``document_loader`` (offline pyld loader for the shipped contexts),
    ``canonicalize(document) -> str`` (RDFC-1.0 N-Quads, shape-cached),
    ``canonicalize_with_pyld`` (the uncached reference path), ``OfflineDocumentLoader``.
``credential_format.keys``
    ``generate_private_key``, ``private_key_from_seed``, ``public_key_multibase``,
    ``public_key_from_multibase``, ``did_key_for``, ``did_key_verification_method``,
    ``resolve_did_key``, ``PublishedKey``, ``build_did_web_document(did, active, retired)``,
    ``did_web_document_url(did)``, ``find_assertion_method(did_document, method_id)``,
    ``find_verification_method``, ``public_key_from_verification_method``;
    raw-key helpers carry loud names: ``dangerously_export_private_seed``,
    ``dangerously_encode_private_key_multibase``.
``credential_format.keywrap``
    ``wrap_private_key(key, kek=, owner=, key_id=)``, ``unwrap_private_key(...)``,
    ``rewrap_private_key(..., old_kek=, new_kek=)``, ``kek_fingerprint(kek)``,
    ``wrapped_key_info(blob)``.
``credential_format.signing``
    ``Signer`` (protocol: ``verification_method``, ``sign(data) -> bytes``), ``Ed25519Signer``,
    ``add_proof(document, signer, *, created=None)`` (adds to the proof set),
    ``sign_credentials(documents, signer, *, created=None)`` (batch),
    ``verify_proof(document, proof, public_key)``, ``proofs_of``.
``credential_format.status_list``
    ``StatusBitstring`` (``set``/``get``/``encode``/``decode``), ``status_entry(...)``,
    ``build_status_list_credential(...)``, ``check_status_entry(entry, list_credential)``.
``credential_format.builders``
    ``MicroCredentialClaims``, ``AwardingBody``, ``Learner``, ``LearningOutcome``, ``Skill``,
    ``Grade``, ``build_micro_credential``; ``PathwayClaims``, ``ConstituentCredential``,
    ``credential_digest_multibase``, ``build_pathway_credential``; ``RecognitionClaims``,
    ``build_recognition_credential``; ``missing_mandatory_elements``.
``credential_format.elm``
    ``build_elm_credential(claims, ElmDetails(...))`` (EDC generic profile).
``credential_format.jades``
    ``seal_json(payload, credentials)``, ``verify_seal(sealed)`` (JAdES B-B, joserfc),
    ``load_pkcs12(data, password)``, ``export_pkcs12``, ``generate_certificate_authority``,
    ``issue_seal_certificate``, ``generate_self_signed_seal``.
``credential_format.verification``
    ``Fetcher`` (protocol: ``fetch_json(url) -> dict``), ``FetchError``, ``CachingFetcher``,
    ``NoNetworkFetcher``, ``verify_credential(document, *, fetcher, now=None)`` and
    ``verify_presentation(...)`` returning a ``VerificationReport`` (``verified``, ``checks``,
    ``errors``, ``warnings``, ``verified_methods``, ``to_dict()``).
``credential_format.reading``
    ``read_credential(document) -> CredentialDocument`` (where the id, types, issuer, subject,
    achievement, results and proofs of a credential document are; never raises), ``as_list``.
``credential_format.errors``
    ``CredentialFormatError`` and its subclasses, each with a machine-readable ``code``.

Command line (no Django settings needed):
``python -m credential_format canonicalize|sign|verify|did-key``.
The formats, mappings and decisions are described in ``docs/credential-format.md``.
"""
