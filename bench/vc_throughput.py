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
import statistics
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

from credential_format.builders import AwardingBody, build_micro_credential  # noqa: E402
from credential_format.canonical_cache import default_shape_cache  # noqa: E402
from credential_format.contexts import document_loader  # noqa: E402
from credential_format.jsonld import canonicalize  # noqa: E402
from credential_format.keys import (  # noqa: E402
    decode_base58btc_multibase,
    encode_base58btc_multibase,
)
from credential_format.signing import (  # noqa: E402
    Ed25519Signer,
    add_proof,
    sign_credentials,
    verify_proof,
)
from credential_format.verification import verify_credential  # noqa: E402
from tests.credential_format.sample_claims import micro_credential_claims  # noqa: E402
from tests.interop.dbstack import context_redirects  # noqa: E402

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
    # The portal's context is fetched once over loopback (jsonld.js caches it), never preloaded.
    request = {
        "action": "benchmark",
        "credentials": credentials,
        "seedHex": SEED.hex(),
        "contextRedirects": context_redirects(),
    }
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


def median_seconds(work: Any, repeats: int) -> float:
    return statistics.median(timed(work) for _ in range(repeats))


def run(
    count: int, pyld_count: int, repeats: int
) -> tuple[list[tuple[str, float, float | None]], dict[str, Any]]:
    signer = Ed25519Signer.from_seed(SEED)
    credentials = realistic_credentials(count, signer)
    size = len(json.dumps(credentials[0]).encode())
    # A long-running issuance worker has the programme's shape template already: warm it.
    sign_credentials(credentials[:2], signer, created=CREATED)
    signed = sign_credentials(credentials, signer, created=CREATED)
    public_key = signer.public_key
    fetcher = InMemoryFetcher({})
    assert all(verify_credential(c, fetcher=fetcher).verified for c in signed[:5])

    batch = median_seconds(lambda: sign_credentials(credentials, signer, created=CREATED), repeats)
    one_by_one = median_seconds(
        lambda: [add_proof(c, signer, created=CREATED) for c in credentials], repeats
    )
    verify = median_seconds(
        lambda: [verify_proof(c, c["proof"], public_key) for c in signed], repeats
    )
    report = median_seconds(
        lambda: [verify_credential(c, fetcher=fetcher) for c in signed], repeats
    )

    # Credentials from elsewhere, each of a shape never seen before (different numbers of tags):
    # every one takes the full pyld path; the proof configuration's shape is warm.
    one_off = [dict(c) for c in credentials[:pyld_count]]
    for index, credential in enumerate(one_off):
        subject = dict(credential["credentialSubject"])
        subject["achievement"] = {**subject["achievement"], "tag": ["micro"] * (index + 1)}
        credential["credentialSubject"] = subject
    one_off_signed = sign_credentials(one_off, signer, created=CREATED)

    def verify_never_seen_shapes() -> None:
        default_shape_cache.clear()
        for _ in range(2):
            verify_proof(signed[0], signed[0]["proof"], public_key)
        start = time.perf_counter()
        for credential in one_off_signed:
            verify_proof(credential, credential["proof"], public_key)
        cold_runs.append(time.perf_counter() - start)

    cold_runs: list[float] = []
    for _ in range(repeats):
        verify_never_seen_shapes()
    cold = statistics.median(cold_runs)
    sign_credentials(credentials[:2], signer, created=CREATED)
    subset, signed_subset = credentials[:pyld_count], signed[:pyld_count]
    plain_sign = median_seconds(lambda: [plain_pyld_sign(c, signer) for c in subset], repeats)
    plain_verify = median_seconds(
        lambda: [plain_pyld_verify(c, signer) for c in signed_subset], repeats
    )
    rows: list[tuple[str, float, float | None]] = [
        ("this library: `sign_credentials` batch / `verify_proof`",
         rate(count, batch), rate(count, verify)),
        ("this library: one `add_proof` per credential", rate(count, one_by_one), None),
        ("this library: full `verify_credential` report (did:key issuer, no status list)",
         float("nan"), rate(count, report)),
        ("this library: `verify_proof`, each credential of a shape never seen before",
         float("nan"), rate(pyld_count, cold)),
        ("plain pyld (full JSON-LD expansion for every credential)",
         rate(pyld_count, plain_sign), rate(pyld_count, plain_verify)),
    ]  # fmt: skip
    node_runs = [node_column(subset) for _ in range(repeats)]
    if all(run is not None for run in node_runs):
        assert all(run["allVerified"] for run in node_runs if run)
        node_sign = statistics.median(run["signSeconds"] for run in node_runs if run)
        node_verify = statistics.median(run["verifySeconds"] for run in node_runs if run)
        rows.append(("Node.js: @digitalbazaar/vc 7.3 + eddsa-rdfc-2022-cryptosuite 1.3",
                     rate(pyld_count, node_sign), rate(pyld_count, node_verify)))  # fmt: skip
    facts = machine()
    canonical = canonicalize(credentials[0])
    blank_nodes = len(set(re.findall(r"_:c14n\d+", canonical)))
    facts["credential"] = (
        f"OB 3.0 micro-credential of one programme for many learners, {size} bytes of JSON, "
        f"{len(canonical.splitlines())} quads, {blank_nodes} blank nodes"
    )
    facts["counts"] = (
        f"{count} credentials per run for this library, {pyld_count} for plain pyld and "
        f"Node.js; median of {repeats} runs"
    )
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
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
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
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write-docs", action="store_true")
    arguments = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rows, facts = run(arguments.count, arguments.pyld_count, arguments.repeats)
    markdown = table(rows, facts)
    print(markdown)
    if arguments.write_docs:
        write_docs(markdown)


if __name__ == "__main__":
    main()
