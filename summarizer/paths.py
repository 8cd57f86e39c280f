"""File names the project gives to files it sets aside (never deletes)."""

from __future__ import annotations

import time
from pathlib import Path


def free_aside_name(path: Path, label: str) -> Path:
    """A free name beside ``path``: ``<name>.<label>-<time>``, then ``-2``, ``-3``..."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.name}.{label}-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.{label}-{stamp}-{n}")
    return aside
