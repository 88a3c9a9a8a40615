"""Forms of the wallet, the verify page, the seal upload and the account's data pages."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from issuance.imports import check_upload_size
from portal.errors import DomainError


class CredentialTextForm(forms.Form):
    """A credential (or presentation) as a file or as pasted JSON."""

    document = forms.CharField(
        label=_("Paste the credential (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
    )
    file = forms.FileField(label=_("…or upload the file"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        if upload is not None:
            try:
                check_upload_size(upload.size)
            except DomainError as error:
                raise forms.ValidationError(error.message) from error
            cleaned["data"] = upload.read()
        elif cleaned.get("document", "").strip():
            data = cleaned["document"].strip().encode("utf-8")
            try:
                check_upload_size(len(data))
            except DomainError as error:
                raise forms.ValidationError(error.message) from error
            cleaned["data"] = data
        else:
            raise forms.ValidationError(_("Paste the credential or choose its file."))
        return cleaned


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


class SealUploadForm(forms.Form):
    pkcs12 = forms.FileField(
        label=_("Seal certificate and key (PKCS#12, .p12 or .pfx)"),
        help_text=_("The file your trust service provider gave you for electronic seals."),
    )
    password = forms.CharField(
        label=_("Password of the file"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class DeleteAccountForm(forms.Form):
    confirmation = forms.CharField(
        label=_("Type your e-mail address to confirm"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
