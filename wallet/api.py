"""API of the wallet and of verification.

`POST /api/v1/credentials/verify` and `POST /api/v1/presentations/verify` are public (no
sign-in), rate-limited per client by the `credential-verify` throttle scope, and take the
VC-API body shape. The wallet endpoints are the signed-in learner's own data.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from issuance import sharing, wallet
from issuance.imports import DocumentTooLargeError, check_upload_size
from issuance.vc.errors import CredentialFormatError
from issuance.vc.verification import check_document_limits
from issuance.verify import verify_credential_document, verify_presentation_document
from portal.auth import signed_in_user
from portal.errors import DomainError
from portal.throttling import ClientScopedRateThrottle


class VerifyCredentialInputSerializer(serializers.Serializer):
    verifiableCredential = serializers.DictField()
    options = serializers.DictField(required=False)


class VerifyPresentationInputSerializer(serializers.Serializer):
    verifiablePresentation = serializers.DictField()
    options = serializers.DictField(required=False)


class CheckSerializer(serializers.Serializer):
    id = serializers.CharField()
    outcome = serializers.CharField(help_text="passed, failed, warning or not-applicable")
    reason = serializers.CharField()
    code = serializers.CharField(required=False)
    details = serializers.DictField(required=False)


class VerificationReportSerializer(serializers.Serializer):
    verified = serializers.BooleanField()
    verdict = serializers.CharField(
        help_text="valid, valid-with-warnings, revoked, suspended, "
        "expired, not-yet-valid, unconfirmed or invalid"
    )
    credentialId = serializers.CharField(allow_null=True)
    issuer = serializers.DictField()
    signers = serializers.ListField(child=serializers.DictField())
    verifiedMethods = serializers.ListField(child=serializers.CharField())
    errors = CheckSerializer(many=True)  # type: ignore[assignment]
    warnings = CheckSerializer(many=True)
    checks = CheckSerializer(many=True)
    credential = serializers.DictField()


class PresentationReportSerializer(serializers.Serializer):
    verified = serializers.BooleanField()
    errors = CheckSerializer(many=True)  # type: ignore[assignment]
    warnings = CheckSerializer(many=True)
    checks = CheckSerializer(many=True)
    credentials = VerificationReportSerializer(many=True)


def _check_declared_size(request: Request) -> None:
    """Refuse an oversized body before reading it (a clear 413, not a parser error)."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    check_upload_size(int(declared) if declared.isdigit() else 0)


def _within_limits(document: dict[str, Any]) -> None:
    try:
        check_document_limits(document, max_bytes=settings.CREDENTIAL_UPLOAD_MAX_BYTES)
    except CredentialFormatError as error:
        raise DocumentTooLargeError(str(error)) from error


class PublicVerifyView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [ClientScopedRateThrottle]
    throttle_scope = "credential-verify"


class VerifyCredentialView(PublicVerifyView):
    """Verify a credential: proofs (and which registered institution's key made them), issuer
    trust, status, validity dates; the EU elements and skills it states. Public."""

    @extend_schema(
        request=VerifyCredentialInputSerializer,
        responses={200: VerificationReportSerializer},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        _check_declared_size(request)
        data = VerifyCredentialInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = data.validated_data["verifiableCredential"]
        _within_limits(document)
        return Response(verify_credential_document(document).to_dict())


class VerifyPresentationView(PublicVerifyView):
    """Verify a presentation (a bundle of credentials) and each credential in it. Public."""

    @extend_schema(
        request=VerifyPresentationInputSerializer,
        responses={200: PresentationReportSerializer},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        _check_declared_size(request)
        data = VerifyPresentationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = data.validated_data["verifiablePresentation"]
        _within_limits(document)
        return Response(verify_presentation_document(document).to_dict())


# -- the learner's wallet ---------------------------------------------------------------------


class HeldCredentialSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    origin = serializers.ChoiceField(choices=["issued", "imported"])
    title = serializers.CharField()
    issuer = serializers.CharField(source="issuer_id")
    issuerName = serializers.CharField(source="issuer_name")
    issuedAt = serializers.DateTimeField(source="issued_at", allow_null=True)
    status = serializers.CharField(help_text="valid, suspended, revoked, expired; external")
    document = serializers.DictField()


class WalletCredentialsView(APIView):
    """Every credential you hold: issued here and imported, with its signed document."""

    @extend_schema(responses=HeldCredentialSerializer(many=True))
    def get(self, request: Request) -> Response:
        held = wallet.held_credentials(signed_in_user(request))
        return Response(HeldCredentialSerializer(held, many=True).data)


class ShareLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    url = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    createdAt = serializers.DateTimeField(source="created_at")
    expiresAt = serializers.DateTimeField(source="expires_at", allow_null=True)
    revokedAt = serializers.DateTimeField(source="revoked_at", allow_null=True)
    viewCount = serializers.IntegerField(source="view_count")
    credentials = serializers.SerializerMethodField()

    def get_url(self, link: Any) -> str:
        return sharing.share_url(link)

    def get_state(self, link: Any) -> str:
        return str(link.state())

    def get_credentials(self, link: Any) -> list[str]:
        return [str(c.uuid) for c in link.credentials.all()] + [
            str(i.uuid) for i in link.imported_credentials.all()
        ]


class ShareLinkInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    credentials = serializers.ListField(child=serializers.UUIDField(), allow_empty=False)
    expiresAt = serializers.DateTimeField(required=False, allow_null=True)


class ShareLinksView(APIView):
    """Your share links (GET) and a new one for some of your credentials (POST)."""

    @extend_schema(responses=ShareLinkSerializer(many=True))
    def get(self, request: Request) -> Response:
        links = sharing.learner_share_links(learner=signed_in_user(request))
        return Response(ShareLinkSerializer(links, many=True).data)

    @extend_schema(request=ShareLinkInputSerializer, responses={201: ShareLinkSerializer})
    def post(self, request: Request) -> Response:
        learner = signed_in_user(request)
        data = ShareLinkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        held = {item.uuid: item for item in wallet.held_credentials(learner)}
        chosen = [held.get(uuid) for uuid in data.validated_data["credentials"]]
        if any(item is None for item in chosen):
            raise DomainError(_("No such credential in your wallet."), field="credentials")
        link = sharing.create_share_link(
            learner=learner,
            name=data.validated_data["name"],
            credentials=[i.credential for i in chosen if i and i.credential],
            imported=[i.imported for i in chosen if i and i.imported],
            expires_at=data.validated_data.get("expiresAt"),
        )
        return Response(ShareLinkSerializer(link).data, status=status.HTTP_201_CREATED)


class ShareLinkRevokeView(APIView):
    """Revoke one of your share links at once."""

    @extend_schema(request=None, responses=ShareLinkSerializer)
    def post(self, request: Request, pk: int) -> Response:
        learner = signed_in_user(request)
        link = sharing.get_learner_share_link(learner=learner, pk=pk)
        link = sharing.revoke_share_link(learner=learner, link=link)
        return Response(ShareLinkSerializer(link).data)
