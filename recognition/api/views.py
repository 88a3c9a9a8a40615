"""The recognition API: every step of the workflow, with the same permissions as the pages.
Reads go through selectors, writes through services; objects the caller may not see answer
404, and rule violations are RFC 9457 problem details."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alliances.models import Alliance, Institution
from catalogue.models import Programme
from portal.auth import signed_in_user
from portal.errors import DomainError
from portal.parsers import BoundedJSONParser
from recognition import permissions as recognition_permissions
from recognition import selectors, services
from recognition.api import serializers
from recognition.models import (
    DECIDABLE_STATUSES,
    Decision,
    RecognitionAgreement,
    RecognitionRequest,
    RecognitionTarget,
)


class ReadAnyone(AllowAny):
    """Public reads; writes need a signed-in user (checked by the view)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return bool(request.user and request.user.is_authenticated)


def _detail(request_id: int) -> dict[str, Any]:
    case = (
        RecognitionRequest.objects.select_related("institution", "learner", "assigned_to")
        .prefetch_related(
            "credentials__issuer_institution",
            "decisions__decided_by",
            "messages__author",
            "attachments",
        )
        .get(pk=request_id)
    )
    return serializers.RequestDetailSerializer(case).data


def _viewer_detail(user: Any, request_id: int) -> dict[str, Any]:
    data = _detail(request_id)
    case = RecognitionRequest.objects.get(pk=request_id)
    if not recognition_permissions.can_assess_recognition_request(user, case):
        # The learner sees the decision and its reasons, not the officers' working notes; the
        # automatic recommendation only once there is a decision (no tuning a forgery to it).
        data["checks"] = {}
        if not serializers.has_decision(case):
            data["recommendation"] = None
    return data


def _decision_arguments(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "outcome": values["outcome"],
        "credits_granted": values.get("credits_granted"),
        "counts_towards": values.get("counts_towards", ""),
        "component_replaced": values.get("component_replaced", ""),
        "differences": [
            services.DifferenceInput(item["element"], item["reason"])
            for item in values.get("substantial_differences", [])
        ],
        "compensatory_measures": values.get("compensatory_measures", ""),
        "reasons": values.get("reasons", ""),
    }


# --- public: policies, statistics, targets ----------------------------------------------


class PolicyView(APIView):
    """An institution's published recognition procedure; admins publish or change it."""

    permission_classes = [ReadAnyone]

    @extend_schema(responses=serializers.PolicySerializer)
    def get(self, request: Request, slug: str) -> Response:
        institution = get_object_or_404(Institution, slug=slug)
        policy = selectors.policy_of(institution)
        if policy is None:
            raise Http404
        return Response(serializers.PolicySerializer(policy).data)

    @extend_schema(
        request=serializers.PolicyInputSerializer, responses=serializers.PolicySerializer
    )
    def put(self, request: Request, slug: str) -> Response:
        institution = get_object_or_404(Institution, slug=slug)
        data = serializers.PolicyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        policy = services.save_policy(
            actor=signed_in_user(request), institution=institution, **data.validated_data
        )
        return Response(serializers.PolicySerializer(policy).data)


class StatisticsView(APIView):
    """Public figures of an institution's recognition decisions."""

    permission_classes = [AllowAny]

    @extend_schema(responses=serializers.StatisticsSerializer)
    def get(self, request: Request, slug: str) -> Response:
        institution = get_object_or_404(Institution, slug=slug)
        stats = selectors.institution_statistics(institution=institution)
        return Response(serializers.StatisticsSerializer(stats).data)


