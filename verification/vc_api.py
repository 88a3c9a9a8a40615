"""The VC-API verifier endpoints: `POST /vc-api/credentials/verify` and
`POST /vc-api/presentations/verify`.

They verify exactly as the portal's own API does (the same services, the same public access
and per-client rate limit) and differ only where the VC-API specification, and the W3C
conformance suites that test against it, expect something else: a document that does not
verify is answered with HTTP 422 and an RFC 9457 problem body that carries the full,
plain-language verification report, instead of HTTP 200 with `verified: false`. A body that is
not a VC-API request at all is a 400 problem.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api import PROBLEM_CONTENT_TYPE, problem_body
from portal.parsers import BoundedJSONParser
from verification.api import (
    PresentationReportSerializer,
    PublicVerifyView,
    VerificationReportSerializer,
    VerifyCredentialInputSerializer,
    check_declared_size,
    within_limits,
)
from verification.verify import verify_credential_document, verify_presentation_document

NOT_VERIFIED_STATUS = 422


class VerifyPresentationOptionsSerializer(serializers.Serializer):
    challenge = serializers.CharField(required=False)
    domain = serializers.CharField(required=False)


class VcApiVerifyPresentationInputSerializer(serializers.Serializer):
    verifiablePresentation = serializers.DictField()
    options = VerifyPresentationOptionsSerializer(required=False)


class NotVerifiedProblemSerializer(VerificationReportSerializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()


class PresentationNotVerifiedProblemSerializer(PresentationReportSerializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()


def verification_response(report: dict[str, Any], what: str) -> Response:
    """200 with the report when it verified; otherwise a 422 problem holding the report."""
    if report["verified"]:
        return Response(report)
    reasons = "; ".join(error["reason"] for error in report["errors"][:3])
    problem = problem_body(
        NOT_VERIFIED_STATUS,
        f"The {what} did not verify: {reasons}" if reasons else f"The {what} did not verify.",
        code="not_verified",
    )
    # The report's own `errors` (the failed checks) replace the problem's field errors.
    return Response(
        {**problem, **report},
        status=NOT_VERIFIED_STATUS,
        content_type=PROBLEM_CONTENT_TYPE,
    )


class VcApiVerifyView(PublicVerifyView):
    # The VC-API exchanges JSON only.
    parser_classes = [BoundedJSONParser]


class VcApiVerifyCredentialView(VcApiVerifyView):
    """VC-API: verify a credential. 200 when it verifies, 422 with the report when not. Public,
    rate-limited per client."""

    @extend_schema(
        operation_id="vc_api_verify_credential",
        request=VerifyCredentialInputSerializer,
        responses={
            200: VerificationReportSerializer,
            (422, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                NotVerifiedProblemSerializer, description="did not verify"
            ),
        },
        auth=[],
        tags=["vc-api"],
    )
    def post(self, request: Request) -> Response:
        check_declared_size(request)
        data = VerifyCredentialInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = data.validated_data["verifiableCredential"]
        within_limits(document)
        return verification_response(verify_credential_document(document).to_dict(), "credential")


class VcApiVerifyPresentationView(VcApiVerifyView):
    """VC-API: verify a presentation and each credential in it; `options.challenge` and
    `options.domain` must match its proof. 200 when it verifies, 422 with the report when not.
    Public, rate-limited per client."""

    @extend_schema(
        operation_id="vc_api_verify_presentation",
        request=VcApiVerifyPresentationInputSerializer,
        responses={
            200: PresentationReportSerializer,
            (422, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                PresentationNotVerifiedProblemSerializer, description="did not verify"
            ),
        },
        auth=[],
        tags=["vc-api"],
    )
    def post(self, request: Request) -> Response:
        check_declared_size(request)
        data = VcApiVerifyPresentationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = data.validated_data["verifiablePresentation"]
        options = data.validated_data.get("options") or {}
        within_limits(document)
        verification = verify_presentation_document(
            document, challenge=options.get("challenge"), domain=options.get("domain")
        )
        return verification_response(verification.to_dict(), "presentation")
