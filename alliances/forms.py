from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.models import Institution, InstitutionRole


class InviteStaffForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label=_("Role"), choices=InstitutionRole.choices)


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = [
            "legal_name",
            "short_name",
            "country",
            "city",
            "kind",
            "website",
            "schac_home_organization",
            "erasmus_code",
            "main_language",
            "qa_accrediting_body",
            "qa_procedures",
            "qa_reports_url",
        ]
        widgets = {"qa_procedures": forms.Textarea(attrs={"rows": 5})}
