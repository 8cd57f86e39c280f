"""Rendered page text: what a browser shows of each page (``innerText``), keyed by page id.

``scripts/render_pages.py`` writes it (JSONL of ``{id, text, element}``); ``summarizer eval
--rendered`` sends it as a ``text`` request to compare with the page's HTML.
"""

from __future__ import annotations

from pathlib import Path

from summarizer.errors import InputError
from summarizer.evaluation.jsonl import json_rows

MAX_TEXT_CHARS = 2_000_000
MAX_ROWS = 10_000


def load_rendered(path: str | Path) -> dict[str, str]:
    """``{page id: text}`` from a rendered-text file; bad rows are a clear ``InputError``."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no such rendered-text file: {path}")
    texts: dict[str, str] = {}
    with path.open(encoding="utf-8") as f:
        for number, row in json_rows(f, path, MAX_TEXT_CHARS):
            if not isinstance(row, dict) or not all(
                isinstance(row.get(k), str) for k in ("id", "text")
            ):
                raise InputError(f"{path}:{number}: expected {{'id': str, 'text': str}}")
            if row["id"] in texts:
                raise InputError(f"{path}: duplicate id {row['id']!r}")
            texts[row["id"]] = row["text"]
            if len(texts) > MAX_ROWS:
                raise InputError(f"{path}: more than {MAX_ROWS:,} rows")
    if not texts:
        raise InputError(f"{path}: no rendered pages")
    return texts
