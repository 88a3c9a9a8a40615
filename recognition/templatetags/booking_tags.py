"""The grade and booking part of a decision on the case and request pages."""

from __future__ import annotations

from typing import Any

from django import template

from recognition import permissions as recognition_permissions
from recognition.booking.models import CreditType
from recognition.grading.schemes import SCHEMES, default_scheme_for
from recognition.models import Decision

register = template.Library()


@register.inclusion_tag("recognition/_decision_booking.html", takes_context=True)
def decision_booking(context: dict[str, Any], decision: Decision) -> dict[str, Any]:
    user = context["request"].user
    case = decision.request
    officer = recognition_permissions.can_assess_recognition_request(user, case)
    final = decision.recognises and decision.final_at is not None
    return {
        "csrf_token": context.get("csrf_token"),
        "decision": decision,
        "grade": getattr(decision, "grade", None),
        "booking": getattr(decision, "booking", None),
        "officer": officer,
        "may_convert": officer and decision.recognises,
        "may_prepare": officer and final and case.final_decision_id == decision.pk,
        "schemes": [(scheme.code, scheme.name) for scheme in SCHEMES.values()],
        "default_scheme": default_scheme_for(str(case.institution.country)),
        "credit_types": CreditType.choices,
    }
