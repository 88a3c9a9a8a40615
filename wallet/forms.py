"""Forms of the wallet: share links and wallet delivery."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ShareLinkForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the link"),
        max_length=120,
        help_text=_("For you only, e.g. “Application to Acme”."),
    )
    expires_on = forms.DateField(
        label=_("Expires on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The link stops working at the end of this day. You can revoke it any time."),
    )
    credentials = forms.MultipleChoiceField(
        label=_("Credentials to share"), widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["credentials"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices

    def expires_at(self) -> datetime | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day, time.max))


class WalletOfferForm(forms.Form):
    with_tx_code = forms.BooleanField(
        label=_("Protect with a one-time code that I type into the wallet"), required=False
    )


class PublicProfileForm(forms.Form):
    headline = forms.CharField(
        label=_("Headline (optional)"),
        max_length=160,
        required=False,
        help_text=_("Shown under your name, e.g. “Data engineer in training”."),
    )
    credentials = forms.MultipleChoiceField(
        label=_("Credentials to show"), widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["credentials"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices
