from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.errors import DomainError
from verification.documents import check_upload_size


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
