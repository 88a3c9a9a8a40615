"""API for recognition promised in advance: what a programme counts for at each institution,
pre-approvals (asked by learners, answered by the home institution's officers) and
alliance-wide blanket rules (proposed by alliance admins, countersigned by members)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alliances.models import Alliance, Institution
from catalogue.models import Programme, ProgrammeStatus
from portal.auth import signed_in_user
from recognition import commitments, selectors, services
from recognition import permissions as recognition_permissions
from recognition.api.views import ReadAnyone
from recognition.models import BlanketRule, PreApproval, RecognitionTarget


class ProspectSerializer(serializers.Serializer):
    institution = serializers.CharField(source="institution.slug")
    institution_name = serializers.CharField(source="institution.legal_name")
    basis = serializers.ChoiceField(
        choices=[commitments.AGREEMENT, commitments.BLANKET_RULE, commitments.PRECEDENT]
    )
    counts_as_free_electives = serializers.BooleanField()
    target = serializers.IntegerField(source="target.pk", allow_null=True, default=None)
    target_code = serializers.CharField(source="target.code", allow_null=True, default=None)
    target_title = serializers.CharField(source="target.title", allow_null=True, default=None)
    ects = serializers.DecimalField(max_digits=4, decimal_places=1)
    minimum_grade = serializers.CharField()
    blanket_rule = serializers.IntegerField(source="rule.pk", allow_null=True, default=None)
    precedents = serializers.IntegerField()


class PreApprovalSerializer(serializers.ModelSerializer):
    learner = serializers.EmailField(source="learner.email", read_only=True)
    institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    programme: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    decided_by = serializers.EmailField(source="decided_by.email", allow_null=True, default=None)
    request = serializers.IntegerField(source="case_id", allow_null=True, read_only=True)

    class Meta:
        model = PreApproval
        fields = [
            "id",
            "reference",
            "learner",
            "institution",
            "programme",
            "kind",
            "target",
            "ects",
            "agreement",
            "blanket_rule",
            "motivation",
            "status",
            "requested_at",
            "decided_by",
            "decided_at",
            "reasons",
            "request",
            "applied_at",
        ]


class PreApprovalInputSerializer(serializers.Serializer):
    institution = serializers.SlugField()
    programme = serializers.SlugField()
    kind = serializers.ChoiceField(choices=["course", "free_elective"])
    target = serializers.IntegerField(required=False, allow_null=True)
    motivation = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class PreApprovalDecisionInputSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    ects = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True)
    reasons = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class BlanketRuleSerializer(serializers.ModelSerializer):
    alliance: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    countersigned_by = serializers.SerializerMethodField()

    class Meta:
        model = BlanketRule
        fields = [
            "id",
            "alliance",
            "title",
            "minimum_eqf_level",
            "max_ects_per_year",
            "notes",
            "proposed_at",
            "is_active",
            "countersigned_by",
        ]

    def get_countersigned_by(self, rule: BlanketRule) -> list[str]:
        return [signature.institution.slug for signature in rule.signatures.all()]


class BlanketRuleInputSerializer(serializers.Serializer):
    alliance = serializers.SlugField()
    title = serializers.CharField(max_length=200)
    minimum_eqf_level = serializers.IntegerField(min_value=1, max_value=8)
    max_ects_per_year = serializers.DecimalField(max_digits=4, decimal_places=1)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class CountersignInputSerializer(serializers.Serializer):
    institution = serializers.SlugField()


class ProgrammeProspectsView(APIView):
    """Public: per institution, what a published programme's credential will count for."""

    permission_classes = [AllowAny]

    @extend_schema(responses=ProspectSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        programme = get_object_or_404(Programme, slug=slug, status=ProgrammeStatus.PUBLISHED)
        prospects = commitments.prospects_for(programme, on=timezone.localdate())
        return Response(ProspectSerializer(prospects, many=True).data)


class PreApprovalListView(APIView):
    """The caller's pre-approvals (learner), and those at the caller's institutions (officers
    and admins); POST asks an institution to pre-approve a programme."""

    @extend_schema(responses=PreApprovalSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(
            PreApprovalSerializer(
                selectors.list_preapprovals_for(user=request.user), many=True
            ).data
        )

    @extend_schema(request=PreApprovalInputSerializer, responses={201: PreApprovalSerializer})
    def post(self, request: Request) -> Response:
        data = PreApprovalInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        institution = get_object_or_404(Institution, slug=values["institution"])
        programme = get_object_or_404(
            Programme, slug=values["programme"], status=ProgrammeStatus.PUBLISHED
        )
        target = (
            get_object_or_404(RecognitionTarget, pk=values["target"], institution=institution)
            if values.get("target")
            else None
        )
        preapproval = services.request_preapproval(
            learner=signed_in_user(request),
            institution=institution,
            programme=programme,
            kind=values["kind"],
            target=target,
            motivation=values.get("motivation", ""),
        )
        return Response(PreApprovalSerializer(preapproval).data, status=status.HTTP_201_CREATED)


class PreApprovalDetailView(APIView):
    @extend_schema(responses=PreApprovalSerializer)
    def get(self, request: Request, pk: int) -> Response:
        preapproval = selectors.get_preapproval_for_viewer(user=request.user, pk=pk)
        return Response(PreApprovalSerializer(preapproval).data)


class PreApprovalDecisionView(APIView):
    """Approve (optionally for fewer credits) or refuse with reasons: the home institution's
    officers and admins."""

    @extend_schema(request=PreApprovalDecisionInputSerializer, responses=PreApprovalSerializer)
    def post(self, request: Request, pk: int) -> Response:
        preapproval = selectors.get_preapproval_for_viewer(user=request.user, pk=pk)
        if not recognition_permissions.can_decide_preapproval(request.user, preapproval):
            raise Http404
        data = PreApprovalDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        preapproval = services.decide_preapproval(
            officer=signed_in_user(request),
            preapproval=preapproval,
            approve=values["approve"],
            ects=values.get("ects"),
            reasons=values.get("reasons", ""),
        )
        return Response(PreApprovalSerializer(preapproval).data)


class PreApprovalWithdrawView(APIView):
    @extend_schema(request=None, responses=PreApprovalSerializer)
    def post(self, request: Request, pk: int) -> Response:
        preapproval = selectors.get_preapproval_for_viewer(user=request.user, pk=pk)
        if preapproval.learner_id != request.user.pk:
            raise Http404
        preapproval = services.withdraw_preapproval(
            learner=signed_in_user(request), preapproval=preapproval
        )
        return Response(PreApprovalSerializer(preapproval).data)


class BlanketRuleListView(APIView):
    """Public list of the alliances' blanket rules and who countersigned them; POST proposes
    one (admins of the alliance)."""

    permission_classes = [ReadAnyone]

    @extend_schema(responses=BlanketRuleSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(BlanketRuleSerializer(commitments.public_rules(), many=True).data)

    @extend_schema(request=BlanketRuleInputSerializer, responses={201: BlanketRuleSerializer})
    def post(self, request: Request) -> Response:
        data = BlanketRuleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        alliance = get_object_or_404(Alliance, slug=values["alliance"])
        rule = services.propose_blanket_rule(
            actor=signed_in_user(request),
            alliance=alliance,
            title=values["title"],
            minimum_eqf_level=values["minimum_eqf_level"],
            max_ects_per_year=values["max_ects_per_year"],
            notes=values.get("notes", ""),
        )
        return Response(BlanketRuleSerializer(rule).data, status=status.HTTP_201_CREATED)


class BlanketRuleCountersignView(APIView):
    """An officer or admin of a member institution binds it to the rule."""

    @extend_schema(request=CountersignInputSerializer, responses=BlanketRuleSerializer)
    def post(self, request: Request, pk: int) -> Response:
        rule = get_object_or_404(BlanketRule, pk=pk)
        data = CountersignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        institution = get_object_or_404(Institution, slug=data.validated_data["institution"])
        services.countersign_blanket_rule(
            actor=signed_in_user(request), rule=rule, institution=institution
        )
        return Response(BlanketRuleSerializer(rule).data)


class BlanketRuleWithdrawView(APIView):
    @extend_schema(request=None, responses=BlanketRuleSerializer)
    def post(self, request: Request, pk: int) -> Response:
        rule = get_object_or_404(BlanketRule, pk=pk)
        rule = services.withdraw_blanket_rule(actor=signed_in_user(request), rule=rule)
        return Response(BlanketRuleSerializer(rule).data)
