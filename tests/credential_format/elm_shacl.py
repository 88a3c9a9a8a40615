"""Validating an ELM document the way the Commission's tools do: the JSON-LD expanded to RDF by
an independent processor (PyLD) with the official `edc-ap` context, then checked by pySHACL
against the official EDC generic shapes, controlled vocabularies included (`EDC-generic-full`).

Everything comes from `elm_official/` (and the W3C VC 1.1 context): no network."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pyshacl
import rdflib
from pyld import jsonld

OFFICIAL = Path(__file__).parent / "elm_official"
W3C_CREDENTIALS_V1 = (
    Path(__file__).resolve().parents[2] / "credential_format" / "contexts" / "credentials-v1.jsonld"
)
CONTEXTS = {
    "https://www.w3.org/2018/credentials/v1": W3C_CREDENTIALS_V1,
    "http://data.europa.eu/snb/model/context/edc-ap": OFFICIAL / "edc-ap-context.jsonld",
}


def _loader(url: str, options: Any = None) -> dict[str, Any]:
    if url not in CONTEXTS:
        raise jsonld.JsonLdError(f"No offline copy of {url}", "loading document failed")
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(CONTEXTS[url].read_text(encoding="utf-8")),
    }


@cache
def _shapes(with_vocabularies: bool) -> rdflib.Graph:
    shapes = rdflib.Graph()
    shapes.parse(OFFICIAL / "EDC-generic-no-cv.ttl")
    if with_vocabularies:
        # EDC-generic-full imports the generic shapes by IRI; both are loaded here instead.
        shapes.parse(OFFICIAL / "EDC-generic-full.ttl")
    return shapes


def to_graph(document: dict[str, Any]) -> rdflib.Graph:
    quads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": _loader})
    graph = rdflib.Graph()
    graph.parse(data=quads, format="nt")  # only the default graph: N-Triples
    return graph


def violations(document: dict[str, Any], *, with_vocabularies: bool = True) -> list[str]:
    """The shapes' results (violations and warnings), one line each: empty means conformant."""
    _, report, _ = pyshacl.validate(
        to_graph(document),
        shacl_graph=_shapes(with_vocabularies),
        inference="none",
        do_owl_imports=False,
        allow_warnings=False,
    )
    shacl = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    return sorted(
        f"{report.value(result, shacl.focusNode)} {report.value(result, shacl.resultPath)}: "
        f"{report.value(result, shacl.resultMessage)}"
        for result in report.subjects(rdflib.RDF.type, shacl.ValidationResult)
    )


def official_sample() -> dict[str, Any]:
    return json.loads((OFFICIAL / "Sample-MC-Annex1-unsigned.jsonld").read_text(encoding="utf-8"))
