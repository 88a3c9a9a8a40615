"""Public recognition pages: the index and each institution's procedure and statistics."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from alliances import permissions
from alliances.models import Institution
from recognition import selectors


def recognition_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "recognition/index.html",
        {"institutions": selectors.institutions_taking_requests()},
    )


def institution_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The institution's published procedure, targets and statistics."""
    institution = get_object_or_404(Institution, slug=slug)
    policy = selectors.policy_of(institution)
    return render(
        request,
        "recognition/institution.html",
        {
            "institution": institution,
            "policy": policy,
            "targets": selectors.list_public_targets(institution=institution),
            "stats": selectors.institution_statistics(institution=institution),
            "can_manage": permissions.can_manage_recognition_targets(request.user, institution.pk),
        },
    )
