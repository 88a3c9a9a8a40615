"""Forms of the recognition pages. They parse input only; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.forms import AccessibleErrorsMixin
from recognition.models import (
    AppealOutcome,
    AppealRoute,
    DecisionOutcome,
    DifferenceElement,
    RequestKind,
)
from recognition.services import DifferenceInput

DIFFERENCE_ELEMENTS = [
    DifferenceElement.LEVEL,
    DifferenceElement.WORKLOAD,
    DifferenceElement.LEARNING_OUTCOMES,
    DifferenceElement.QUALITY,
    DifferenceElement.PROFILE,
    DifferenceElement.AUTHENTICITY,
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (attachments)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class PolicyForm(AccessibleErrorsMixin, forms.Form):
    time_limit_days = forms.IntegerField(
        label=_("Time limit for a decision (calendar days)"), min_value=1, max_value=365
    )
    appeal_period_days = forms.IntegerField(
        label=_("Appeal period (calendar days)"), min_value=1, max_value=365
    )
    appeals_decided_by = forms.ChoiceField(
        label=_("Appeals are decided by"), choices=AppealRoute.choices
    )
    procedure = forms.CharField(
        label=_("What learners should know"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class TargetForm(AccessibleErrorsMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=255)
    programme_title = forms.CharField(label=_("Degree programme"), max_length=255, required=False)
    ects = forms.DecimalField(
        label=_("ECTS credits"), min_value=Decimal("0.5"), max_value=Decimal("60"), decimal_places=1
    )
    eqf_level = forms.IntegerField(label=_("EQF level"), min_value=1, max_value=8)
    assessment_type = forms.CharField(label=_("Type of assessment"), max_length=255, required=False)
    learning_outcomes = forms.CharField(
        label=_("Learning outcomes"),
        help_text=_("One per line."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    skill_uris = forms.CharField(
        label=_("ESCO skills"),
        help_text=_("ESCO skill addresses (http://data.europa.eu/esco/skill/...), one per line."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_active = forms.BooleanField(label=_("Open for requests"), required=False, initial=True)

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["learning_outcomes"] = data["learning_outcomes"].splitlines()
        data["skill_uris"] = data["skill_uris"].split()
        return data


class TargetUploadForm(AccessibleErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("Targets file (CSV)"),
        help_text=_(
            "Columns: code, title, programme, ects, eqf_level, assessment_type, "
            "learning_outcomes (separated by |), skills (ESCO addresses separated by spaces). "
            "UTF-8. Known codes are updated."
        ),
    )


class RequestForm(AccessibleErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Recognise towards"),
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
        initial=RequestKind.COURSE,
    )
    target = forms.TypedChoiceField(
        label=_("Course or module"), coerce=int, required=False, empty_value=None
    )
    wallet_credentials = forms.TypedMultipleChoiceField(
        label=_("Credentials from your wallet"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    credential_file = forms.FileField(
        label=_("Credential file (.json)"),
        required=False,
        help_text=_("The credential file your issuer or wallet gave you, unchanged."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".json,application/json,application/ld+json"}
        ),
    )
    credential_json = forms.CharField(
        label=_("Or paste the credential"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        required=False,
        max_length=4000,
        help_text=_("Why these credentials match what you ask for (optional)."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        help_text=_(
            "Optional: course descriptions, transcripts. PDF, PNG or JPEG, at most 5 MB each."
        ),
    )

    def __init__(
        self,
        *args: Any,
        targets: list[tuple[int, str]],
        wallet: list[tuple[int, str]],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        target_field = self.fields["target"]
        assert isinstance(target_field, forms.ChoiceField)
        target_field.choices = [("", _("Choose a course")), *targets]
        wallet_field = self.fields["wallet_credentials"]
        assert isinstance(wallet_field, forms.ChoiceField)
        wallet_field.choices = wallet
        if not wallet:
            del self.fields["wallet_credentials"]


class DecisionForm(AccessibleErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    credits_granted = forms.DecimalField(
        label=_("Credits recognised (ECTS)"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("999"),
        decimal_places=1,
        help_text=_("For partial recognition and free-elective credits."),
    )
    counts_towards = forms.CharField(label=_("Counts towards"), required=False, max_length=300)
    component_replaced = forms.CharField(
        label=_("Component replaced"), required=False, max_length=300
    )
    compensatory_measures = forms.CharField(
        label=_("Compensatory measures offered"),
        required=False,
        max_length=4000,
        help_text=_("How the learner can make up the difference, e.g. an extra assessment."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for element in DIFFERENCE_ELEMENTS:
            self.fields[f"difference_{element.value}"] = forms.CharField(
                label=element.label,
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def difference_fields(self) -> list[Any]:
        return [self[f"difference_{element.value}"] for element in DIFFERENCE_ELEMENTS]

    def main_fields(self) -> list[Any]:
        return [
            self[name]
            for name in self.fields
            if not name.startswith("difference_")
            and name not in ("compensatory_measures", "reasons")
        ]

    def differences(self) -> list[DifferenceInput]:
        return [
            DifferenceInput(element.value, self.cleaned_data[f"difference_{element.value}"])
            for element in DIFFERENCE_ELEMENTS
            if self.cleaned_data.get(f"difference_{element.value}", "").strip()
        ]

    def decision_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "credits_granted": data.get("credits_granted"),
            "counts_towards": data.get("counts_towards", ""),
            "component_replaced": data.get("component_replaced", ""),
            "differences": self.differences(),
            "compensatory_measures": data.get("compensatory_measures", ""),
            "reasons": data.get("reasons", ""),
        }


class AppealDecisionForm(DecisionForm):
    """The appeal's outcome; when the decision changes, the fields of the new decision."""

    appeal_outcome = forms.ChoiceField(
        label=_("Appeal outcome"), choices=AppealOutcome.choices, widget=forms.RadioSelect
    )
    appeal_reasons = forms.CharField(
        label=_("Reasons for the appeal decision"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].required = False
        self.fields["outcome"].label = _("New decision (if it changes)")

    def main_fields(self) -> list[Any]:
        return [
            field
            for field in super().main_fields()
            if field.name not in ("appeal_outcome", "appeal_reasons")
        ]

    def appeal_arguments(self) -> dict[str, Any]:
        arguments = self.decision_arguments()
        return {
            "outcome": self.cleaned_data["appeal_outcome"],
            "reasons": self.cleaned_data["appeal_reasons"],
            "new_outcome": arguments.pop("outcome") or "",
            **{k: v for k, v in arguments.items() if k != "reasons"},
        }


class QuestionForm(AccessibleErrorsMixin, forms.Form):
    question = forms.CharField(
        label=_("What do you need from the learner?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(AccessibleErrorsMixin, forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(
        label=_("Attachments"), help_text=_("PDF, PNG or JPEG, at most 5 MB each.")
    )


class AppealForm(AccessibleErrorsMixin, forms.Form):
    grounds = forms.CharField(
        label=_("Why should the decision change?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReviewForm(AccessibleErrorsMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class AgreementForm(AccessibleErrorsMixin, forms.Form):
    target = forms.TypedChoiceField(label=_("Course or module"), coerce=int)
    programme = forms.ChoiceField(label=_("Programme (micro-credential)"))
    ects = forms.DecimalField(
        label=_("ECTS credits recognised"), min_value=Decimal("0.5"), max_value=Decimal("60")
    )
    from_version = forms.IntegerField(
        label=_("From programme version"), required=False, min_value=1
    )
    minimum_grade = forms.CharField(label=_("Minimum grade"), required=False, max_length=20)
    alliance = forms.ChoiceField(label=_("Recorded on behalf of the alliance"), required=False)
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        targets: list[tuple[int, str]],
        programmes: list[tuple[str, str]],
        alliances: list[tuple[str, str]],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        for name, choices in (
            ("target", targets),
            ("programme", programmes),
            ("alliance", [("", _("No: the institution itself")), *alliances]),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
