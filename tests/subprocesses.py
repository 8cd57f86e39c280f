"""Running this checkout's Python in a subprocess the way the tests need it."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from tests.conftest import ROOT


def run_python(
    *args: object, env: dict[str, str] | None = None, timeout: float = 120, **options: Any
) -> subprocess.CompletedProcess:
    """``python *args`` from the repository root, its output captured, killed after ``timeout``
    seconds. PYTHONPATH is the repository, so the process (and the ones it starts) imports this
    checkout's code; ``env`` adds variables to the environment; ``options`` go to
    ``subprocess.run`` (``text``, ``input``, ``stdin``, ``preexec_fn``)."""
    return subprocess.run(
        [sys.executable, *map(str, args)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        timeout=timeout,
        **options,
    )
