"""Rules of the VC Data Model 2.0 that a credential must meet before it is signed, beyond the
shape every verifier checks (credential_format.verification.document): the properties whose
objects must say their type, schemas and statuses named by URL, subjects that state a claim,
and related resources that carry a digest. The VC-API issuer refuses a credential that breaks
one, naming each problem.
"""

from __future__ import annotations

import re
from typing import Any

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
TYPED_PROPERTIES = (
    "credentialStatus",
    "credentialSchema",
    "termsOfUse",
    "evidence",
    "refreshService",
)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and bool(_URL.match(value))


def _has_type(item: dict[str, Any]) -> bool:
    kinds = item.get("type")
    return bool(kinds) and all(isinstance(kind, str) and kind for kind in _as_list(kinds))


def data_model_problems(credential: dict[str, Any]) -> list[str]:
    """What breaks the data model's rules, in plain words; empty when nothing does."""
    problems: list[str] = []
    for subject in _as_list(credential.get("credentialSubject")):
        if isinstance(subject, dict) and not subject:
            problems.append("a credentialSubject states no claim")
    for name in TYPED_PROPERTIES:
        if name not in credential:
            continue
        for item in _as_list(credential[name]):
            if not isinstance(item, dict) or not _has_type(item):
                problems.append(f"each {name} must be an object with a type")
            elif name == "credentialSchema" and not _is_url(item.get("id")):
                problems.append("each credentialSchema must name its schema by a URL id")
            elif name == "credentialStatus" and "id" in item and not _is_url(item["id"]):
                problems.append("a credentialStatus id must be a single URL")
    if "relatedResource" in credential:
        seen: set[str] = set()
        for resource in _as_list(credential["relatedResource"]):
            if not isinstance(resource, dict):
                problems.append("each relatedResource must be an object")
                continue
            resource_id = resource.get("id")
            if not isinstance(resource_id, str) or not _is_url(resource_id):
                problems.append("each relatedResource must have a URL id")
            elif resource_id in seen:
                problems.append(f"the relatedResource {resource_id} is listed twice")
            else:
                seen.add(resource_id)
            if "digestSRI" not in resource and "digestMultibase" not in resource:
                problems.append("each relatedResource must carry a digestSRI or digestMultibase")
    return list(dict.fromkeys(problems))
