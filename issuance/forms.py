from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the learner will see it)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
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
