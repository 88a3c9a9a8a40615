"""Institution names that imitate another institution's (Unicode look-alikes) are refused when
an institution is registered or renamed: through the API, the staff page and the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alliances import services
from alliances.confusables import confusable, skeleton
from alliances.models import Institution

pytestmark = pytest.mark.django_db

CYRILLIC_O = "\u043e"  # looks like "o"
GREEK_CAPITAL_A = "\u0391"  # looks like "A"


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("University of Twente", f"University {CYRILLIC_O}f Twente", True),
        ("Universitat A", f"Universitat {GREEK_CAPITAL_A}", True),
        ("Universitat A", "UNIVERSITAT  A.", True),
        ("Universität Wien", "Universitat Wien", True),
        ("Universitat A", "Universitat B", False),
        (
            "University of Twente",
            "University of Twente",
            False,
        ),  # the same name is not a look-alike
    ],
)
def test_look_alike_names(first, second, same):
    assert confusable(first, second) is same
    assert skeleton(f"Twent{CYRILLIC_O}") == skeleton("Twento")


def test_an_institution_cannot_be_renamed_to_a_look_alike_through_the_api(
    api_as, charlie, institution_a, institution_b
):
    response = api_as(charlie).patch(
        f"/api/v1/institutions/{institution_b.slug}/",
        {"legal_name": f"Universitat {GREEK_CAPITAL_A}"},
        format="json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    institution_b.refresh_from_db()
    assert institution_b.legal_name != f"Universitat {GREEK_CAPITAL_A}"


def test_a_look_alike_member_cannot_be_registered(olga, alliance, institution_a):
    from portal.errors import DomainError

    with pytest.raises(DomainError, match="looks like"):
        services.create_institution(
            actor=olga,
            alliance=alliance,
            legal_name=f"Universitat {GREEK_CAPITAL_A}",
            slug="fake-a",
            role="partner",
            short_name="UA2",
            country="ES",
        )
    assert not Institution.objects.filter(slug="fake-a").exists()


def test_the_staff_page_shows_a_form_error_for_a_look_alike(
    as_user, alice, institution_a, institution_b
):
    url = reverse("alliances:institution_edit", args=["uni-a"])
    form = as_user(alice).get(url).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["legal_name"] = "Universitat \u0412"  # a Cyrillic capital Ve for the "B"
    page = as_user(alice).post(url, data)
    assert page.status_code in (200, 400)
    assert "looks like the name of another institution" in page.content.decode()
    institution_a.refresh_from_db()
    assert institution_a.legal_name == "Universitat A"


def test_the_admin_refuses_a_look_alike(as_user, oscar, institution_a, institution_b):
    url = reverse("admin:alliances_institution_change", args=[institution_b.pk])
    page = as_user(oscar).get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["legal_name"] = f"Universitat {GREEK_CAPITAL_A}"
    response = as_user(oscar).post(url, data)
    assert response.status_code == 200
    assert "looks like the name of another institution" in response.content.decode()
