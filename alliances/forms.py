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
            "pic",
            "legal_identifier",
            "nuts_region",
            "main_language",
            "time_zone",
            "qa_accrediting_body",
            "qa_procedures",
            "qa_reports_url",
        ]
        widgets = {"qa_procedures": forms.Textarea(attrs={"rows": 5})}


class InstitutionLogoForm(forms.Form):
    logo = forms.FileField(
        label=_("Logo"),
        help_text=_(
            "PNG, JPEG or WebP, at most 1 MB. Shown on the institution's pages, its programmes, "
            "shared credentials and certificates."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
