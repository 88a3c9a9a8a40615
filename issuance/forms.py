from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the learner will see it)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
