from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal import identity
from portal.models import NameChange, User


class SignupDetailsForm(forms.Form):
    """Extra fields on the sign-up page; the name appears on the learner's credentials."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        help_text=_("As it should appear on your credentials."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])


class ProfileForm(forms.ModelForm):
    """The name goes through `portal.identity.change_name` (recorded, and approved by staff
    once the name is on credentials or in a recognition request)."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    name_change_reason = forms.CharField(
        label=_("Reason for a change of name"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = User
        fields = ["preferred_language"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        from django.conf import settings

        self.fields["full_name"].initial = self.instance.full_name
        self.name_change: NameChange | None = None

        self.fields["preferred_language"] = forms.ChoiceField(
            label=_("Preferred language"),
            choices=[("", _("Same as the site")), *list(settings.LANGUAGES)],
            required=False,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        new_name = " ".join(str(cleaned.get("full_name", "")).split())
        changing = bool(new_name) and new_name != self.instance.full_name
        if not changing or not identity.name_change_needs_approval(self.instance):
            return cleaned
        if identity.pending_name_change(self.instance) is not None:
            self.add_error("full_name", _("A change of your name is already waiting for approval."))
        elif not str(cleaned.get("name_change_reason", "")).strip():
            self.add_error(
                "name_change_reason",
                _(
                    "Your name appears on credentials or in a recognition request: give a "
                    "reason; the change takes effect once staff approve it."
                ),
            )
        return cleaned

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=commit)
        if not " ".join(str(self.cleaned_data.get("full_name", "")).split()):
            return user
        self.name_change = identity.change_name(
            user=user,
            new_name=self.cleaned_data["full_name"],
            reason=self.cleaned_data.get("name_change_reason", ""),
        )
        user.refresh_from_db(fields=["full_name"])
        return user


class DeleteAccountForm(forms.Form):
    confirmation = forms.CharField(
        label=_("Type your e-mail address to confirm"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
