from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from alliances import permissions
from alliances.permissions import MENTOR, roles_of
from catalogue import permissions as catalogue_permissions
from catalogue import selectors
from catalogue.forms import language_name
from catalogue.models import GradingScheme, QFEHEACycle, Stackability, SupervisionVerification
from catalogue.texts import LocalizedText, pick_language

register = template.Library()


@register.filter
def localized(language_map: Any) -> LocalizedText:
    """`{{ snapshot.title|localized }}`: the text in the active language, else English;
    `{% with t=x|localized %}{{ t.fell_back }}` tells whether it fell back."""
    return pick_language(language_map, translation.get_language())


@register.filter
def text_fields_of(form: Any, name: str) -> list[Any]:
    """The per-language fields of one multilingual element of a programme form."""
    return list(form.text_fields(name))


@register.simple_tag
def select_options(bound_field: Any) -> SafeString:
    """The <option> list of a choice field, built in Python: the catalogue filters have
    hundreds of options, and rendering each through widget templates costs tens of ms."""
    value = bound_field.value()
    selected = {str(item) for item in value} if isinstance(value, list) else {str(value or "")}
    options = (
        '<option value="{}"{}>{}</option>'.format(
            escape(choice), " selected" if str(choice) in selected else "", escape(label)
        )
        for choice, label in bound_field.field.choices
    )
    return mark_safe("".join(options))  # noqa: S308 (every value and label is escaped above)


@register.simple_tag
def language_label(code: str) -> str:
    return language_name(code)


@register.simple_tag
def supervision_label(value: str) -> str:
    return str(dict(SupervisionVerification.choices).get(value, "—"))


@register.simple_tag
def cycle_label(value: str) -> str:
    return str(dict(QFEHEACycle.choices).get(value, value))


@register.simple_tag
def grading_label(value: str) -> str:
    return str(dict(GradingScheme.choices).get(value, value))


@register.simple_tag
def stackability_label(value: str) -> str:
    return str(dict(Stackability.choices).get(value, value))


@register.inclusion_tag("catalogue/_learner_panel.html", takes_context=True)
def catalogue_learner_panel(context: dict[str, Any]) -> dict[str, Any]:
    """The learner's enrolments and pathway progress, for the dashboard."""
    user = context["request"].user
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "enrolments": list(selectors.list_learner_enrolments(learner=user)),
        "progress": selectors.pathway_progress(learner=user),
    }


@register.inclusion_tag("catalogue/_staff_panel.html", takes_context=True)
def catalogue_staff_panel(context: dict[str, Any]) -> dict[str, Any]:
    """Links to programmes, approvals and offerings for programme staff."""
    user = context["request"].user
    if not (
        catalogue_permissions.programme_institution_ids_managed_by(user)
        or permissions.is_operator(user)
    ):
        return {
            "manages_programmes": False,
            "mentors": bool(roles_of(user).institutions_with(MENTOR)),
        }
    return {
        "manages_programmes": True,
        "approvals": selectors.list_approvals_waiting(user=user).count(),
        "offerings": selectors.list_offerings_delivered_by(user=user).count(),
    }


@register.simple_tag
def programmes_awarded_by(institution: Any) -> list[Any]:
    """The catalogue programmes an institution awards, for its public page (the institution
    page lives in a lower layer and cannot ask the catalogue itself)."""
    ids = list(
        selectors.search_catalogue_ids(selectors.CatalogueFilters(institution=institution.slug))[
            :100
        ]
    )
    return selectors.catalogue_rows(ids)


@register.inclusion_tag("catalogue/_work_based.html", takes_context=True)
def offering_work_based(context: dict[str, Any], offering: Any) -> dict[str, Any]:
    """The offering's mentors and challenge teams, with the forms to add them."""
    from alliances.models import Institution, OrganisationKind

    organisations = Institution.objects.filter(
        memberships__alliance_id=offering.programme.alliance_id,
        memberships__left_on__isnull=True,
    ).exclude(kind=OrganisationKind.UNIVERSITY)
    return {
        "csrf_token": context.get("csrf_token"),
        "offering": offering,
        "mentors": offering.mentors.select_related("mentor", "organisation"),
        "teams": offering.teams.select_related("provider").prefetch_related("members__learner"),
        "organisations": organisations.order_by("short_name"),
        "enrolled": offering.enrolments.filter(status="enrolled").select_related("learner"),
    }
