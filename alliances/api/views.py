from __future__ import annotations

from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alliances import permissions, selectors, services
from alliances.api import serializers
from alliances.models import Alliance, Institution, StaffInvitation, StaffRole
from portal.auth import signed_in_user


class PublicReadPermission(drf_permissions.BasePermission):
    """Anyone may read; writing needs a signed-in user (the object predicates decide more)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in drf_permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated)


class AllianceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """University alliances. Read for everyone; operators create, alliance admins edit."""

    lookup_field = "slug"
    permission_classes = [PublicReadPermission]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "founded_year"]
    filterset_fields = ["founded_year"]

    def get_queryset(self) -> Any:
        if self.action == "retrieve":
            return selectors.list_alliances().prefetch_related("memberships")
        return selectors.list_alliances()

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return serializers.AllianceDetailOutputSerializer
        return serializers.AllianceOutputSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        alliance = selectors.get_alliance_with_members(slug=kwargs["slug"])
        alliance.member_count = len(alliance.current_memberships)  # type: ignore[attr-defined]
        return Response(serializers.AllianceDetailOutputSerializer(alliance).data)

    @extend_schema(
        request=serializers.AllianceInputSerializer,
        responses={201: serializers.AllianceOutputSerializer},
    )
    def create(self, request: Request) -> Response:
        data = serializers.AllianceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not permissions.can_create_alliance(request.user):
            raise exceptions.PermissionDenied("Only operators create alliances.")
        alliance = services.create_alliance(actor=signed_in_user(request), **data.validated_data)
        alliance.member_count = 0  # type: ignore[attr-defined]
        return Response(
            serializers.AllianceOutputSerializer(alliance).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=serializers.AllianceUpdateSerializer,
        responses={200: serializers.AllianceOutputSerializer},
    )
    def partial_update(self, request: Request, slug: str) -> Response:
        alliance = permissions.get_object_or_404_for(
            selectors.list_alliances(), request.user, permissions.can_edit_alliance, slug=slug
        )
        data = serializers.AllianceUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        alliance = services.update_alliance(
            actor=signed_in_user(request), alliance=alliance, data=dict(data.validated_data)
        )
        return Response(serializers.AllianceOutputSerializer(alliance).data)


class InstitutionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Member institutions with their public quality-assurance information."""

    lookup_field = "slug"
    permission_classes = [PublicReadPermission]
    serializer_class = serializers.InstitutionOutputSerializer
    search_fields = ["legal_name", "short_name", "city"]
    ordering_fields = ["legal_name", "country"]
    filterset_fields = ["country"]

    def get_queryset(self) -> Any:
        alliance = self.request.query_params.get("alliance", "")[:60]
        return selectors.list_institutions(alliance_slug=alliance)

    @extend_schema(
        request=serializers.InstitutionCreateSerializer,
        responses={201: serializers.InstitutionOutputSerializer},
    )
    def create(self, request: Request) -> Response:
        data = serializers.InstitutionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        alliance: Alliance = values.pop("alliance")
        if not permissions.can_edit_alliance(request.user, alliance):
            raise exceptions.PermissionDenied("Only admins of that alliance register its members.")
        institution = services.create_institution(
            actor=signed_in_user(request), alliance=alliance, **values
        )
        institution = selectors.get_institution(slug=institution.slug)
        return Response(
            serializers.InstitutionOutputSerializer(institution).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=serializers.InstitutionUpdateSerializer,
        responses={200: serializers.InstitutionOutputSerializer},
    )
    def partial_update(self, request: Request, slug: str) -> Response:
        institution = permissions.get_object_or_404_for(
            Institution.objects.all(), request.user, permissions.can_edit_institution, slug=slug
        )
        data = serializers.InstitutionUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.update_institution(
            actor=signed_in_user(request), institution=institution, data=dict(data.validated_data)
        )
        return Response(
            serializers.InstitutionOutputSerializer(selectors.get_institution(slug=slug)).data
        )


class InstitutionStaffViewSet(
    mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Staff roles at one institution; visible to that institution's admins only."""

    serializer_class = serializers.StaffRoleOutputSerializer
    filter_backends: list[Any] = []

    def _institution(self) -> Institution:
        return selectors.get_managed_institution(
            user=self.request.user, slug=self.kwargs["institution_slug"]
        )

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return StaffRole.objects.none()
        return selectors.list_staff(institution=self._institution())

    def perform_destroy(self, instance: StaffRole) -> None:
        services.remove_staff_role(actor=signed_in_user(self.request), staff_role=instance)


class InstitutionInvitationViewSet(
    mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Open staff invitations of one institution; its admins invite and withdraw."""

    serializer_class = serializers.InvitationOutputSerializer
    filter_backends: list[Any] = []

    def _institution(self) -> Institution:
        return selectors.get_managed_institution(
            user=self.request.user, slug=self.kwargs["institution_slug"]
        )

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return StaffInvitation.objects.none()
        return selectors.list_open_invitations(institution=self._institution())

    @extend_schema(
        request=serializers.InvitationInputSerializer,
        responses={201: serializers.InvitationOutputSerializer},
    )
    def create(self, request: Request, institution_slug: str) -> Response:
        institution = self._institution()
        data = serializers.InvitationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.invite_staff(
            actor=signed_in_user(request), institution=institution, **data.validated_data
        )
        return Response(
            serializers.InvitationOutputSerializer(invitation).data,
            status=status.HTTP_201_CREATED,
        )

    def destroy(self, request: Request, institution_slug: str, pk: str) -> Response:
        institution = self._institution()
        invitation = get_object_or_404(StaffInvitation, pk=pk, institution=institution)
        services.revoke_invitation(actor=signed_in_user(request), invitation=invitation)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The signed-in user and the roles they hold."""

    @extend_schema(responses=serializers.MeSerializer)
    def get(self, request: Request) -> Response:
        user = signed_in_user(request)
        roles = selectors.list_roles_for_dashboard(user=user)
        payload = {
            "email": user.email,
            "full_name": user.full_name,
            "institutions": [
                {
                    "institution": entry["institution"].slug,
                    "roles": [role.role for role in entry["roles"]],
                }
                for entry in roles["institutions"]
            ],
            "alliance_admin_of": [alliance.slug for alliance in roles["alliances"]],
            "mfa_enabled": is_mfa_enabled(user),
        }
        return Response(serializers.MeSerializer(payload).data)
