import json
from pathlib import Path
from typing import Any

import pytest

from credential_format.contexts import OfflineDocumentLoader, document_loader

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
VECTORS = REPOSITORY_ROOT / ".." / "shared" / "vectors"
EXAMPLES_CONTEXT_URL = "https://www.w3.org/ns/credentials/examples/v2"


@pytest.fixture(scope="session")
def vectors() -> Path:
    if not VECTORS.is_dir():
        pytest.skip("the shared test vectors (../shared/vectors next to the repository) are absent")
    return VECTORS


@pytest.fixture(scope="session")
def read_vector(vectors: Path):
    def read(relative: str) -> Any:
        path = vectors / relative
        if relative.endswith((".json", ".jsonld")):
            return json.loads(path.read_text(encoding="utf-8"))
        return path.read_text(encoding="utf-8")

    return read


@pytest.fixture(scope="session")
def examples_loader(read_vector) -> OfflineDocumentLoader:
    """The production loader plus the W3C examples context, which only the test vectors use."""
    examples = read_vector("contexts/credentials-examples-v2.jsonld")
    return document_loader.with_extra_contexts({EXAMPLES_CONTEXT_URL: examples})
