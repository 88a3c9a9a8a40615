from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue import permissions as catalogue_permissions
from catalogue.models import Offering
from issuance import selectors, services
from issuance.api import serializers
from issuance.models import Credential, CredentialState
from portal.auth import signed_in_user


class StaffCredentialListView(ListAPIView):
    """Credentials issued by the institutions where you manage credentials."""

    serializer_class = serializers.CredentialOutputSerializer
    filter_backends: list[Any] = []

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=CredentialState.values),
            OpenApiParameter("q", str, description="learner name or e-mail, or title"),
            OpenApiParameter("offering", int),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Credential.objects.none()
        params = self.request.query_params
        state = params.get("state", "")
        offering = params.get("offering", "")
        return selectors.staff_credentials(
            user=signed_in_user(self.request),
            state=state if state in CredentialState.values else "",
            search=params.get("q", "")[:100],
            offering_id=int(offering) if offering.isdigit() else None,
        )


class StaffCredentialDetailView(RetrieveAPIView):
    serializer_class = serializers.CredentialDetailSerializer
    lookup_field = "uuid"

    def get_object(self) -> Credential:
        return selectors.get_staff_credential(
            user=signed_in_user(self.request), uuid=self.kwargs["uuid"]
        )


class CredentialActionView(APIView):
    action_name = ""

    @extend_schema(
        request=serializers.ReasonInputSerializer, responses=serializers.CredentialOutputSerializer
    )
    def post(self, request: Request, uuid: str) -> Response:
        user = signed_in_user(request)
        credential = selectors.get_staff_credential(user=user, uuid=uuid)
        if self.action_name in ("revoke", "suspend"):
            data = serializers.ReasonInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            action = (
                services.revoke_credential
                if self.action_name == "revoke"
                else services.suspend_credential
            )
            credential = action(
                actor=user, credential=credential, reason=data.validated_data["reason"]
            )
        elif self.action_name == "unsuspend":
            credential = services.unsuspend_credential(actor=user, credential=credential)
        else:
            credential = services.retry_failed_credential(actor=user, credential=credential)
        credential = selectors.get_staff_credential(user=user, uuid=credential.uuid)
        return Response(serializers.CredentialOutputSerializer(credential).data)


class RevokeView(CredentialActionView):
    """Revoke permanently (a reason is required; the learner sees it)."""

    action_name = "revoke"


class SuspendView(CredentialActionView):
    """Suspend until reinstated (a reason is required). Only a credential issued with a
    suspension status entry (`carries_suspension_entry`) can be; any other is a 409 problem."""

    action_name = "suspend"


class UnsuspendView(CredentialActionView):
    """Reinstate a suspended credential."""

    action_name = "unsuspend"

    @extend_schema(request=None, responses=serializers.CredentialOutputSerializer)
    def post(self, request: Request, uuid: str) -> Response:
        return super().post(request, uuid)


class RetryView(CredentialActionView):
    """Queue a failed credential for issuing again."""

    action_name = "retry"

    @extend_schema(request=None, responses=serializers.CredentialOutputSerializer)
    def post(self, request: Request, uuid: str) -> Response:
        return super().post(request, uuid)


def _staff_offering(request: Request, pk: int) -> Offering:
    offering = get_object_or_404(Offering.objects.select_related("version"), pk=pk)
    if not catalogue_permissions.can_record_results(signed_in_user(request), offering):
        raise Http404
    return offering


class OfferingIssuanceView(APIView):
    """Dry run (GET) and start (POST) of issuing every pass of an offering."""

    @extend_schema(responses=serializers.PlanSerializer)
    def get(self, request: Request, pk: int) -> Response:
        plan = services.plan_offering_issuance(
            actor=signed_in_user(request), offering=_staff_offering(request, pk)
        )
        return Response(
            serializers.PlanSerializer(
                {
                    "to_issue": [result.learner.email for result in plan.to_issue],
                    "failed_to_retry": [
                        credential.learner.email for credential in plan.failed_to_retry
                    ],
                    "already_issued_or_in_progress": len(plan.already_open),
                }
            ).data
        )

    @extend_schema(request=None, responses={201: serializers.JobOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        job = services.issue_offering_passes(
            actor=signed_in_user(request), offering=_staff_offering(request, pk)
        )
        return Response(serializers.JobOutputSerializer(job).data, status=status.HTTP_201_CREATED)


class JobDetailView(APIView):
    """An issuance job with its progress and per-learner results."""

    @extend_schema(responses=serializers.JobOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        job = selectors.get_job(user=signed_in_user(request), pk=pk)
        return Response(serializers.JobOutputSerializer(job).data)


class JobResumeView(APIView):
    """Queue again whatever of the job is still waiting."""

    @extend_schema(request=None, responses=serializers.JobOutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        user = signed_in_user(request)
        job = selectors.get_job(user=user, pk=pk)
        services.resume_job(actor=user, job=job)
        return Response(serializers.JobOutputSerializer(job).data)
