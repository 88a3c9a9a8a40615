from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.errors import DomainError
from verification.documents import check_upload_size


class CredentialTextForm(forms.Form):
    """A credential (or presentation) as a file or as pasted JSON."""

    # The verify page also takes a link; the wallet's import form does not.
    accepts_links = False

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
        elif self.accepts_links and cleaned.get("url", "").strip():
            cleaned["data"] = None
        elif cleaned.get("document", "").strip():
            data = cleaned["document"].strip().encode("utf-8")
            try:
                check_upload_size(len(data))
            except DomainError as error:
                raise forms.ValidationError(error.message) from error
            cleaned["data"] = data
        elif self.accepts_links:
            raise forms.ValidationError(
                _("Paste the credential, choose its file or image, or give its link.")
            )
        else:
            raise forms.ValidationError(_("Paste the credential or choose its file."))
        return cleaned


class VerifySourceForm(CredentialTextForm):
    """The verify page: pasted JSON, a file (JSON, a baked badge or a picture of a QR code)
    or a link to the credential."""

    accepts_links = True
    file = forms.FileField(
        label=_("…or upload the file, a baked badge image (PNG, SVG) or a picture of its QR code"),
        required=False,
    )
    url = forms.CharField(
        label=_("…or give the link to it (a share link, a check page, a credential's address)"),
        required=False,
        max_length=2_000,
        widget=forms.URLInput(attrs={"autocomplete": "off"}),
    )
