"""The booking API: an officer prepares a final recognition for booking, the registrar sees
the institution's queue, downloads the EMREX/ELMO and ELM exports and confirms the booking
with the student system's reference."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.auth import signed_in_user
from recognition import permissions as recognition_permissions
from recognition import selectors
from recognition.booking import elm, services
from recognition.booking.models import BookingStatus, CreditType, DecisionBooking
from recognition.emrex.export import elmo_document
from recognition.models import Decision


class BookingSerializer(serializers.ModelSerializer):
    request = serializers.IntegerField(source="decision.request_id", read_only=True)
    credits_granted = serializers.DecimalField(
        source="decision.credits_granted", max_digits=5, decimal_places=1, read_only=True
    )
    converted_grade = serializers.SerializerMethodField()
    booked_by = serializers.EmailField(source="booked_by.email", allow_null=True, default=None)

    class Meta:
        model = DecisionBooking
        fields = [
            "id",
            "decision",
            "request",
            "course_code",
            "term",
            "credit_type",
            "credits_granted",
            "converted_grade",
            "competent_body",
            "legal_basis",
            "remedies",
            "status",
            "prepared_at",
            "sis_reference",
            "booked_by",
            "booked_at",
        ]

    def get_converted_grade(self, booking: DecisionBooking) -> str | None:
        grade = getattr(booking.decision, "grade", None)
        return grade.converted_grade if grade is not None else None


class BookingInputSerializer(serializers.Serializer):
    term = serializers.CharField(max_length=40)
    credit_type = serializers.ChoiceField(choices=CreditType.choices, required=False)
    course_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    competent_body = serializers.CharField(max_length=300, required=False, allow_blank=True)
    legal_basis = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    remedies = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class ConfirmInputSerializer(serializers.Serializer):
    sis_reference = serializers.CharField(max_length=100)


def bookings_for(user: Any) -> QuerySet[DecisionBooking]:
    """Bookings of the institutions where the user books or assesses recognitions."""
    institutions = recognition_permissions.recognition_institution_ids(
        user
    ) | recognition_permissions.booking_institution_ids(user)
    return DecisionBooking.objects.filter(
        decision__request__institution_id__in=institutions
    ).select_related("decision__request__institution", "decision__grade", "booked_by")


def booking_for(user: Any, pk: int) -> DecisionBooking:
    booking = bookings_for(user).filter(pk=pk).first()
    if booking is None:
        raise Http404
    return booking


class DecisionBookingView(APIView):
    """Prepare a final recognition for booking (officers of the receiving institution)."""

    @extend_schema(request=BookingInputSerializer, responses=BookingSerializer)
    def post(self, request: Request, pk: int) -> Response:
        decision = get_object_or_404(Decision, pk=pk)
        selectors.get_request_for_officer(user=request.user, pk=decision.request_id)
        data = BookingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.prepare_booking(
            officer=signed_in_user(request), decision=decision, **data.validated_data
        )
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


class BookingListView(APIView):
    """The bookings of the caller's institutions (`?status=to_book` for the registrar's queue)."""

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=BookingStatus.values)],
        responses=BookingSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        bookings = bookings_for(request.user)
        wanted = request.query_params.get("status", "")
        if wanted in BookingStatus.values:
            bookings = bookings.filter(status=wanted)
        return Response(BookingSerializer(bookings[:500], many=True).data)


class ConfirmBookingView(APIView):
    """The registrar confirms the booking with the student system's reference."""

    @extend_schema(request=ConfirmInputSerializer, responses=BookingSerializer)
    def post(self, request: Request, pk: int) -> Response:
        booking = booking_for(request.user, pk)
        data = ConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.confirm_booking(
            registrar=signed_in_user(request),
            booking=booking,
            sis_reference=data.validated_data["sis_reference"],
        )
        return Response(BookingSerializer(booking).data)


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ElmoExportView(APIView):
    """The booking as an EMREX ELMO XML document."""

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> HttpResponse:
        booking = booking_for(request.user, pk)
        return _download(
            elmo_document(booking),
            "application/xml",
            f"recognition-{booking.decision_id}-elmo.xml",
        )


class ElmExportView(APIView):
    """The booking as a European Learning Model credential (unsigned JSON-LD)."""

    @extend_schema(responses={(200, "application/ld+json"): OpenApiTypes.OBJECT})
    def get(self, request: Request, pk: int) -> HttpResponse:
        booking = booking_for(request.user, pk)
        return _download(
            json.dumps(elm.elm_document(booking), ensure_ascii=False, indent=2),
            "application/ld+json",
            f"recognition-{booking.decision_id}-elm.jsonld",
        )
