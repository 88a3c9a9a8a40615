"""API of verification.

`POST /api/v1/credentials/verify` and `POST /api/v1/presentations/verify` are public (no
sign-in), rate-limited per client by the `credential-verify` throttle scope, and take the
VC-API body shape.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from credential_format import ob2
from credential_format.errors import CredentialFormatError
from credential_format.verification import check_document_limits
from issuance import usage
from issuance.models import UsageEvent
from portal.throttling import ClientScopedRateThrottle
from verification.documents import DocumentTooLargeError, check_upload_size
from verification.sources import document_from_upload, document_from_url, signed_assertion_in
from verification.verify import (
    is_presentation,
    verify_credential_document,
    verify_open_badges_2_assertion,
    verify_presentation_document,
)


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


def check_declared_size(request: Request) -> None:
    """Refuse an oversized body before reading it (a clear 413, not a parser error)."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    check_upload_size(int(declared) if declared.isdigit() else 0)


def within_limits(document: dict[str, Any]) -> None:
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
        check_declared_size(request)
        data = VerifyCredentialInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = data.validated_data["verifiableCredential"]
        within_limits(document)
        if ob2.is_hosted_assertion(document):
            return Response(verify_open_badges_2_assertion(hosted=document).to_dict())
        result = verify_credential_document(document)
        if result.issued_here:
            usage.record_usage_of_document(result.report.credential_id, UsageEvent.VERIFIED)
        return Response(result.to_dict())


class VerifyPresentationView(PublicVerifyView):
    """Verify a presentation (a bundle of credentials) and each credential in it. Public."""

    @extend_schema(
        request=VerifyPresentationInputSerializer,
        responses={200: PresentationReportSerializer},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        check_declared_size(request)
        data = VerifyPresentationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = data.validated_data["verifiablePresentation"]
        within_limits(document)
        return Response(verify_presentation_document(document).to_dict())


class VerifySourceInputSerializer(serializers.Serializer):
    url = serializers.CharField(
        required=False, max_length=2_000, help_text="a link to the credential (share link, ...)"
    )
    file = serializers.FileField(
        required=False,
        help_text="the credential's JSON, a baked badge (PNG, SVG) or a picture of its QR code",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("url")) == bool(attrs.get("file")):
            raise serializers.ValidationError("Send either url or file.")
        return attrs


class VerifySourceView(PublicVerifyView):
    """Verify a credential given by its link, as a baked badge image or as a picture of its
    QR code. The answer is the credential's report, or a presentation's report when the link
    shows several credentials. Public."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        request={
            "application/json": VerifySourceInputSerializer,
            "multipart/form-data": VerifySourceInputSerializer,
        },
        responses={200: VerificationReportSerializer},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        check_declared_size(request)
        data = VerifySourceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data.get("url"):
            document = document_from_url(data.validated_data["url"])
        else:
            upload = data.validated_data["file"]
            check_upload_size(upload.size)
            content = upload.read()
            signed = signed_assertion_in(content)
            if signed:
                return Response(verify_open_badges_2_assertion(signed=signed).to_dict())
            document = document_from_upload(content)
        within_limits(document)
        if is_presentation(document):
            return Response(verify_presentation_document(document).to_dict())
        if ob2.is_hosted_assertion(document):
            return Response(verify_open_badges_2_assertion(hosted=document).to_dict())
        return Response(verify_credential_document(document).to_dict())