class TargetListView(APIView):
    """Published targets (`?institution=slug`); officers add one with POST."""

    permission_classes = [ReadAnyone]

    @extend_schema(
        parameters=[OpenApiParameter("institution", str, required=True)],
        responses=serializers.TargetSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        institution = get_object_or_404(
            Institution, slug=request.query_params.get("institution", "")
        )
        targets = selectors.list_public_targets(institution=institution).select_related(
            "institution"
        )
        return Response(serializers.TargetSerializer(targets, many=True).data)

    @extend_schema(
        request=serializers.TargetCreateSerializer,
        responses={201: serializers.TargetSerializer},
    )
    def post(self, request: Request) -> Response:
        data = serializers.TargetCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        institution = get_object_or_404(Institution, slug=values.pop("institution"))
        target = services.create_target(
            actor=signed_in_user(request), institution=institution, data=values
        )
        return Response(serializers.TargetSerializer(target).data, status=status.HTTP_201_CREATED)


class TargetDetailView(APIView):
    permission_classes = [ReadAnyone]

    @extend_schema(responses=serializers.TargetSerializer)
    def get(self, request: Request, pk: int) -> Response:
        target = get_object_or_404(RecognitionTarget.objects.select_related("institution"), pk=pk)
        if not target.is_active and not recognition_permissions.can_manage_recognition_targets(
            request.user, target.institution_id
        ):
            raise Http404
        return Response(serializers.TargetSerializer(target).data)

    @extend_schema(
        request=serializers.TargetInputSerializer, responses=serializers.TargetSerializer
    )
    def patch(self, request: Request, pk: int) -> Response:
        target = selectors.get_target_for_staff(user=request.user, pk=pk)
        data = serializers.TargetInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        target = services.update_target(
            actor=signed_in_user(request), target=target, data=dict(data.validated_data)
        )
        return Response(serializers.TargetSerializer(target).data)


class TargetUploadView(APIView):
    """Check a targets CSV: every row comes back with its errors; nothing is saved until
    the upload is confirmed."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=serializers.TargetUploadInputSerializer,
        responses={201: serializers.TargetUploadPreviewSerializer},
    )
    def post(self, request: Request) -> Response:
        data = serializers.TargetUploadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        institution = get_object_or_404(Institution, slug=data.validated_data["institution"])
        upload = data.validated_data["file"]
        preview = services.preview_targets_upload(
            actor=signed_in_user(request),
            institution=institution,
            filename=upload.name,
            size=upload.size,
            data=upload.read(settings.RECOGNITION_TARGETS_UPLOAD_MAX_BYTES + 1),
        )
        return Response(
            serializers.TargetUploadPreviewSerializer(preview).data, status=status.HTTP_201_CREATED
        )


class TargetUploadConfirmView(APIView):
    @extend_schema(request=None, responses=serializers.TargetUploadPreviewSerializer)
    def post(self, request: Request, pk: int) -> Response:
        upload = selectors.get_target_upload(user=request.user, pk=pk)
        preview = services.confirm_targets_upload(actor=signed_in_user(request), upload=upload)
        return Response(serializers.TargetUploadPreviewSerializer(preview).data)


# --- requests ----------------------------------------------------------------------------


class AvailableCredentialsView(APIView):
    """Credentials in the signed-in learner's wallet that can be added to a request."""

    @extend_schema(responses=serializers.AvailableCredentialSerializer(many=True))
    def get(self, request: Request) -> Response:
        available = selectors.credentials_available_to(learner=signed_in_user(request))
        return Response(serializers.AvailableCredentialSerializer(available, many=True).data)


class RequestListView(ListAPIView):
    """`?view=mine` (default): the signed-in learner's requests. `?view=queue`: the officer's
    queue (filter with `status`: open, overdue, appeals, unreviewed or a status; `order`:
    deadline, -deadline, received, -received). POST submits a request."""

    serializer_class = serializers.RequestSummarySerializer
    filter_backends: list[Any] = []
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        parameters=[
            OpenApiParameter("view", str, enum=["mine", "queue"]),
            OpenApiParameter("status", str),
            OpenApiParameter("order", str, enum=list(selectors.QUEUE_ORDERS)),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["learner_view"] = self.request.query_params.get("view") != "queue"
        return context

    def get_queryset(self) -> Any:
        params = self.request.query_params
        if params.get("view") == "queue":
            return selectors.officer_queue(
                user=self.request.user,
                now=timezone.now(),
                status=params.get("status", "open"),
                order=params.get("order", "deadline"),
            )
        return selectors.list_learner_requests(learner=self.request.user)

    @extend_schema(
        request=serializers.RequestInputSerializer,
        responses={201: serializers.RequestDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        data = serializers.RequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        learner = signed_in_user(request)
        institution = get_object_or_404(Institution, slug=values["institution"])
        target = None
        if values.get("target") is not None:
            target = (
                selectors.list_public_targets(institution=institution)
                .filter(pk=values["target"])
                .first()
            )
            if target is None:
                raise DomainError(
                    _("This course does not take recognition requests."), field="target"
                )
        wallet = {c.source_id: c for c in selectors.credentials_available_to(learner=learner)}
        credentials = []
        for source_id in values.get("wallet_credentials", []):
            if source_id not in wallet:
                raise Http404
            chosen = wallet[source_id]
            credentials.append(
                services.CredentialInput(
                    document=chosen.document,
                    source=chosen.source,
                    source_id=chosen.source_id,
                    programme_version_id=chosen.programme_version_id,
                )
            )
        for document in values.get("credentials", []):
            if not isinstance(document, dict):
                raise DomainError(
                    _("Each credential must be a JSON object."),
                    code="invalid_json",
                    field="credentials",
                )
            services.check_document_size(document)
            credentials.append(services.CredentialInput(document=document))
        created = services.submit_request(
            learner=learner,
            institution=institution,
            kind=values["kind"],
            target=target,
            motivation=values.get("motivation", ""),
            credentials=credentials,
        )
        return Response(_viewer_detail(learner, created.pk), status=status.HTTP_201_CREATED)


class RequestDetailView(APIView):
    @extend_schema(responses=serializers.RequestDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        case = selectors.get_request_for_viewer(user=request.user, pk=pk)
        return Response(_viewer_detail(request.user, case.pk))


def _officer_case(request: Request, pk: int) -> RecognitionRequest:
    return selectors.get_request_for_officer(user=request.user, pk=pk)


def _learner_case(request: Request, pk: int) -> RecognitionRequest:
    return selectors.get_request_of_learner(learner=request.user, pk=pk)


class TakeView(APIView):
    """Take the case (a lease of two hours) so that no other officer assesses it meanwhile."""

    @extend_schema(request=None, responses=serializers.RequestDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        case = services.take_case(officer=signed_in_user(request), case=_officer_case(request, pk))
        return Response(_viewer_detail(request.user, case.pk))


class ReleaseView(APIView):
    @extend_schema(request=None, responses=serializers.RequestDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        case = services.release_case(
            officer=signed_in_user(request), case=_officer_case(request, pk)
        )
        return Response(_viewer_detail(request.user, case.pk))


class RerunChecksView(APIView):
    @extend_schema(request=None, responses=serializers.RequestDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        case = services.rerun_checks(
            officer=signed_in_user(request), case=_officer_case(request, pk)
        )
        return Response(_viewer_detail(request.user, case.pk))


class MessagesView(APIView):
    """The case's thread. POST by an officer asks the learner (the clock pauses); POST by
    the learner answers (the clock resumes)."""

    @extend_schema(responses=serializers.MessageSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        case = selectors.get_request_for_viewer(user=request.user, pk=pk)
        return Response(
            serializers.MessageSerializer(case.messages.select_related("author"), many=True).data
        )

    @extend_schema(
        request=serializers.MessageInputSerializer,
        responses={201: serializers.MessageSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        case = selectors.get_request_for_viewer(user=request.user, pk=pk)
        data = serializers.MessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = signed_in_user(request)
        body = data.validated_data["body"]
        if recognition_permissions.can_act_as_recognition_learner(user, case):
            message = services.answer_information(learner=user, case=case, answer=body)
        else:
            message = services.request_information(officer=user, case=case, question=body)
        return Response(serializers.MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class HolderChallengeView(APIView):
    """The learner asks for a one-time challenge (30 minutes) to sign in a presentation that
    proves control of a credential's subject DID."""

    @extend_schema(request=None, responses={201: serializers.HolderChallengeSerializer})
    def post(self, request: Request, pk: int) -> Response:
        challenge = services.issue_holder_challenge(
            learner=signed_in_user(request), case=_learner_case(request, pk)
        )
        return Response(
            serializers.HolderChallengeSerializer(challenge).data, status=status.HTTP_201_CREATED
        )


class HolderProofView(APIView):
    """The learner sends the signed presentation; the credentials whose subject signed it
    count as theirs and the checks run again."""

    parser_classes = [BoundedJSONParser]

    @extend_schema(
        request=serializers.HolderProofInputSerializer,
        responses=serializers.RequestDetailSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        case = _learner_case(request, pk)
        data = serializers.HolderProofInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.prove_holder(
            learner=signed_in_user(request),
            case=case,
            presentation=data.validated_data["presentation"],
        )
        return Response(_viewer_detail(request.user, case.pk))


class IdentityCheckView(APIView):
    """An officer records that they checked the learner's identity for one credential."""

    @extend_schema(
        request=serializers.IdentityCheckInputSerializer,
        responses=serializers.RequestDetailSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        case = _officer_case(request, pk)
        data = serializers.IdentityCheckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.record_identity_check(
            officer=signed_in_user(request),
            case=case,
            position=data.validated_data["position"],
            note=data.validated_data["note"],
        )
        return Response(_viewer_detail(request.user, case.pk))


class AttachmentsView(APIView):
    """The learner adds documents (PDF, PNG, JPEG) to an open request."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=serializers.AttachmentInputSerializer,
        responses={201: serializers.AttachmentSerializer(many=True)},
    )
    def post(self, request: Request, pk: int) -> Response:
        case = _learner_case(request, pk)
        files = request.FILES.getlist("files")
        limit = settings.RECOGNITION_ATTACHMENT_MAX_BYTES
        added = services.add_attachments(
            learner=signed_in_user(request),
            case=case,
            attachments=[
                services.AttachmentInput(
                    name=upload.name or "", data=upload.read(limit + 1), size=upload.size
                )
                for upload in files
            ],
        )
        return Response(
            serializers.AttachmentSerializer(added, many=True).data, status=status.HTTP_201_CREATED
        )


class DecisionView(APIView):
    """Decide the case. Partial recognition and refusal need substantial differences with
    reasons; the learner is informed and may appeal."""

    @extend_schema(
        request=serializers.DecisionInputSerializer,
        responses={201: serializers.DecisionSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        case = _officer_case(request, pk)
        data = serializers.DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = services.decide_request(
            officer=signed_in_user(request),
            case=case,
            **_decision_arguments(dict(data.validated_data)),
        )
        decision.refresh_from_db()
        return Response(
            serializers.DecisionSerializer(decision).data, status=status.HTTP_201_CREATED
        )


class ReviewDecisionView(APIView):
    """Record that an officer reviewed a decision made automatically under an agreement."""

    @extend_schema(
        request=serializers.ReviewInputSerializer, responses=serializers.DecisionSerializer
    )
    def post(self, request: Request, pk: int) -> Response:
        decision = get_object_or_404(Decision.objects.select_related("request"), pk=pk)
        _officer_case(request, decision.request_id)
        data = serializers.ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = services.review_automatic_decision(
            officer=signed_in_user(request), decision=decision, note=data.validated_data["note"]
        )
        return Response(serializers.DecisionSerializer(decision).data)


class AcceptView(APIView):
    """The learner accepts the decision (no appeal): it becomes final."""

    @extend_schema(request=None, responses=serializers.RequestDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        case = services.accept_decision(
            learner=signed_in_user(request), case=_learner_case(request, pk)
        )
        return Response(_viewer_detail(request.user, case.pk))


class WithdrawView(APIView):
    @extend_schema(request=None, responses=serializers.RequestDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        case = services.withdraw_request(
            learner=signed_in_user(request), case=_learner_case(request, pk)
        )
        return Response(_viewer_detail(request.user, case.pk))


class AuditTrailView(APIView):
    """Every step of the case: who, when, what (officers of the institution)."""

    @extend_schema(responses=serializers.AuditEventSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        case = _officer_case(request, pk)
        return Response(
            serializers.AuditEventSerializer(selectors.case_audit_trail(case), many=True).data
        )


# --- appeals -----------------------------------------------------------------------------


class LodgeAppealView(APIView):
    """Appeal a decision within the appeal period, or, once the time limit passed without a
    decision, appeal against the missing decision (`against_inaction`)."""

    @extend_schema(
        request=serializers.AppealInputSerializer, responses={201: serializers.AppealSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        case = _learner_case(request, pk)
        data = serializers.AppealInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # Before any decision the only appeal is against the missing decision (once overdue).
        lodge = (
            services.lodge_inaction_appeal
            if case.status in DECIDABLE_STATUSES
            else services.lodge_appeal
        )
        appeal = lodge(
            learner=signed_in_user(request), case=case, grounds=data.validated_data["grounds"]
        )
        return Response(serializers.AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)


class AppealListView(APIView):
    """Open appeals at the caller's institutions, except those on the caller's decisions."""

    @extend_schema(responses=serializers.AppealSerializer(many=True))
    def get(self, request: Request) -> Response:
        appeals = selectors.list_open_appeals(user=request.user)
        return Response(serializers.AppealSerializer(appeals, many=True).data)


class AppealDetailView(APIView):
    @extend_schema(responses=serializers.AppealSerializer)
    def get(self, request: Request, pk: int) -> Response:
        appeal = selectors.get_appeal_for_reviewer(user=request.user, pk=pk)
        return Response(serializers.AppealSerializer(appeal).data)


class TakeAppealView(APIView):
    @extend_schema(request=None, responses=serializers.AppealSerializer)
    def post(self, request: Request, pk: int) -> Response:
        appeal = selectors.get_appeal_for_reviewer(user=request.user, pk=pk)
        appeal = services.take_appeal(reviewer=signed_in_user(request), appeal=appeal)
        return Response(serializers.AppealSerializer(appeal).data)


class AppealDecisionView(APIView):
    """Uphold the decision, or overturn it with a new decision (`new_decision`)."""

    @extend_schema(
        request=serializers.AppealDecisionInputSerializer, responses=serializers.AppealSerializer
    )
    def post(self, request: Request, pk: int) -> Response:
        appeal = selectors.get_appeal_for_reviewer(user=request.user, pk=pk)
        data = serializers.AppealDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        new_decision = values.get("new_decision")
        arguments: dict[str, Any] = {}
        if new_decision:
            arguments = _decision_arguments(dict(new_decision))
            arguments["new_outcome"] = arguments.pop("outcome")
            arguments.pop("reasons")
        appeal = services.decide_appeal(
            reviewer=signed_in_user(request),
            appeal=appeal,
            outcome=values["outcome"],
            reasons=values["reasons"],
            **arguments,
        )
        return Response(serializers.AppealSerializer(appeal).data)


# --- agreements --------------------------------------------------------------------------


class AgreementListView(APIView):
    """Agreements of the caller's institutions; POST records one (only officers and admins of
    the receiving institution: an alliance admin cannot bind a member)."""

    @extend_schema(responses=serializers.AgreementSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(
            serializers.AgreementSerializer(
                selectors.list_agreements_for_staff(user=request.user), many=True
            ).data
        )

    @extend_schema(
        request=serializers.AgreementInputSerializer,
        responses={201: serializers.AgreementSerializer},
    )
    def post(self, request: Request) -> Response:
        data = serializers.AgreementInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        target = get_object_or_404(RecognitionTarget, pk=values["target"])
        if not recognition_permissions.can_manage_recognition_agreements(
            request.user, target.institution_id
        ):
            raise Http404
        programme = get_object_or_404(Programme, slug=values["programme"])
        alliance = (
            get_object_or_404(Alliance, slug=values["alliance"]) if values.get("alliance") else None
        )
        agreement = services.create_agreement(
            actor=signed_in_user(request),
            target=target,
            programme=programme,
            ects=values["ects"],
            from_version=values.get("from_version"),
            minimum_grade=values.get("minimum_grade", ""),
            alliance=alliance,
            valid_from=values.get("valid_from"),
            valid_until=values.get("valid_until"),
            notes=values.get("notes", ""),
        )
        agreement = RecognitionAgreement.objects.select_related(
            "target__institution", "programme", "alliance"
        ).get(pk=agreement.pk)
        return Response(
            serializers.AgreementSerializer(agreement).data, status=status.HTTP_201_CREATED
        )


class EndAgreementView(APIView):
    @extend_schema(request=None, responses=serializers.AgreementSerializer)
    def post(self, request: Request, pk: int) -> Response:
        agreement = selectors.get_agreement_for_staff(user=request.user, pk=pk)
        agreement = services.end_agreement(actor=signed_in_user(request), agreement=agreement)
        return Response(serializers.AgreementSerializer(agreement).data)
