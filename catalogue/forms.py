"""Forms of the catalogue pages. They parse input only; the services decide."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.text import slugify
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance, Institution
from catalogue.models import (
    CredentialRelease,
    GradingScheme,
    ParticipationForm,
    Pathway,
    PathwayRule,
    Programme,
    QFEHEACycle,
    ResultOutcome,
    Skill,
    Stackability,
    SupervisionVerification,
)
from catalogue.services import LANGUAGE_MAP_FIELDS, OutcomeInput

# Languages of instruction offered in forms: the EU's official languages plus those of
# the demo institutions outside it.
INSTRUCTION_LANGUAGES = [
    "en", "bg", "ca", "cs", "da", "de", "el", "es", "et", "eu", "fi", "fr", "ga", "hr", "hu",
    "it", "lt", "lv", "mt", "nb", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
]  # fmt: skip


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def language_choices() -> list[tuple[str, str]]:
    return _language_choices_in(get_language())


@lru_cache(maxsize=16)
def _language_choices_in(active_language: str | None) -> list[tuple[str, str]]:
    return [(code, f"{language_name(code)} ({code})") for code in INSTRUCTION_LANGUAGES]


class AccessibleErrorsMixin:
    """Tie each field's error message to its input with aria-describedby/aria-invalid, so
    screen readers announce the error with the field."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name not in self.fields:  # type: ignore[attr-defined]
                continue
            bound = self[name]  # type: ignore[index]
            widget = self.fields[name].widget  # type: ignore[attr-defined]
            described = [f"{bound.auto_id}_errors"]
            if self.fields[name].help_text:  # type: ignore[attr-defined]
                described.append(f"{bound.auto_id}_helptext")
            widget.attrs["aria-describedby"] = " ".join(described)
            widget.attrs["aria-invalid"] = "true"


