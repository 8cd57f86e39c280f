"""Real article pages from tests/data/pages/ (attribution in its README) and the checks the web
README defines, in their strict form: a summary sentence is the article's own when its letters
and digits (NFKC, casefolded) are a substring of the true body's."""

from __future__ import annotations

import base64
import gzip
import json
import re
import unicodedata
from functools import cache
from pathlib import Path

PAGES = Path(__file__).resolve().parent / "data" / "pages"
_TOKEN = re.compile(r"[^\W_]+")


@cache
def load_page(page_id: str) -> dict:
    with gzip.open(PAGES / f"{page_id}.json.gz", "rt", encoding="utf-8") as f:
        return json.load(f)


def page_bytes(page: dict) -> bytes:
    return base64.b64decode(page["html_bytes_b64"])


def letters(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def in_body(sentence: str, body: str) -> bool:
    return letters(sentence) in letters(body)


def starts_with_title(sentence: str, page: dict) -> bool:
    """The sentence begins with one of the page's headlines (80% of its tokens up front)."""
    words = _TOKEN.findall(sentence.casefold())
    for title in {page["title"], *page.get("title_variants", [])}:
        for part in re.split(r"\s+[|\-–—:]\s+", title or ""):
            wanted = _TOKEN.findall(part.casefold())
            head = words[: len(wanted) + 2]
            if len(wanted) >= 3 and sum(w in head for w in wanted) >= 0.8 * len(wanted):
                return True
    return False
