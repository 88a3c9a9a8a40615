"""Forms of the pages for recognition promised in advance: asking for a pre-approval,
answering one, and proposing an alliance rule. They parse input only; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.forms import AccessibleErrorsMixin
from recognition.models import RequestKind


class PreApprovalForm(AccessibleErrorsMixin, forms.Form):
    institution = forms.ChoiceField(label=_("Home institution"))
    kind = forms.ChoiceField(
        label=_("Count it"), choices=RequestKind.choices, widget=forms.RadioSelect
    )
    target = forms.TypedChoiceField(
        label=_("Course or module"), coerce=int, required=False, empty_value=None
    )
    motivation = forms.CharField(label=_("Motivation"), widget=forms.Textarea, required=False)

    def __init__(
        self,
        *args: Any,
        institutions: list[tuple[str, str]],
        targets: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = institutions  # type: ignore[attr-defined]
        self.fields["target"].choices = [("", "—"), *targets]  # type: ignore[attr-defined]


class PreApprovalDecisionForm(AccessibleErrorsMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Approve")), ("no", _("Refuse"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    ects = forms.DecimalField(
        label=_("ECTS credits"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        required=False,
        help_text=_("Leave empty to approve the credits asked for."),
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea,
        required=False,
        help_text=_("Required for a refusal."),
    )


class BlanketRuleForm(AccessibleErrorsMixin, forms.Form):
    alliance = forms.ChoiceField(label=_("Alliance"))
    title = forms.CharField(label=_("Title"), max_length=200)
    minimum_eqf_level = forms.IntegerField(label=_("Minimum EQF level"), min_value=1, max_value=8)
    max_ects_per_year = forms.DecimalField(
        label=_("Free-elective ECTS per learner and year"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("60"),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, alliances: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["alliance"].choices = alliances  # type: ignore[attr-defined]
