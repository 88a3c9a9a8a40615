"""Credentials signed and verified per second on one core, for a realistic OB 3.0 micro-credential.

Compares, in the same run: this library (shape-cached canonicalisation, batch signing), the plain
pyld path (full JSON-LD expansion for every credential) and Digital Bazaar's Node.js stack.

    python bench/vc_throughput.py                  # print the table
    python bench/vc_throughput.py --write-docs     # also update docs/benchmarks.md

Needs ``npm ci`` for the Node.js column (it is skipped otherwise).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY_ROOT))

from pyld import jsonld  # noqa: E402

from issuance.vc.builders import AwardingBody, build_micro_credential  # noqa: E402
from issuance.vc.canonical_cache import default_shape_cache  # noqa: E402
from issuance.vc.contexts import document_loader  # noqa: E402
from issuance.vc.jsonld import canonicalize  # noqa: E402
from issuance.vc.keys import (  # noqa: E402
    decode_base58btc_multibase,
    encode_base58btc_multibase,
)
from issuance.vc.signing import (  # noqa: E402
    Ed25519Signer,
    add_proof,
    sign_credentials,
    verify_proof,
)
from issuance.vc.verification import verify_credential  # noqa: E402
from tests.vc.sample_claims import micro_credential_claims  # noqa: E402

DOCS = REPOSITORY_ROOT / "docs" / "benchmarks.md"
NODE_SCRIPT = REPOSITORY_ROOT / "tests" / "interop" / "js" / "dbstack.mjs"
START_MARKER = "<!-- vc-throughput:start -->"
END_MARKER = "<!-- vc-throughput:end -->"
SEED = bytes([42]) * 32
CREATED = "2025-03-01T09:00:00Z"
FIRST_NAMES = ["Zoë", "Ana", "Łukasz", "Øystein", "Maëlle", "Jörg", "Sofía", "Αλέξανδρος"]


class InMemoryFetcher:
    def __init__(self, documents: dict[str, Any]) -> None:
        self.documents = documents

    def fetch_json(self, url: str) -> dict[str, Any]:
        return self.documents[url]


def realistic_credentials(count: int, signer: Ed25519Signer) -> list[dict[str, Any]]:
    """One programme, many learners: the shape repeats, every literal differs."""
    issuer = AwardingBody(signer.verification_method.split("#")[0], "Université de Leuven", "BE")
    credentials = []
    for index in range(count):
        claims = micro_credential_claims(
            learner_name=f"{FIRST_NAMES[index % len(FIRST_NAMES)]} Learner-{index}",
            issuer=issuer,
            status_index=None,
            credential_id=f"urn:uuid:00000000-0000-4000-8000-{index:012d}",
        )
        claims = dataclasses.replace(
            claims, email_salt=f"salt{index}", credits_earned=5 if index % 2 else 4.5
        )
        credentials.append(build_micro_credential(claims))
    return credentials


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def timed(work: Any) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def plain_pyld_sign(document: dict[str, Any], signer: Ed25519Signer) -> dict[str, Any]:
    """The straightforward implementation: full pyld normalisation of document and proof."""
    options = {"algorithm": "URDNA2015", "format": "application/n-quads",
               "documentLoader": document_loader}  # fmt: skip
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": CREATED,
        "verificationMethod": signer.verification_method,
        "proofPurpose": "assertionMethod",
    }
    proof_config = {**proof, "@context": document["@context"]}
    proof_hash = hashlib.sha256(jsonld.normalize(proof_config, options).encode()).digest()
    document_hash = hashlib.sha256(jsonld.normalize(document, options).encode()).digest()
    value = encode_base58btc_multibase(signer.sign(proof_hash + document_hash))
    return {**document, "proof": {**proof, "proofValue": value}}


def plain_pyld_verify(document: dict[str, Any], signer: Ed25519Signer) -> None:
    options = {"algorithm": "URDNA2015", "format": "application/n-quads",
               "documentLoader": document_loader}  # fmt: skip
    proof = dict(document["proof"])
    signature = proof.pop("proofValue")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof_hash = hashlib.sha256(
        jsonld.normalize({**proof, "@context": document["@context"]}, options).encode()
    ).digest()
    document_hash = hashlib.sha256(jsonld.normalize(unsecured, options).encode()).digest()
    signer.public_key.verify(decode_base58btc_multibase(signature), proof_hash + document_hash)


def node_column(credentials: list[dict[str, Any]]) -> dict[str, Any] | None:
    if shutil.which("node") is None or not (REPOSITORY_ROOT / "node_modules").is_dir():
        return None
    request = {"action": "benchmark", "credentials": credentials, "seedHex": SEED.hex()}
    result = subprocess.run(
        ["node", str(NODE_SCRIPT)], input=json.dumps(request), capture_output=True, text=True,
        cwd=REPOSITORY_ROOT, timeout=600, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def machine() -> dict[str, str]:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    node_version = "not installed"
    if shutil.which("node"):
        node_version = subprocess.run(
            ["node", "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "pyld": metadata.version("PyLD"),
        "cryptography": metadata.version("cryptography"),
        "node": node_version,
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
    }


def run(count: int, pyld_count: int) -> tuple[list[tuple[str, float, float | None]], dict[str, Any]]:
    signer = Ed25519Signer.from_seed(SEED)
    credentials = realistic_credentials(count, signer)
    size = len(json.dumps(credentials[0]).encode())
    # Warm the shape cache as a long-running issuance worker would have it.
    sign_credentials(credentials[:2], signer, created=CREATED)
    rows: list[tuple[str, float, float | None]] = []

    signed_holder: list[list[dict[str, Any]]] = []
    batch_seconds = timed(
        lambda: signed_holder.append(sign_credentials(credentials, signer, created=CREATED))
    )
    signed = signed_holder[0]
    one_by_one_seconds = timed(
        lambda: [add_proof(c, signer, created=CREATED) for c in credentials]
    )
    public_key = signer.public_key
    verify_seconds = timed(lambda: [verify_proof(c, c["proof"], public_key) for c in signed])
    fetcher = InMemoryFetcher({})
    report_seconds = timed(lambda: [verify_credential(c, fetcher=fetcher) for c in signed])
    assert all(verify_credential(c, fetcher=fetcher).verified for c in signed[:5])

    def cold_verify() -> None:
        for credential in signed[:pyld_count]:
            default_shape_cache.clear()
            verify_proof(credential, credential["proof"], public_key)

    cold_seconds = timed(cold_verify)
    sign_credentials(credentials[:2], signer, created=CREATED)

    subset = credentials[:pyld_count]
    plain_sign_seconds = timed(lambda: [plain_pyld_sign(c, signer) for c in subset])
    plain_verify_seconds = timed(lambda: [plain_pyld_verify(c, signer) for c in signed[:pyld_count]])

    rows.append(("this library, batch `sign_credentials` (warm shape cache)",
                 rate(count, batch_seconds), rate(count, verify_seconds)))  # fmt: skip
    rows.append(("this library, one `add_proof` per credential",
                 rate(count, one_by_one_seconds), None))  # fmt: skip
    rows.append(("this library, full `verify_credential` report (did:key, no status list)",
                 float("nan"), rate(count, report_seconds)))  # fmt: skip
    rows.append(("this library, verify with the shape cache cleared before each credential",
                 float("nan"), rate(pyld_count, cold_seconds)))  # fmt: skip
    rows.append(("plain pyld (full expansion per credential)",
                 rate(pyld_count, plain_sign_seconds), rate(pyld_count, plain_verify_seconds)))  # fmt: skip
    node = node_column(credentials[:pyld_count])
    if node is not None:
        assert node["allVerified"], "the Node.js stack did not verify its own credentials"
        rows.append(("Node.js @digitalbazaar/vc + eddsa-rdfc-2022-cryptosuite",
                     rate(node["count"], node["signSeconds"]),
                     rate(node["count"], node["verifySeconds"])))  # fmt: skip
    facts = machine()
    canonical = canonicalize(credentials[0])
    blank_nodes = len(set(re.findall(r"_:c14n\d+", canonical)))
    facts["credential"] = (
        f"OB 3.0 micro-credential, {size} bytes of JSON, {len(canonical.splitlines())} quads, "
        f"{blank_nodes} blank nodes"
    )
    facts["counts"] = f"{count} credentials (ours), {pyld_count} (plain pyld, Node.js)"
    return rows, facts


def table(rows: list[tuple[str, float, float | None]], facts: dict[str, Any]) -> str:
    def cell(value: float | None) -> str:
        if value is None or value != value:
            return "-"
        return f"{value:,.0f}"

    lines = [
        "| implementation | signed / s | verified / s |",
        "| --- | ---: | ---: |",
        *(f"| {name} | {cell(sign)} | {cell(verify)} |" for name, sign, verify in rows),
        "",
        f"Machine: {facts['cpu']}, {facts['cores']} cores (the benchmark is pinned to one core); "
        f"Python {facts['python']}, pyld {facts['pyld']}, cryptography {facts['cryptography']}, "
        f"Node.js {facts['node']}. Date: {facts['date']}.",
        f"Workload: {facts['credential']}; {facts['counts']}.",
    ]
    return "\n".join(lines)


def write_docs(markdown: str) -> None:
    section = f"{START_MARKER}\n{markdown}\n{END_MARKER}"
    if DOCS.exists():
        text = DOCS.read_text(encoding="utf-8")
    else:
        text = "# Benchmarks\n"
    if START_MARKER in text:
        text = re.sub(
            re.escape(START_MARKER) + ".*?" + re.escape(END_MARKER),
            lambda _match: section,
            text,
            flags=re.DOTALL,
        )
    else:
        text = text.rstrip("\n") + "\n\n## Credential format library\n\n" + section + "\n"
    DOCS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--pyld-count", type=int, default=200)
    parser.add_argument("--write-docs", action="store_true")
    arguments = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rows, facts = run(arguments.count, arguments.pyld_count)
    markdown = table(rows, facts)
    print(markdown)
    if arguments.write_docs:
        write_docs(markdown)


if __name__ == "__main__":
    main()
