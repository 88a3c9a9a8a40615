"""The catalogue API: the same capabilities as the pages. Reads go through selectors,
writes through services; objects the caller may not see answer 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions as drf_permissions
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alliances.models import Alliance, Institution
from catalogue import permissions as catalogue_permissions
from catalogue import selectors, services
from catalogue.api import serializers
from catalogue.models import (
    Enrolment,
    EnrolmentStatus,
    Pathway,
    Programme,
    ProgrammeVersion,
    ResultUpload,
    Skill,
)
from portal.auth import signed_in_user
from portal.errors import DomainError

CATALOGUE_FILTERS = [
    OpenApiParameter("q", str, description="Full-text search"),
    OpenApiParameter("skill", str, description="ESCO skill URI"),
    OpenApiParameter("eqf", int, description="EQF level"),
    OpenApiParameter("ects_min", float),
    OpenApiParameter("ects_max", float),
    OpenApiParameter("language", str, description="Language of instruction (e.g. es)"),
    OpenApiParameter("form", str, enum=["online", "blended", "onsite"]),
    OpenApiParameter("institution", str, description="Slug of an awarding institution"),
    OpenApiParameter("alliance", str, description="Slug of the alliance"),
    OpenApiParameter(
        "starts_from", OpenApiTypes.DATE, description="An offering starts on or after"
    ),
]


class ReadAnyone(drf_permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in drf_permissions.SAFE_METHODS or bool(
            request.user and request.user.is_authenticated
        )


def _filters(params: Any) -> selectors.CatalogueFilters:
    from catalogue.forms import CatalogueFilterForm

    form = CatalogueFilterForm(
        {key: params.get(key) for key in params},
        skills=[(params.get("skill", ""), "")],
        institutions=[(params.get("institution", ""), "")],
        alliances=[(params.get("alliance", ""), "")],
    )
    form.is_valid()
    values = getattr(form, "cleaned_data", {})
    return selectors.CatalogueFilters(
        query=values.get("q") or "",
        skill=values.get("skill") or "",
        eqf_level=values.get("eqf"),
        ects_min=values.get("ects_min"),
        ects_max=values.get("ects_max"),
        language=values.get("language") or "",
        participation_form=values.get("form") or "",
        institution=values.get("institution") or "",
        alliance=values.get("alliance") or "",
        starts_from=values.get("starts_from"),
    )


# --- public -------------------------------------------------------------------------------


@extend_schema(parameters=CATALOGUE_FILTERS)
class ProgrammeListView(ListAPIView):
    """Published micro-credential programmes, with full-text search and filters."""

    permission_classes = [ReadAnyone]
    serializer_class = serializers.CatalogueProgrammeSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.search_catalogue_ids(_filters(self.request.query_params))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ids = self.paginate_queryset(self.get_queryset())
        rows = selectors.catalogue_rows(list(ids or []))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class ProgrammeDetailView(APIView):
    permission_classes = [ReadAnyone]

    @extend_schema(responses=serializers.CatalogueProgrammeDetailSerializer)
    def get(self, request: Request, slug: str) -> Response:
        programme = selectors.get_catalogue_programme(slug=slug)
        programme.next_start = None  # type: ignore[attr-defined]
        offerings = programme.upcoming_offerings  # type: ignore[attr-defined]
        if offerings:
            programme.next_start = offerings[0].starts_on  # type: ignore[attr-defined]
        return Response(serializers.CatalogueProgrammeDetailSerializer(programme).data)


class ProgrammeVersionListView(ListAPIView):
    """Every published version of a programme (what credentials point to)."""

    permission_classes = [ReadAnyone]
    serializer_class = serializers.VersionSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        programme = selectors.get_catalogue_programme(slug=self.kwargs["slug"])
        return (
            ProgrammeVersion.objects.filter(programme=programme)
            .select_related("programme")
            .order_by("-number")
        )


class ProgrammeVersionDetailView(APIView):
    """One frozen version by id; it never changes once published."""

    permission_classes = [ReadAnyone]

    @extend_schema(responses=serializers.VersionSerializer)
    def get(self, request: Request, pk: int) -> Response:
        version = get_object_or_404(ProgrammeVersion.objects.select_related("programme"), pk=pk)
        return Response(serializers.VersionSerializer(version).data)


class SkillListView(ListAPIView):
    """ESCO skills shipped with the portal; `search` matches the label."""

    permission_classes = [ReadAnyone]
    serializer_class = serializers.SkillSerializer
    filter_backends: list[Any] = []
    queryset = Skill.objects.none()

    @extend_schema(parameters=[OpenApiParameter("search", str)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return Skill.objects.filter(
            pk__in=selectors.search_skills(
                text=self.request.query_params.get("search", "")[:100], limit=200
            ).values("pk")
        ).order_by("preferred_label")


class PathwayListView(ListAPIView):
    permission_classes = [ReadAnyone]
    serializer_class = serializers.PathwaySerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return (
            Pathway.objects.select_related("owner", "alliance")
            .prefetch_related("programmes")
            .order_by("slug")
        )


class StaffPathwayCreateView(APIView):
    """Publish a pathway that stacks programmes of one alliance into a larger credential."""

    @extend_schema(
        request=serializers.PathwayCreateSerializer,
        responses={201: serializers.PathwaySerializer},
    )
    def post(self, request: Request) -> Response:
        data = serializers.PathwayCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        owner = Institution.objects.filter(slug=values["owner"]).first()
        alliance = Alliance.objects.filter(slug=values["alliance"]).first()
        if owner is None or alliance is None:
            raise Http404
        slugs = set(values["programmes"])
        programme_ids = list(
            Programme.objects.filter(alliance=alliance, slug__in=slugs).values_list("pk", flat=True)
        )
        if len(programme_ids) != len(slugs):
            raise DomainError(
                _("Choose published programmes of the pathway's alliance."), field="programmes"
            )
        pathway = services.create_pathway(
            actor=signed_in_user(request),
            owner=owner,
            alliance=alliance,
            slug=values["slug"],
            title=values["title"],
            description=values.get("description") or {},
            rule=values["rule"],
            programme_ids=programme_ids,
            required_count=values.get("required_count"),
            min_ects=values.get("min_ects"),
        )
        return Response(serializers.PathwaySerializer(pathway).data, status=status.HTTP_201_CREATED)


class PathwayProgressView(APIView):
    """The signed-in learner's progress towards each pathway they have started."""

    @extend_schema(responses=serializers.PathwayProgressSerializer(many=True))
    def get(self, request: Request) -> Response:
        progress = selectors.pathway_progress(learner=signed_in_user(request))
        return Response(serializers.PathwayProgressSerializer(progress, many=True).data)


