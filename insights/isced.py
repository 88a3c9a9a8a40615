"""ISCED-F 2013 broad fields of education and training (UNESCO Institute for Statistics).

Programmes carry a 2-, 3- or 4-digit ISCED-F code; the observatory groups them by the broad
field, the first two digits.
"""

from django.utils.translation import gettext_lazy as _

BROAD_FIELDS = {
    "00": _("Generic programmes and qualifications"),
    "01": _("Education"),
    "02": _("Arts and humanities"),
    "03": _("Social sciences, journalism and information"),
    "04": _("Business, administration and law"),
    "05": _("Natural sciences, mathematics and statistics"),
    "06": _("Information and communication technologies"),
    "07": _("Engineering, manufacturing and construction"),
    "08": _("Agriculture, forestry, fisheries and veterinary"),
    "09": _("Health and welfare"),
    "10": _("Services"),
}


def broad_field(code: str) -> str:
    return str(BROAD_FIELDS.get(code[:2], _("Not stated")))
