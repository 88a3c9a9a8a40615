"""Exceptions raised by the credential format library.

Every error carries a machine-readable ``code`` (the Data Integrity / Bitstring Status List error
names where the specifications define one) and a message that says what went wrong in plain
language, so callers can show it or map it without parsing text.
"""

from __future__ import annotations


class CredentialFormatError(Exception):
    """Base class for every error raised by ``credential_format``."""

    code = "CREDENTIAL_FORMAT_ERROR"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class UnknownContextError(CredentialFormatError):
    """A JSON-LD context URL outside the shipped allow-list was requested."""

    code = "UNKNOWN_CONTEXT"


class UndefinedTermError(CredentialFormatError):
    """A property does not expand to an IRI and would be silently left out of the signature."""

    code = "UNDEFINED_TERM"


class RelativeReferenceError(CredentialFormatError):
    """An ``id`` or ``type`` is not an absolute IRI and would be dropped from the signature."""

    code = "RELATIVE_REFERENCE"


class InvalidIriError(CredentialFormatError):
    """An identifier holds characters that an IRI cannot contain (spaces, ``<``, ``>``, quotes...),
    which implementations serialise differently."""

    code = "INVALID_IRI"


class InvalidLanguageTagError(CredentialFormatError):
    """A language tag is not a well-formed BCP 47 tag."""

    code = "INVALID_LANGUAGE_TAG"


class UnportableNumberError(CredentialFormatError):
    """A number that JSON implementations read differently (too large an integer, a float that
    JavaScript writes without a decimal point, or not a finite number)."""

    code = "UNPORTABLE_NUMBER"


class JsonLdProcessingError(CredentialFormatError):
    """JSON-LD expansion or conversion to RDF failed."""

    code = "JSONLD_ERROR"


class CanonicalizationLimitError(CredentialFormatError):
    """The document has too many blank nodes to canonicalise safely (dataset poisoning)."""

    code = "CANONICALIZATION_LIMIT"


class DocumentLimitError(CredentialFormatError):
    """The document is larger or deeper than the configured caps."""

    code = "DOCUMENT_TOO_LARGE"


class KeyFormatError(CredentialFormatError):
    """A key, multibase value or DID is malformed."""

    code = "INVALID_KEY"


class DidResolutionError(CredentialFormatError):
    """A DID or its verification method could not be resolved."""

    code = "DID_RESOLUTION_ERROR"


class ProofGenerationError(CredentialFormatError):
    code = "PROOF_GENERATION_ERROR"


class ProofVerificationError(CredentialFormatError):
    code = "PROOF_VERIFICATION_ERROR"


class KeyUnwrapError(CredentialFormatError):
    """A wrapped private key could not be decrypted (wrong KEK, wrong owner, or tampered)."""

    code = "KEY_UNWRAP_ERROR"


class StatusListError(CredentialFormatError):
    """A status list is malformed; ``code`` is one of the Bitstring Status List error names."""

    code = "STATUS_VERIFICATION_ERROR"


class SealError(CredentialFormatError):
    """A JAdES seal could not be created or does not verify."""

    code = "SEAL_ERROR"


class KeyProofError(CredentialFormatError):
    """A wallet's proof of possession (an OpenID4VCI ``jwt`` key proof) is not acceptable;
    ``code`` is ``invalid_proof`` or ``invalid_nonce`` (the OpenID4VCI error codes)."""

    code = "invalid_proof"
