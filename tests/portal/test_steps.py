"""The shared page steps: a refusal is shown (on the form or as a message), only success
redirects, and nothing runs for an invalid form."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpResponse, HttpResponseRedirect
from django.test import RequestFactory

from portal.errors import DomainError
from portal.steps import button_step, form_status, form_step


class NameForm(forms.Form):
    name = forms.CharField()


def _request(data=None):
    request = RequestFactory().post("/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _messages(request):
    return [(m.level_tag, m.message) for m in get_messages(request)]


def test_form_step_redirects_with_the_result_on_success():
    request = _request()
    form = NameForm({"name": "Ada"})
    response = form_step(
        request,
        form,
        lambda: form.cleaned_data["name"].upper(),
        success=lambda name: f"Saved {name}.",
        then=lambda name: HttpResponseRedirect(f"/people/{name}/"),
    )
    assert response is not None
    assert response["Location"] == "/people/ADA/"
    assert _messages(request) == [("success", "Saved ADA.")]


def test_form_step_puts_the_refusal_on_the_named_field_and_does_not_redirect():
    request = _request()
    form = NameForm({"name": "Ada"})

    def refuse() -> None:
        raise DomainError("That name is taken.", field="name")

    response = form_step(request, form, refuse, success="Saved.", then=HttpResponse())
    assert response is None
    assert form.errors == {"name": ["That name is taken."]}
    assert form_status(form) == 400
    assert _messages(request) == []


def test_form_step_shows_a_refusal_for_an_unknown_field_above_the_form():
    form = NameForm({"name": "Ada"})

    def refuse() -> None:
        raise DomainError("Not now.", field="not_on_this_form")

    assert form_step(_request(), form, refuse, success="Saved.", then=HttpResponse()) is None
    assert form.non_field_errors() == ["Not now."]


def test_form_step_does_not_call_the_service_for_an_invalid_or_unbound_form():
    calls = []
    for form in (NameForm({}), NameForm()):
        response = form_step(
            _request(), form, lambda: calls.append(1), success="Saved.", then=HttpResponse()
        )
        assert response is None
    assert calls == []
    assert form_status(NameForm()) == 200
    assert form_status(NameForm({})) == 400


def test_button_step_reports_success_or_refusal_and_redirects_either_way():
    done = _request()
    response = button_step(done, lambda: None, success="Done.", then=HttpResponseRedirect("/a/"))
    assert response["Location"] == "/a/"
    assert _messages(done) == [("success", "Done.")]

    refused = _request()

    def refuse() -> None:
        raise DomainError("Not allowed now.")

    response = button_step(refused, refuse, success="Done.", then=HttpResponseRedirect("/a/"))
    assert response["Location"] == "/a/"
    assert _messages(refused) == [("error", "Not allowed now.")]
