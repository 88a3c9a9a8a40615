"""An EMREX/ELMO transcript of records a learner adds to a request as evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TranscriptSignature(models.TextChoices):
    VALID = "valid", _("Signed; the signature is intact")
    INVALID = "invalid", _("Signed, but the signature does not match the content")
    UNSIGNED = "unsigned", _("Unsigned")


class ElmoTranscript(models.Model):
    request = models.ForeignKey(
        "recognition.RecognitionRequest", on_delete=models.CASCADE, related_name="transcripts"
    )
    document = models.TextField()
    digest_sha256 = models.CharField(max_length=64)
    signature = models.CharField(max_length=10, choices=TranscriptSignature.choices)
    signer = models.CharField(max_length=500, blank=True)
    learner_name = models.CharField(max_length=300, blank=True)
    # [{"issuer", "country", "identifiers", "title", "code", "type", "isced", "ects", "grade",
    #   "status", "date", "term", "eqf", "result_distribution"}]
    learning_opportunities = models.JSONField(default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "recognition"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"ELMO transcript {self.pk} of request {self.request_id}"
