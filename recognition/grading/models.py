"""ECTS grading tables and the grade a recognition decision carries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.models import Institution


class GradingTableSource(models.TextChoices):
    COMPUTED = "computed", _("Computed from the results recorded here")
    DECLARED = "declared", _("Declared by the institution (from its student system)")


class GradingTable(models.Model):
    """The distribution of passing grades of one institution in one field of education
    (ISCED-F) and grading scheme: ``{"<grade class>": <number of passes>}``."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="grading_tables"
    )
    isced_f_code = models.CharField(_("ISCED-F field"), max_length=4)
    scheme = models.CharField(_("grading scheme"), max_length=20)
    distribution = models.JSONField(default=dict)
    cohort = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=10, choices=GradingTableSource.choices)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "recognition"
        ordering = ["institution_id", "isced_f_code", "scheme"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "isced_f_code", "scheme"],
                name="grading_table_one_per_reference_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.isced_f_code} {self.scheme}"


class ConversionMethod(models.TextChoices):
    GRADING_TABLES = "grading_tables", _("Percentile position in the ECTS grading tables")
    PASS_FAIL = "pass_fail", _("Pass carried over (pass/fail)")
    OFFICER = "officer", _("Stated by the officer (no usable grading table)")


class DecisionGrade(models.Model):
    """The converted grade of a recognising decision and how it was converted. Recorded once,
    like the decision itself."""

    decision = models.OneToOneField(
        "recognition.Decision", on_delete=models.PROTECT, related_name="grade"
    )
    source_grade = models.CharField(max_length=40)
    source_scheme = models.CharField(max_length=20)
    source_table = models.ForeignKey(
        GradingTable, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_scheme = models.CharField(max_length=20)
    target_table = models.ForeignKey(
        GradingTable, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    converted_grade = models.CharField(max_length=40)
    method = models.CharField(max_length=20, choices=ConversionMethod.choices)
    # The tables as used (they change as results come in) and the percentile bands.
    explanation = models.JSONField(default=dict)
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    converted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "recognition"

    def __str__(self) -> str:
        return f"{self.source_grade} -> {self.converted_grade}"
