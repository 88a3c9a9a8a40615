"""The VC-API issuer endpoints of one institution:
`POST /vc-api/institutions/<slug>/credentials/issue` and `.../credentials/status`.

Only OAuth2 clients of that institution may call them (client-credentials grant at
`/vc-api/oauth2/token`, or a token printed by `manage.py vc_api_token`), each endpoint with its
own scope. A client of another institution is refused with 403.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AccessToken
from rest_framework import exceptions, serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alliances.models import Institution
from credential_format.errors import CredentialFormatError
from credential_format.verification import check_document_limits
from issuance import vc_api
from issuance.models import VcApiClient
from portal.errors import DomainError
from portal.parsers import BoundedJSONParser
from portal.throttling import ClientScopedRateThrottle


class VcApiClientAuthentication(OAuth2Authentication):
    """A bearer token of a VC-API client. The client acts for an institution, not as a person,
    so the request's user is anonymous and `request.auth` is the access token."""

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        _user, token = result
        return AnonymousUser(), token


class VcApiClientAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = VcApiClientAuthentication
    name = "vcApiOAuth2"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/vc-api/oauth2/token",
                    "scopes": vc_api.SCOPES,
                }
            },
        }


class HasVcApiScope(BasePermission):
    """A valid access token of a VC-API client, granted the view's scope."""

    def has_permission(self, request: Any, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, AccessToken):
            raise exceptions.NotAuthenticated()
        if not token.is_valid([view.required_scope]):
            raise exceptions.PermissionDenied(
                f"This token is not granted the {view.required_scope} scope."
            )
        return True


class VcApiIssuerView(APIView):
    authentication_classes = [VcApiClientAuthentication]
    permission_classes = [HasVcApiScope]
    throttle_classes = [ClientScopedRateThrottle]
    throttle_scope = "vc-api"
    # The VC-API exchanges JSON only.
    parser_classes = [BoundedJSONParser]
    required_scope = ""

    def client_for(self, request: Request, slug: str) -> VcApiClient:
        """The calling client, which must belong to the institution of the URL."""
        institution = get_object_or_404(Institution, slug=slug)
        token = request.auth
        assert isinstance(token, AccessToken)  # HasVcApiScope let only access tokens through
        client = (
            VcApiClient.objects.select_related("institution", "application")
            .filter(application_id=token.application_id)
            .first()
        )
        if client is None or client.institution_id != institution.pk:
            raise exceptions.PermissionDenied("This client may not act for this institution.")
        return client


class IssueOptionsSerializer(serializers.Serializer):
    created = serializers.CharField(
        required=False, help_text="the proof's creation time (XML Schema dateTime); now if absent"
    )


class IssueInputSerializer(serializers.Serializer):
    credential = serializers.DictField()
    options = IssueOptionsSerializer(required=False)


class IssueOutputSerializer(serializers.Serializer):
    verifiableCredential = serializers.DictField()


class IssueCredentialView(VcApiIssuerView):
    """VC-API: sign a credential in the institution's name (eddsa-rdfc-2022). The credential's
    issuer must be the institution's did:web or the did:key of its active key. A VC 2.0
    credential gets one status entry, for revocation, in the institution's status lists.
    Scope `credentials:issue`."""

    required_scope = vc_api.SCOPE_ISSUE

    @extend_schema(
        operation_id="vc_api_issue_credential",
        request=IssueInputSerializer,
        responses={201: IssueOutputSerializer},
        tags=["vc-api"],
    )
    def post(self, request: Request, slug: str) -> Response:
        client = self.client_for(request, slug)
        data = IssueInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            check_document_limits(
                data.validated_data["credential"], max_bytes=settings.CREDENTIAL_UPLOAD_MAX_BYTES
            )
        except CredentialFormatError as error:
            raise DomainError(str(error), code="too_large") from error
        signed = vc_api.issue_credential(
            client=client,
            credential=data.validated_data["credential"],
            options=data.validated_data.get("options") or {},
        )
        return Response({"verifiableCredential": signed}, status=201)


class StatusChangeSerializer(serializers.Serializer):
    type = serializers.CharField(required=False)
    statusPurpose = serializers.ChoiceField(choices=vc_api.STATUS_PURPOSES)
    status = serializers.JSONField(help_text="true to set the status, false to clear it")


class UpdateStatusInputSerializer(serializers.Serializer):
    credentialId = serializers.CharField()
    credentialStatus = StatusChangeSerializer(many=True)


class UpdateStatusOutputSerializer(serializers.Serializer):
    credentialId = serializers.CharField()
    revoked = serializers.BooleanField()
    suspended = serializers.BooleanField()


class UpdateStatusView(VcApiIssuerView):
    """VC-API: revoke, suspend or reinstate a credential the institution issued through the
    VC-API (`statusPurpose` revocation or suspension, `status` true or false; revocation is
    final; suspension only for credentials issued with a suspension entry, 409 otherwise).
    Scope `credentials:status`."""

    required_scope = vc_api.SCOPE_STATUS

    @extend_schema(
        operation_id="vc_api_update_credential_status",
        request=UpdateStatusInputSerializer,
        responses={200: UpdateStatusOutputSerializer},
        tags=["vc-api"],
    )
    def post(self, request: Request, slug: str) -> Response:
        client = self.client_for(request, slug)
        data = UpdateStatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = vc_api.update_status(
            client=client,
            credential_id=data.validated_data["credentialId"],
            changes=data.validated_data["credentialStatus"],
        )
        return Response(
            {
                "credentialId": record.credential_id,
                "revoked": record.revoked_at is not None,
                "suspended": record.suspended_at is not None,
            }
        )
