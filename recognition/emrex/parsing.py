"""Reading an EMREX ELMO transcript of records: the learner, each report's issuer and its
learning opportunities (the whole tree flattened), and the XML signature when there is one.

The XML is parsed without DTDs, entities or network access. A signed transcript
(``ds:Signature``, enveloped, with the signer's X.509 certificate in ``KeyInfo``) is checked
with signxml against that certificate: an intact signature proves the document was not changed
since the holder of that certificate signed it; whose certificate it is is for the officer to
judge (the signer's subject is shown).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree
from signxml import XMLVerifier
from signxml.exceptions import InvalidInput, InvalidSignature

ELMO_NAMESPACE = "https://github.com/emrex-eu/elmo-schemas/tree/v1"
DSIG_NAMESPACE = "http://www.w3.org/2000/09/xmldsig#"
NS = {"e": ELMO_NAMESPACE, "ds": DSIG_NAMESPACE}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_DEPTH = 8


class ElmoError(ValueError):
    """Not an ELMO document the portal can read."""


@dataclass
class Transcript:
    learner_name: str
    signature: str  # "valid", "invalid", "unsigned"
    signer: str = ""
    learning_opportunities: list[dict[str, Any]] = field(default_factory=list)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )


def _title(element: etree._Element, name: str = "title") -> str:
    titles = element.findall(f"e:{name}", NS)
    english = [t for t in titles if t.get(XML_LANG, "").lower().startswith("en")]
    chosen = (english or titles or [None])[0]
    return (chosen.text or "").strip() if chosen is not None else ""


def _decimal(text: str | None) -> str | None:
    try:
        return str(Decimal((text or "").strip())) if text and text.strip() else None
    except InvalidOperation:
        return None


def _instance(specification: etree._Element) -> dict[str, Any]:
    instance = specification.find("e:specifies/e:learningOpportunityInstance", NS)
    if instance is None:
        return {}
    ects = next(
        (
            _decimal(credit.findtext("e:value", namespaces=NS))
            for credit in instance.findall("e:credit", NS)
            if (credit.findtext("e:scheme", namespaces=NS) or "").strip().lower() == "ects"
        ),
        None,
    )
    eqf = next(
        (
            (level.findtext("e:value", namespaces=NS) or "").strip()
            for level in instance.findall("e:level", NS)
            if (level.findtext("e:type", namespaces=NS) or "").strip().upper() == "EQF"
        ),
        "",
    )
    term = instance.find("e:academicTerm", NS)
    distribution = {
        category.get("label", ""): int(category.get("count", "0") or 0)
        for category in instance.findall("e:resultDistribution/e:category", NS)
        if (category.get("count", "0") or "0").isdigit()
    }
    return {
        "status": (instance.findtext("e:status", namespaces=NS) or "").strip(),
        "date": (instance.findtext("e:date", namespaces=NS) or "").strip(),
        "term": _title(term) if term is not None else "",
        "grade": (instance.findtext("e:resultLabel", namespaces=NS) or "").strip(),
        "grading_scheme": (
            instance.findtext("e:gradingSchemeLocalId", namespaces=NS) or ""
        ).strip(),
        "ects": ects,
        "eqf": eqf,
        "result_distribution": distribution,
    }


def _walk(
    specification: etree._Element, issuer: dict[str, Any], depth: int, found: list[dict[str, Any]]
) -> None:
    if depth > MAX_DEPTH:
        raise ElmoError("The learning opportunities are nested too deeply.")
    identifiers = {
        identifier.get("type", ""): (identifier.text or "").strip()
        for identifier in specification.findall("e:identifier", NS)
    }
    found.append(
        {
            **issuer,
            "title": _title(specification),
            "code": identifiers.get("local", ""),
            "type": (specification.findtext("e:type", namespaces=NS) or "").strip(),
            "isced": (specification.findtext("e:iscedCode", namespaces=NS) or "").strip(),
            **_instance(specification),
        }
    )
    for child in specification.findall("e:hasPart/e:learningOpportunitySpecification", NS):
        _walk(child, issuer, depth + 1, found)


def _signature(document: bytes, root: etree._Element) -> tuple[str, str]:
    signature = root.find("ds:Signature", NS)
    if signature is None:
        return "unsigned", ""
    certificate_text = signature.findtext(".//ds:X509Certificate", namespaces=NS)
    if not certificate_text:
        return "invalid", ""
    try:
        der = base64.b64decode("".join(certificate_text.split()))
        certificate = x509.load_der_x509_certificate(der)
        pem = certificate.public_bytes(Encoding.PEM)
        XMLVerifier().verify(document, x509_cert=pem.decode())
    except (InvalidSignature, InvalidInput, ValueError):
        return "invalid", ""
    return "valid", certificate.subject.rfc4514_string()


def read_elmo(document: bytes) -> Transcript:
    try:
        root = etree.fromstring(document, _parser())
    except etree.XMLSyntaxError as error:
        raise ElmoError(f"Not well-formed XML: {error}") from error
    if root.tag != f"{{{ELMO_NAMESPACE}}}elmo":
        raise ElmoError("Not an EMREX ELMO document (root element elmo of the ELMO namespace).")
    learner = root.find("e:learner", NS)
    name = ""
    if learner is not None:
        name = " ".join(
            part
            for part in (
                (learner.findtext("e:givenNames", namespaces=NS) or "").strip(),
                (learner.findtext("e:familyName", namespaces=NS) or "").strip(),
            )
            if part
        )
    found: list[dict[str, Any]] = []
    for report in root.findall("e:report", NS):
        issuer_element = report.find("e:issuer", NS)
        issuer = {
            "issuer": _title(issuer_element) if issuer_element is not None else "",
            "country": (report.findtext("e:issuer/e:country", namespaces=NS) or "").strip(),
            "identifiers": {
                identifier.get("type", ""): (identifier.text or "").strip()
                for identifier in report.findall("e:issuer/e:identifier", NS)
            },
        }
        for specification in report.findall("e:learningOpportunitySpecification", NS):
            _walk(specification, issuer, 1, found)
    if not found:
        raise ElmoError("The transcript lists no learning opportunity.")
    signature, signer = _signature(document, root)
    return Transcript(
        learner_name=name, signature=signature, signer=signer, learning_opportunities=found
    )
