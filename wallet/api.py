"""API of the wallet: the signed-in learner's own credentials and share links."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.auth import signed_in_user
from portal.errors import DomainError
from wallet import selectors as wallet
from wallet import sharing

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