class StartForm(AccessibleErrorsMixin, forms.Form):
    """What starts a programme or a pathway: whose it is, in which alliance, and its name."""

    institution_field = "coordinator"
    # The model whose `slug` must be unique (the page address).
    slug_model: Any = Programme
    alliance = forms.ModelChoiceField(label=_("Alliance"), queryset=Alliance.objects.none())
    title_en = forms.CharField(label=_("Title in English"), max_length=300)
    slug = forms.SlugField(
        label=_("Page address"),
        max_length=80,
        required=False,
        help_text=_(
            "Made from the English title; change it if you like (lower-case letters, digits "
            "and hyphens)."
        ),
        widget=forms.TextInput(attrs={"data-slug-from": "id_title_en"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("slug") and cleaned.get("title_en") and "slug" not in self.errors:
            cleaned["slug"] = self.free_slug(cleaned["title_en"])
            if not cleaned["slug"]:
                self.add_error(
                    "slug", _("Write the page address: the title has no letters to make one.")
                )
        return cleaned

    def free_slug(self, title: str) -> str:
        """A page address made from the title, with a number added when it is taken."""
        base = re.sub(r"[-_]+", "-", slugify(title))[:72].strip("-")
        if not base:
            return ""
        candidate, number = base, 2
        while self.slug_model.objects.filter(slug=candidate).exists():
            candidate, number = f"{base}-{number}", number + 1
        return candidate

    def __init__(self, *args: Any, institutions: Any, alliances: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.institution_field].queryset = institutions  # type: ignore[attr-defined]
        self.fields["alliance"].queryset = alliances  # type: ignore[attr-defined]
        self.order_fields([self.institution_field])


class ProgrammeStartForm(StartForm):
    coordinator = forms.ModelChoiceField(
        label=_("Coordinating institution"), queryset=Institution.objects.none()
    )


class ProgrammeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        title = obj.published_version.title_en if obj.published_version else obj.slug
        return f"{title} ({obj.coordinator.short_name}, {obj.alliance.name})"


class PathwayForm(StartForm):
    """A pathway stacks published programmes of one alliance into a larger credential."""

    institution_field = "owner"
    slug_model = Pathway
    owner = forms.ModelChoiceField(
        label=_("Owning institution"), queryset=Institution.objects.none()
    )
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    programmes = ProgrammeChoiceField(
        label=_("Programmes"),
        queryset=Alliance.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Published programmes of the chosen alliance."),
    )
    rule = forms.ChoiceField(
        label=_("Rule"), choices=PathwayRule.choices, widget=forms.RadioSelect, initial="all"
    )
    required_count = forms.IntegerField(
        label=_("Programmes needed"),
        required=False,
        min_value=1,
        help_text=_("For the rule “a number of the programmes”."),
    )
    min_ects = forms.DecimalField(
        label=_("Minimum ECTS credits"),
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal("999"),
        decimal_places=1,
        help_text=_("Required by the ECTS rule; optional with the others."),
    )

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programmes"].queryset = programmes  # type: ignore[attr-defined]


class ProgrammeForm(AccessibleErrorsMixin, forms.Form):
    """Every element of the Council Recommendation; text fields once per required
    language (English and the coordinator's language)."""

    ects = forms.DecimalField(
        label=_("Notional workload in ECTS credits"),
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal("60"),
        decimal_places=1,
        help_text=_("1 ECTS credit is 25 to 30 hours of learner work."),
    )
    workload_hours = forms.IntegerField(
        label=_("Notional workload in hours"), required=False, min_value=1, max_value=1800
    )
    eqf_level = forms.TypedChoiceField(
        label=_("EQF level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(level, str(level)) for level in range(1, 9)],
    )
    qf_ehea_cycle = forms.ChoiceField(
        label=_("QF-EHEA cycle"),
        required=False,
        choices=[("", _("Not applicable")), *list(QFEHEACycle.choices)],
    )
    participation_form = forms.ChoiceField(
        label=_("Form of participation"),
        required=False,
        choices=[("", "—"), *list(ParticipationForm.choices)],
    )
    supervision = forms.ChoiceField(
        label=_("Supervision and identity verification during assessment"),
        required=False,
        choices=[("", _("Not stated")), *list(SupervisionVerification.choices)],
    )
    grading_scheme = forms.ChoiceField(label=_("Grading scheme"), choices=GradingScheme.choices)
    stackability = forms.ChoiceField(
        label=_("Integration and stackability"), choices=Stackability.choices
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages of instruction"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    isced_f_code = forms.RegexField(
        label=_("ISCED-F field"),
        required=False,
        regex=r"^\d{2,4}$",
        help_text=_("ISCED-F 2013 code: 2 to 4 digits, e.g. 0613."),
    )
    fee_amount = forms.DecimalField(
        label=_("Fee"), min_value=Decimal(0), decimal_places=2, initial=Decimal("0.00")
    )
    fee_currency = forms.RegexField(label=_("Currency"), regex=r"^[A-Z]{3}$", initial="EUR")
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner institutions"),
        required=False,
        queryset=Institution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    TEXT_FIELDS = [
        ("title", _("Title of the micro-credential"), forms.TextInput),
        ("summary", _("Summary for the catalogue"), forms.Textarea),
        ("assessment_type", _("Type of assessment"), forms.TextInput),
        ("quality_assurance", _("Type of quality assurance"), forms.Textarea),
        ("prerequisites", _("Prerequisites"), forms.Textarea),
        ("further_information", _("Further information"), forms.Textarea),
    ]
    OPTIONAL_TEXT = {"prerequisites", "further_information"}

    def __init__(
        self,
        *args: Any,
        languages: list[str],
        partner_choices: Any,
        required_languages: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.text_languages = languages
        required = languages if required_languages is None else required_languages
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]
        self.fields["partners"].queryset = partner_choices  # type: ignore[attr-defined]
        for name, label, widget in self.TEXT_FIELDS:
            for code in languages:
                attrs = {"rows": 3} if widget is forms.Textarea else {}
                optional = name in self.OPTIONAL_TEXT or code not in required
                suffix = f" ({_('optional')})" if optional else ""
                self.fields[f"{name}_{code}"] = forms.CharField(
                    label=f"{label} · {language_name(code)}{suffix}",
                    required=False,
                    widget=widget(attrs={**attrs, "lang": code}),
                )

    def text_fields(self, name: str) -> list[forms.BoundField]:
        return [self[f"{name}_{code}"] for code in self.text_languages]

    def service_data(self) -> dict[str, Any]:
        data = {
            name: self.cleaned_data[name]
            for name in (
                "ects",
                "workload_hours",
                "eqf_level",
                "qf_ehea_cycle",
                "participation_form",
                "supervision",
                "grading_scheme",
                "stackability",
                "languages",
                "isced_f_code",
                "fee_amount",
                "fee_currency",
            )
        }
        for name in LANGUAGE_MAP_FIELDS:
            data[name] = {
                code: self.cleaned_data.get(f"{name}_{code}", "") for code in self.text_languages
            }
        return data

    @staticmethod
    def initial_for(programme: Any, languages: list[str]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(programme, name)
            for name in (
                "ects",
                "workload_hours",
                "eqf_level",
                "qf_ehea_cycle",
                "participation_form",
                "supervision",
                "grading_scheme",
                "stackability",
                "isced_f_code",
                "fee_amount",
                "fee_currency",
            )
        }
        initial["languages"] = programme.language_codes
        initial["partners"] = [link.institution for link in programme.partner_links.all()]
        for name in LANGUAGE_MAP_FIELDS:
            for code in languages:
                initial[f"{name}_{code}"] = getattr(programme, name).get(code, "")
        return initial


class OutcomeForm(AccessibleErrorsMixin, forms.Form):
    skills = forms.ModelMultipleChoiceField(
        label=_("ESCO skills"),
        required=False,
        queryset=Skill.objects.all(),
        to_field_name="uri",
        widget=forms.SelectMultiple(attrs={"size": 8, "data-skill-picker": ""}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.text_languages = languages
        for code in languages:
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Outcome · %(language)s") % {"language": language_name(code)},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "lang": code}),
            )

    def text_fields(self) -> list[forms.BoundField]:
        return [self[f"text_{code}"] for code in self.text_languages]

    def outcome(self) -> OutcomeInput | None:
        text = {code: self.cleaned_data.get(f"text_{code}", "") for code in self.text_languages}
        if not any(value.strip() for value in text.values()):
            return None
        return OutcomeInput(
            text=text, skill_uris=[skill.uri for skill in self.cleaned_data["skills"]]
        )


OutcomeFormSet = formset_factory(OutcomeForm, extra=2, max_num=20, absolute_max=20)


def outcome_initial(programme: Any, languages: list[str]) -> list[dict[str, Any]]:
    return [
        {
            **{f"text_{code}": outcome.text.get(code, "") for code in languages},
            "skills": [skill.uri for skill in outcome.skills.all()],
        }
        for outcome in programme.learning_outcomes.all()
    ]


class OfferingForm(AccessibleErrorsMixin, forms.Form):
    code = forms.SlugField(
        label=_("Reference"),
        max_length=60,
        help_text=_("Short unique reference used in result uploads, e.g. data-literacy-2026-s."),
    )
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    enrolment_opens_on = forms.DateField(
        label=_("Enrolment opens on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    enrolment_closes_on = forms.DateField(
        label=_("Enrolment closes on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100_000)
    language = forms.ChoiceField(label=_("Language of instruction"))
    credential_release = forms.TypedChoiceField(
        label=_("Credentials"),
        choices=CredentialRelease.choices,
        initial=CredentialRelease.ON_SAVE,
        required=False,
        empty_value=CredentialRelease.ON_SAVE,
        help_text=_(
            "Hold for staff release to review the results first: passes then wait until someone "
            "issues them on the offering's issuing page."
        ),
    )
    delivery_institutions = forms.ModelMultipleChoiceField(
        label=_("Delivering institutions"),
        queryset=Institution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        languages: list[str],
        institutions: Any,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [(code, language_name(code)) for code in languages]  # type: ignore[attr-defined]
        self.fields["delivery_institutions"].queryset = institutions  # type: ignore[attr-defined]
        if editing:
            del self.fields["code"]

    def service_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in (
                "starts_on",
                "ends_on",
                "enrolment_opens_on",
                "enrolment_closes_on",
                "capacity",
                "language",
                "credential_release",
            )
        }


class ResultForm(AccessibleErrorsMixin, forms.Form):
    enrolment = forms.TypedChoiceField(label=_("Learner"), coerce=int)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ResultOutcome.choices)
    grade = forms.CharField(label=_("Grade"), required=False, max_length=20)
    assessed_on = forms.DateField(
        label=_("Assessment date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    identity_verified = forms.BooleanField(label=_("Identity verified"), required=False)

    def __init__(self, *args: Any, enrolments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].choices = [  # type: ignore[attr-defined]
            (enrolment.pk, f"{enrolment.learner.display_name} <{enrolment.learner.email}>")
            for enrolment in enrolments
        ]


class ResultUploadForm(AccessibleErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("Results file (CSV)"),
        help_text=_(
            "Columns: offering, learner_email, outcome (passed or failed), grade, "
            "assessed_on (YYYY-MM-DD or DD/MM/YYYY), identity_verified (yes or no). Excel's "
            "CSV files are read in any language, with commas or semicolons."
        ),
    )


class RequestChangesForm(AccessibleErrorsMixin, forms.Form):
    institution = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("What should change?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class CatalogueFilterForm(forms.Form):
    """Reads the catalogue page's query string; invalid values are ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    skill = forms.ChoiceField(label=_("Skill"), required=False)
    eqf = forms.TypedChoiceField(
        label=_("EQF level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any"))] + [(level, str(level)) for level in range(1, 9)],
    )
    ects_min = forms.DecimalField(label=_("ECTS from"), required=False, min_value=0, max_value=60)
    ects_max = forms.DecimalField(label=_("ECTS to"), required=False, min_value=0, max_value=60)
    language = forms.ChoiceField(label=_("Language"), required=False)
    form = forms.ChoiceField(
        label=_("Participation"),
        required=False,
        choices=[("", _("Any")), *list(ParticipationForm.choices)],
    )
    institution = forms.ChoiceField(label=_("Institution"), required=False)
    alliance = forms.ChoiceField(label=_("Alliance"), required=False)
    starts_from = forms.DateField(
        label=_("Starting from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, skills: Any, institutions: Any, alliances: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        anything = ("", _("Any"))
        choice_lists = {
            "skill": [anything, *skills],
            "institution": [anything, *institutions],
            "alliance": [anything, *alliances],
            "language": [anything, *language_choices()],
        }
        for name, choices in choice_lists.items():
            self.fields[name].choices = choices  # type: ignore[attr-defined]


class BadgeUploadForm(forms.Form):
    image = forms.FileField(
        label=_("Badge image (PNG, square, 64 to 2048 pixels)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png"}),
    )
