"""The official EMREX ELMO schema (vendored under data/elmo, see its README), loaded without
any network access: its imports by public address are mapped to the vendored files."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import xmlschema

ELMO = Path(__file__).parent / "data" / "elmo"
XML_XSD = Path(xmlschema.__file__).parent / "schemas" / "XML" / "xml.xsd"

VENDORED = {
    "https://raw.githubusercontent.com/emrex-eu/elmo-schemas/v1/references/xmldsig-core-schema.xsd": ELMO
    / "references"
    / "xmldsig-core-schema.xsd",
    "https://raw.githubusercontent.com/emrex-eu/elmo-schemas/v1/references/EUROPASS_ISOCountries_V1.1.xsd": ELMO
    / "references"
    / "EUROPASS_ISOCountries_V1.1.xsd",
    "https://raw.githubusercontent.com/erasmus-without-paper/ewp-specs-types-address/stable-v1/schema.xsd": ELMO
    / "ewp-address"
    / "schema.xsd",
    "https://raw.githubusercontent.com/erasmus-without-paper/ewp-specs-architecture/stable-v1/common-types.xsd": ELMO
    / "ewp-architecture"
    / "common-types.xsd",
    "http://www.w3.org/2001/03/xml.xsd": XML_XSD,
}


def _local(uri: str) -> str:
    return VENDORED[uri].as_uri() if uri in VENDORED else uri


@cache
def elmo_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(ELMO / "schema.xsd"), uri_mapper=_local, allow="local")
