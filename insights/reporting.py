"""Erasmus+ reporting exports: the participants of an offering with the fields the
Beneficiary Module asks for learner mobility and blended intensive programmes (BIP), as CSV.

Columns (docs/recognition.md, "Reporting"): the mobility id, activity type, field of
education (ISCED-F), the participant's e-mail and name, the sending organisation (the home
institution, known from the learner's recognition requests for this programme), the receiving
organisation and its country and Erasmus code, start and end date, duration in days, the
physical part (on-site or blended) and virtual part, ECTS credits, language, and the result.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from catalogue.models import Enrolment, EnrolmentStatus, Offering, ParticipationForm
from recognition.models import RecognitionRequest

COLUMNS = [
    "Mobility ID",
    "Activity type",
    "Field of education (ISCED-F)",
    "Participant e-mail",
    "Participant name",
    "Sending organisation",
    "Sending organisation Erasmus code",
    "Sending country",
    "Receiving organisation",
    "Receiving organisation Erasmus code",
    "Receiving country",
    "Start date",
    "End date",
    "Duration (days)",
    "Physical mobility",
    "Virtual component",
    "ECTS credits",
    "Language",
    "Result",
]


def activity_type(offering: Offering) -> str:
    """A blended offering of an alliance is a blended intensive programme (BIP, Erasmus+
    KA131: physical mobility of 5 to 30 days with a virtual component); online offerings are
    virtual exchanges, on-site ones short-term physical mobility."""
    form = offering.version.participation_form
    if form == ParticipationForm.BLENDED:
        return "Blended intensive programme (BIP)"
    if form == ParticipationForm.ONLINE:
        return "Virtual exchange"
    return "Short-term physical mobility"


def _home_institutions(offering: Offering) -> dict[int, Any]:
    """A learner's home institution: the institution they asked to recognise this
    programme (the latest request)."""
    requests = (
        RecognitionRequest.objects.filter(
            credentials__programme_version__programme_id=offering.programme_id
        )
        .select_related("institution")
        .order_by("received_at")
    )
    return {request.learner_id: request.institution for request in requests}


def mobility_rows(offering: Offering) -> Iterator[list[str]]:
    version = offering.version
    receiving = offering.programme.coordinator
    homes = _home_institutions(offering)
    enrolments = (
        Enrolment.objects.filter(offering=offering, status=EnrolmentStatus.ENROLLED)
        .select_related("learner")
        .order_by("pk")
    )
    results = {result.enrolment_id: result for result in offering.results.all()}
    duration = (offering.ends_on - offering.starts_on).days + 1
    form = version.participation_form
    for enrolment in enrolments:
        learner = enrolment.learner
        home = homes.get(learner.pk)
        result = results.get(enrolment.pk)
        yield [
            f"{offering.code}-{enrolment.pk}",
            activity_type(offering),
            offering.programme.isced_f_code,
            learner.email,
            learner.full_name,
            home.legal_name if home else "",
            home.erasmus_code if home else "",
            str(home.country) if home else "",
            receiving.legal_name,
            receiving.erasmus_code,
            str(receiving.country),
            offering.starts_on.isoformat(),
            offering.ends_on.isoformat(),
            str(duration),
            "yes" if form in (ParticipationForm.BLENDED, ParticipationForm.ONSITE) else "no",
            "yes" if form in (ParticipationForm.BLENDED, ParticipationForm.ONLINE) else "no",
            str(version.snapshot.get("workload", {}).get("ects", "")),
            offering.language,
            result.outcome if result else _("no result yet"),
        ]
