"""The grading API: the schemes (public), an institution's ECTS grading tables (public
reads; its officers declare or recompute them) and the converted grade of a decision."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alliances import permissions
from alliances.models import Institution
from portal.auth import signed_in_user
from recognition import permissions as recognition_permissions
from recognition import selectors
from recognition.grading import services
from recognition.grading.models import DecisionGrade, GradingTable
from recognition.grading.schemes import SCHEMES
from recognition.grading.serializers import (
    ConversionInputSerializer,
    DecisionGradeSerializer,
    GradingTableInputSerializer,
    GradingTableSerializer,
    SchemeSerializer,
)
from recognition.models import Decision


class GradingSchemesView(APIView):
    """The grading schemes the portal reads and converts, with their sources."""

    permission_classes = [AllowAny]

    @extend_schema(responses=SchemeSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = [
            {
                "code": scheme.code,
                "name": str(scheme.name),
                "country": scheme.country,
                "classes": list(scheme.classes),
                "source": scheme.source,
            }
            for scheme in SCHEMES.values()
        ]
        return Response(SchemeSerializer(rows, many=True).data)


class GradingTablesView(APIView):
    """An institution's ECTS grading tables; its recognition officers and admins declare one
    (POST) from their student system."""

    def get_permissions(self) -> Any:
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    @extend_schema(responses=GradingTableSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        institution = get_object_or_404(Institution, slug=slug)
        tables = GradingTable.objects.filter(institution=institution).select_related("institution")
        return Response(GradingTableSerializer(tables, many=True).data)

    @extend_schema(request=GradingTableInputSerializer, responses=GradingTableSerializer)
    def post(self, request: Request, slug: str) -> Response:
        institution = get_object_or_404(Institution, slug=slug)
        permissions.require(
            recognition_permissions.assesses_recognition_at(request.user, institution.pk)
        )
        data = GradingTableInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        table = services.declare_grading_table(
            actor=signed_in_user(request),
            institution=institution,
            isced_f_code=values["isced_f_code"],
            scheme_code=values["scheme"],
            distribution=values["distribution"],
            period_start=values.get("period_start"),
            period_end=values.get("period_end"),
        )
        return Response(GradingTableSerializer(table).data, status=status.HTTP_201_CREATED)


class ComputeGradingTablesView(APIView):
    """Recompute the institution's tables from the results recorded here."""

    @extend_schema(request=None, responses=GradingTableSerializer(many=True))
    def post(self, request: Request, slug: str) -> Response:
        institution = get_object_or_404(Institution, slug=slug)
        permissions.require(
            recognition_permissions.assesses_recognition_at(request.user, institution.pk)
        )
        tables = services.compute_grading_tables(institution=institution)
        return Response(GradingTableSerializer(tables, many=True).data)


class DecisionGradeView(APIView):
    """The converted grade of a recognising decision (officers of the receiving institution
    record it once)."""

    @extend_schema(responses=DecisionGradeSerializer)
    def get(self, request: Request, pk: int) -> Response:
        decision = get_object_or_404(Decision, pk=pk)
        selectors.get_request_for_viewer(user=request.user, pk=decision.request_id)
        grade = get_object_or_404(
            DecisionGrade.objects.select_related("converted_by"), decision=decision
        )
        return Response(DecisionGradeSerializer(grade).data)

    @extend_schema(request=ConversionInputSerializer, responses=DecisionGradeSerializer)
    def post(self, request: Request, pk: int) -> Response:
        decision = get_object_or_404(Decision, pk=pk)
        selectors.get_request_for_officer(user=request.user, pk=decision.request_id)
        data = ConversionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        grade = services.convert_decision_grade(
            officer=signed_in_user(request), decision=decision, **data.validated_data
        )
        return Response(DecisionGradeSerializer(grade).data, status=status.HTTP_201_CREATED)
