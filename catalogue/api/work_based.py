"""Dual and challenge-based learning in the API: mentors assigned to an offering, challenge
teams, and the mentor's own offerings and results."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alliances.models import Institution
from catalogue import permissions as catalogue_permissions
from catalogue import selectors
from catalogue.api.serializers import ResultInputSerializer, ResultSerializer
from catalogue.models import (
    ChallengeTeam,
    Enrolment,
    EnrolmentStatus,
    Offering,
    OfferingMentor,
)
from catalogue.services import record_result
from catalogue.services.work_based import assign_mentor, create_challenge_team
from portal.auth import signed_in_user
from portal.errors import DomainError
from portal.models import User


class MentorSerializer(serializers.ModelSerializer):
    mentor = serializers.EmailField(source="mentor.email")
    organisation: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = OfferingMentor
        fields = ["id", "mentor", "organisation", "assigned_at"]


class MentorInputSerializer(serializers.Serializer):
    mentor = serializers.EmailField()
    organisation = serializers.SlugField()


class TeamSerializer(serializers.ModelSerializer):
    provider: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    members = serializers.SerializerMethodField()

    class Meta:
        model = ChallengeTeam
        fields = ["id", "name", "challenge", "provider", "members", "created_at"]

    def get_members(self, team: ChallengeTeam) -> list[str]:
        return sorted(enrolment.learner.email for enrolment in team.members.all())


class TeamInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    challenge = serializers.CharField(max_length=4000)
    provider = serializers.SlugField(required=False, allow_blank=True)
    members = serializers.ListField(child=serializers.EmailField(), max_length=50)


class MentorOfferingSerializer(serializers.ModelSerializer):
    programme: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Offering
        fields = ["id", "code", "programme", "starts_on", "ends_on"]


def _organisation(slug: str) -> Institution:
    organisation = Institution.objects.filter(slug=slug).first()
    if organisation is None:
        raise DomainError(_("Unknown organisation."), field="organisation")
    return organisation


class OfferingMentorsView(APIView):
    """Mentors assigned to the offering (staff of a delivering institution assign them)."""

    @extend_schema(responses=MentorSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        offering = selectors.get_offering_for_staff(user=request.user, pk=pk)
        rows = offering.mentors.select_related("mentor", "organisation")
        return Response(MentorSerializer(rows, many=True).data)

    @extend_schema(request=MentorInputSerializer, responses={201: MentorSerializer})
    def post(self, request: Request, pk: int) -> Response:
        offering = selectors.get_offering_for_staff(user=request.user, pk=pk)
        data = MentorInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mentor = User.objects.filter(email__iexact=data.validated_data["mentor"]).first()
        if mentor is None:
            raise DomainError(_("No account with this e-mail address."), field="mentor")
        assignment = assign_mentor(
            actor=signed_in_user(request),
            offering=offering,
            mentor=mentor,
            organisation=_organisation(data.validated_data["organisation"]),
        )
        return Response(MentorSerializer(assignment).data, status=status.HTTP_201_CREATED)


class ChallengeTeamsView(APIView):
    """Challenge teams of the offering."""

    @extend_schema(responses=TeamSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        offering = selectors.get_offering_for_staff(user=request.user, pk=pk)
        teams = offering.teams.select_related("provider").prefetch_related("members__learner")
        return Response(TeamSerializer(teams, many=True).data)

    @extend_schema(request=TeamInputSerializer, responses={201: TeamSerializer})
    def post(self, request: Request, pk: int) -> Response:
        offering = selectors.get_offering_for_staff(user=request.user, pk=pk)
        data = TeamInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = data.validated_data
        members = list(User.objects.filter(email__in=values["members"]))
        if len(members) != len(set(values["members"])):
            raise DomainError(_("Every member must be enrolled in the offering."), field="members")
        team = create_challenge_team(
            actor=signed_in_user(request),
            offering=offering,
            name=values["name"],
            challenge=values["challenge"],
            members=members,
            provider=_organisation(values["provider"]) if values.get("provider") else None,
        )
        return Response(TeamSerializer(team).data, status=status.HTTP_201_CREATED)


class MentorOfferingsView(APIView):
    """The offerings the caller mentors."""

    @extend_schema(responses=MentorOfferingSerializer(many=True))
    def get(self, request: Request) -> Response:
        offerings = Offering.objects.filter(mentors__mentor_id=request.user.pk).select_related(
            "programme"
        )
        return Response(MentorOfferingSerializer(offerings, many=True).data)


class MentorResultView(APIView):
    """A mentor records the result of a learner of an offering they are assigned to."""

    @extend_schema(request=ResultInputSerializer, responses={201: ResultSerializer})
    def post(self, request: Request, pk: int) -> Response:
        offering = get_object_or_404(Offering, pk=pk)
        if not catalogue_permissions.mentors_offering(request.user, offering):
            raise Http404
        data = ResultInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        enrolment = get_object_or_404(
            Enrolment.objects.filter(offering=offering, status=EnrolmentStatus.ENROLLED),
            pk=values.pop("enrolment"),
        )
        result = record_result(actor=signed_in_user(request), enrolment=enrolment, **values)
        result = offering.results.select_related("offering", "learner", "version").get(pk=result.pk)
        return Response(ResultSerializer(result).data, status=status.HTTP_201_CREATED)