# --- learners -----------------------------------------------------------------------------


class EnrolmentListView(APIView):
    """The signed-in learner's enrolments; POST enrols (or joins the waiting list)."""

    @extend_schema(responses=serializers.EnrolmentSerializer(many=True))
    def get(self, request: Request) -> Response:
        enrolments = selectors.list_learner_enrolments(learner=signed_in_user(request))
        return Response(serializers.EnrolmentSerializer(enrolments, many=True).data)

    @extend_schema(
        request=serializers.EnrolInputSerializer, responses={201: serializers.EnrolmentSerializer}
    )
    def post(self, request: Request) -> Response:
        data = serializers.EnrolInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offering = get_object_or_404(
            selectors.offering_queryset(), pk=data.validated_data["offering"]
        )
        try:
            enrolment = services.enrol(learner=signed_in_user(request), offering=offering)
        except services.NotInCatalogueError as error:
            raise Http404 from error
        return Response(
            serializers.EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED
        )


class WithdrawView(APIView):
    @extend_schema(request=None, responses=serializers.EnrolmentSerializer)
    def post(self, request: Request, pk: int) -> Response:
        enrolment = selectors.get_enrolment_of(learner=request.user, pk=pk)
        enrolment = services.withdraw(actor=signed_in_user(request), enrolment=enrolment)
        enrolment = Enrolment.objects.select_related(
            "offering__programme", "version", "learner"
        ).get(pk=enrolment.pk)
        return Response(serializers.EnrolmentSerializer(enrolment).data)


# --- staff: programmes --------------------------------------------------------------------


