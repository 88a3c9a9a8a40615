"""A recognising decision as the receiving institution's student system books it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CreditType(models.TextChoices):
    COURSE = "course", _("Replaces a course of the degree")
    ELECTIVE = "elective", _("Elective credits")
    FREE_ELECTIVE = "free_elective", _("Free-elective credits")
    EXTRA_CURRICULAR = "extra_curricular", _("Extra-curricular (Diploma Supplement only)")


class BookingStatus(models.TextChoices):
    TO_BOOK = "to_book", _("Waiting for the registrar")
    BOOKED = "booked", _("Booked in the student system")


class DecisionBooking(models.Model):
    """What the registrar books: the receiving course code, the term, the type of credit and
    the converted grade (the decision's), the competent body, the legal basis and the
    remedies; then the registrar's confirmation with the student system's reference."""

    decision = models.OneToOneField(
        "recognition.Decision", on_delete=models.PROTECT, related_name="booking"
    )
    course_code = models.CharField(_("receiving course code"), max_length=40, blank=True)
    term = models.CharField(_("term"), max_length=40)
    credit_type = models.CharField(_("type of credit"), max_length=20, choices=CreditType.choices)
    competent_body = models.CharField(_("competent body"), max_length=300)
    legal_basis = models.TextField(_("legal basis"))
    remedies = models.TextField(_("remedies"))
    status = models.CharField(
        max_length=10, choices=BookingStatus.choices, default=BookingStatus.TO_BOOK
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(default=timezone.now)
    sis_reference = models.CharField(_("student system reference"), max_length=100, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "recognition"
        ordering = ["prepared_at", "id"]
        indexes = [models.Index(fields=["status", "prepared_at"], name="booking_queue_idx")]

    def __str__(self) -> str:
        return f"{self.course_code or self.credit_type} {self.term} ({self.status})"
