"""EMREX/ELMO transcripts of a request: the learner uploads one (multipart `file`), the
learner and the receiving institution's officers list them with their learning
opportunities."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.auth import signed_in_user
from portal.errors import DomainError
from recognition import selectors
from recognition.emrex import services
from recognition.emrex.models import ElmoTranscript


class TranscriptSerializer(serializers.ModelSerializer):
    learning_opportunities = serializers.ListField(child=serializers.DictField())

    class Meta:
        model = ElmoTranscript
        fields = [
            "id",
            "digest_sha256",
            "signature",
            "signer",
            "learner_name",
            "learning_opportunities",
            "uploaded_at",
        ]


class TranscriptUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class TranscriptsView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(responses=TranscriptSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        case = selectors.get_request_for_viewer(user=request.user, pk=pk)
        return Response(TranscriptSerializer(case.transcripts.all(), many=True).data)

    @extend_schema(request=TranscriptUploadSerializer, responses=TranscriptSerializer)
    def post(self, request: Request, pk: int) -> Response:
        case = selectors.get_request_of_learner(learner=request.user, pk=pk)
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError(_("Attach the ELMO XML file."), field="file")
        document = upload.read(services.MAX_TRANSCRIPT_BYTES + 1)
        transcript = services.import_transcript(
            learner=signed_in_user(request), case=case, document=document
        )
        return Response(TranscriptSerializer(transcript).data, status=status.HTTP_201_CREATED)
