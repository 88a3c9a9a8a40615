"""Running Digital Bazaar's JavaScript stack (tests/interop/js/dbstack.mjs) from the tests."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPOSITORY_ROOT / "tests" / "interop" / "js" / "dbstack.mjs"

requires_node_stack = pytest.mark.skipif(
    shutil.which("node") is None
    or not (REPOSITORY_ROOT / "node_modules" / "@digitalbazaar" / "vc").is_dir(),
    reason="Node.js or node_modules is missing: install Node.js and run `npm ci`",
)


def node(request: dict[str, Any]) -> Any:
    result = subprocess.run(
        ["node", str(SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=REPOSITORY_ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