def _institutions_by_slug(slugs: list[str], field: str) -> list[int]:
    ids = dict(Institution.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    unknown = set(slugs) - set(ids)
    if unknown:
        from rest_framework.exceptions import ValidationError

        raise ValidationError({field: [_("Unknown institutions: %s") % ", ".join(sorted(unknown))]})
    return list(ids.values())


def _programme_arguments(values: dict[str, Any]) -> dict[str, Any]:
    arguments: dict[str, Any] = {}
    if "partners" in values:
        arguments["partner_ids"] = _institutions_by_slug(values.pop("partners"), "partners")
    if "learning_outcomes" in values:
        arguments["outcomes"] = [
            services.OutcomeInput(text=outcome["text"], skill_uris=outcome.get("skills", []))
            for outcome in values.pop("learning_outcomes")
        ]
    arguments["data"] = values
    return arguments


def _staff_programme(request: Request, pk: int) -> Any:
    return selectors.get_programme_for_staff(user=request.user, pk=pk)


def _staff_output(programme: Any) -> dict[str, Any]:
    programme = (
        services.programme_queryset().select_related("published_version").get(pk=programme.pk)
    )
    return serializers.StaffProgrammeSerializer(programme).data


class StaffProgrammeListView(APIView):
    """Programmes your institutions coordinate or partner in; POST starts a draft."""

    @extend_schema(responses=serializers.StaffProgrammeSerializer(many=True))
    def get(self, request: Request) -> Response:
        ids = selectors.list_programmes_for_staff(user=request.user).values("pk")[:200]
        programmes = (
            services.programme_queryset().select_related("published_version").filter(pk__in=ids)
        )
        return Response(serializers.StaffProgrammeSerializer(programmes, many=True).data)

    @extend_schema(
        request=serializers.ProgrammeCreateSerializer,
        responses={201: serializers.StaffProgrammeSerializer},
    )
    def post(self, request: Request) -> Response:
        data = serializers.ProgrammeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        coordinator = Institution.objects.filter(slug=values.pop("coordinator")).first()
        alliance = Alliance.objects.filter(slug=values.pop("alliance")).first()
        if coordinator is None or alliance is None:
            raise Http404
        slug = values.pop("slug")
        programme = services.create_programme(
            actor=signed_in_user(request),
            coordinator=coordinator,
            alliance=alliance,
            slug=slug,
            **_programme_arguments(values),
        )
        return Response(_staff_output(programme), status=status.HTTP_201_CREATED)


class StaffProgrammeDetailView(APIView):
    @extend_schema(responses=serializers.StaffProgrammeSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(_staff_output(_staff_programme(request, pk)))

    @extend_schema(
        request=serializers.ProgrammeUpdateSerializer,
        responses=serializers.StaffProgrammeSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        programme = _staff_programme(request, pk)
        data = serializers.ProgrammeUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        programme = services.update_programme(
            actor=signed_in_user(request),
            programme=programme,
            **_programme_arguments(dict(data.validated_data)),
        )
        return Response(_staff_output(programme))


class SubmitView(APIView):
    @extend_schema(
        request=serializers.SubmitSerializer, responses=serializers.StaffProgrammeSerializer
    )
    def post(self, request: Request, pk: int) -> Response:
        data = serializers.SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        programme = services.submit_programme(
            actor=signed_in_user(request),
            programme=_staff_programme(request, pk),
            reply=data.validated_data.get("reply", ""),
        )
        return Response(_staff_output(programme))


class ArchiveView(APIView):
    @extend_schema(request=None, responses=serializers.StaffProgrammeSerializer)
    def post(self, request: Request, pk: int) -> Response:
        programme = services.archive_programme(
            actor=signed_in_user(request), programme=_staff_programme(request, pk)
        )
        return Response(_staff_output(programme))


class ApproveView(APIView):
    @extend_schema(
        request=serializers.ApprovalSerializer, responses=serializers.StaffProgrammeSerializer
    )
    def post(self, request: Request, pk: int) -> Response:
        programme = _staff_programme(request, pk)
        data = serializers.ApprovalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        institution = get_object_or_404(Institution, slug=data.validated_data["institution"])
        programme = services.approve_programme(
            actor=signed_in_user(request), programme=programme, institution=institution
        )
        return Response(_staff_output(programme))


class RequestChangesView(APIView):
    @extend_schema(
        request=serializers.RequestChangesSerializer, responses=serializers.StaffProgrammeSerializer
    )
    def post(self, request: Request, pk: int) -> Response:
        programme = _staff_programme(request, pk)
        data = serializers.RequestChangesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        institution = get_object_or_404(Institution, slug=data.validated_data["institution"])
        programme = services.request_changes(
            actor=signed_in_user(request),
            programme=programme,
            institution=institution,
            comment=data.validated_data["comment"],
        )
        return Response(_staff_output(programme))


# --- staff: offerings and results ----------------------------------------------------------


def _staff_offering(request: Request, pk: int) -> Any:
    return selectors.get_offering_for_staff(user=request.user, pk=pk)


class StaffOfferingListView(APIView):
    """Offerings of a programme (staff); POST opens one on the published version."""

    @extend_schema(responses=serializers.OfferingSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        programme = _staff_programme(request, pk)
        return Response(
            serializers.OfferingSerializer(
                selectors.list_offerings_for_staff(programme=programme), many=True
            ).data
        )

    @extend_schema(
        request=serializers.OfferingInputSerializer, responses={201: serializers.OfferingSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        programme = _staff_programme(request, pk)
        data = serializers.OfferingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        delivery = _institutions_by_slug(
            values.pop("delivery_institutions"), "delivery_institutions"
        )
        offering = services.create_offering(
            actor=signed_in_user(request),
            programme=programme,
            code=values.pop("code"),
            data=values,
            delivery_institution_ids=delivery,
        )
        offering = selectors.offering_queryset().get(pk=offering.pk)
        return Response(
            serializers.OfferingSerializer(offering).data, status=status.HTTP_201_CREATED
        )


class StaffOfferingDetailView(APIView):
    @extend_schema(responses=serializers.OfferingSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(serializers.OfferingSerializer(_staff_offering(request, pk)).data)

    @extend_schema(
        request=serializers.OfferingUpdateSerializer, responses=serializers.OfferingSerializer
    )
    def patch(self, request: Request, pk: int) -> Response:
        offering = _staff_offering(request, pk)
        data = serializers.OfferingUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        delivery = None
        if "delivery_institutions" in values:
            delivery = _institutions_by_slug(
                values.pop("delivery_institutions"), "delivery_institutions"
            )
        services.update_offering(
            actor=signed_in_user(request),
            offering=offering,
            data=values,
            delivery_institution_ids=delivery,
        )
        return Response(
            serializers.OfferingSerializer(selectors.offering_queryset().get(pk=pk)).data
        )


class StaffEnrolmentListView(APIView):
    @extend_schema(responses=serializers.EnrolmentSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        offering = _staff_offering(request, pk)
        enrolments = selectors.list_enrolments(offering=offering).select_related(
            "offering__programme", "version"
        )
        return Response(serializers.EnrolmentSerializer(enrolments, many=True).data)


class ResultListView(APIView):
    """Results of an offering; POST records or corrects one learner's result (staff of a
    delivering institution)."""

    def _results(self, offering: Any) -> QuerySet[Any]:
        return offering.results.select_related("offering", "learner", "version").order_by(
            "learner__email"
        )

    @extend_schema(responses=serializers.ResultSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            serializers.ResultSerializer(
                self._results(_staff_offering(request, pk)), many=True
            ).data
        )

    @extend_schema(
        request=serializers.ResultInputSerializer, responses={201: serializers.ResultSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        offering = _staff_offering(request, pk)
        if not catalogue_permissions.can_record_results(request.user, offering):
            raise Http404
        data = serializers.ResultInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        enrolment = get_object_or_404(
            Enrolment.objects.filter(offering=offering, status=EnrolmentStatus.ENROLLED),
            pk=values.pop("enrolment"),
        )
        result = services.record_result(
            actor=signed_in_user(request), enrolment=enrolment, **values
        )
        result = self._results(offering).get(pk=result.pk)
        return Response(serializers.ResultSerializer(result).data, status=status.HTTP_201_CREATED)


class ResultUploadView(APIView):
    """Upload a results CSV: every row is checked and returned with its errors; nothing
    is saved until the upload is confirmed."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=serializers.UploadInputSerializer,
        responses={201: serializers.UploadPreviewSerializer},
    )
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"file": [_("Attach the CSV file as `file`.")]})
        services.check_upload_size(upload.size or 0)
        preview = services.preview_results_upload(
            actor=signed_in_user(request),
            filename=upload.name or "",
            size=upload.size or 0,
            data=upload.read(),
        )
        return Response(
            serializers.UploadPreviewSerializer(preview).data, status=status.HTTP_201_CREATED
        )


class ResultUploadConfirmView(APIView):
    @extend_schema(request=None, responses=serializers.UploadPreviewSerializer)
    def post(self, request: Request, pk: int) -> Response:
        upload = get_object_or_404(ResultUpload, pk=pk, uploaded_by=request.user)
        preview = services.confirm_results_upload(actor=signed_in_user(request), upload=upload)
        return Response(serializers.UploadPreviewSerializer(preview).data)
