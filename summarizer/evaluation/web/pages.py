"""The web evaluation file: gzip (or plain) JSONL of article pages with their true body."""

from __future__ import annotations

import base64
import binascii
import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from summarizer.bounded_lines import bounded_lines
from summarizer.errors import InputError
from summarizer.evaluation.jsonl import json_rows

# Bounds on what one file may make the loader hold: the dev file is 197 pages, 25 MB of HTML.
MAX_PAGES = 10_000
MAX_LINE_CHARS = 8_000_000
REQUIRED = ("id", "url", "lang", "html")


@dataclass(frozen=True)
class WebPage:
    """One page and its truth (field meanings: shared/eval/web/README.md)."""

    id: str
    url: str
    lang: str
    html: str
    title: str
    title_variants: tuple[str, ...]
    body: str | None
    body_with: tuple[str, ...] = ()
    body_without: tuple[str, ...] = ()
    genre: str = ""
    source: str = ""
    charset: str = "utf-8"
    html_bytes: bytes | None = None

    @property
    def has_body(self) -> bool:
        return self.body is not None


def is_web_file(path: str | Path) -> bool:
    """Whether the file's first row looks like a web page (``html``) rather than an article."""
    try:
        first = _first_line(Path(path))
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile):
        return False
    if first is None:
        return False
    try:
        row = json.loads(first)
    except (ValueError, RecursionError):
        return False
    return isinstance(row, dict) and "html" in row and "article" not in row


def load_pages(path: str | Path, *, limit: int | None = None) -> list[WebPage]:
    """Read the pages of a web evaluation file; every malformed row is a clear ``InputError``."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no such web evaluation file: {path}")
    pages: list[WebPage] = []
    seen: set[str] = set()
    try:
        with _open(path) as f:
            for number, row in json_rows(f, path, MAX_LINE_CHARS):
                page = _page(row, f"{path}:{number}")
                if page.id in seen:
                    raise InputError(f"{path}: duplicate id {page.id!r}")
                seen.add(page.id)
                pages.append(page)
                if len(pages) > MAX_PAGES:
                    raise InputError(f"{path}: more than {MAX_PAGES:,} pages")
                if limit is not None and len(pages) >= limit:
                    break
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"{path}: cannot read it as gzip JSONL ({exc})") from None
    if not pages:
        raise InputError(f"{path}: no pages")
    return pages


def _open(path: Path) -> TextIO:
    """The file as UTF-8 text, through gzip where it starts as gzip."""
    with path.open("rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
    opener = gzip.open if gzipped else open
    return opener(path, "rt", encoding="utf-8")  # type: ignore[operator, return-value]


def _first_line(path: Path) -> str | None:
    """The file's first line that is not blank (None: there is none, or it is too long)."""
    with _open(path) as f:
        for line in bounded_lines(f, MAX_LINE_CHARS):
            if line is None or line.strip():
                return line
    return None


def _strings(row: dict, key: str, where: str) -> tuple[str, ...]:
    value = row.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: {key!r} must be a list of strings")
    return tuple(value)


def _page(row: object, where: str) -> WebPage:
    if not isinstance(row, dict):
        raise InputError(f"{where}: expected a JSON object")
    for key in REQUIRED:
        if not isinstance(row.get(key), str) or not row[key].strip():
            raise InputError(f"{where}: {key!r} must be a non-empty string")
    body = row.get("body")
    if body is not None and (not isinstance(body, str) or not body.strip()):
        raise InputError(f"{where}: 'body' must be a non-empty string or null")
    title = row.get("title") or ""
    if not isinstance(title, str):
        raise InputError(f"{where}: 'title' must be a string")
    variants = _strings(row, "title_variants", where) or ((title,) if title else ())
    body_with = _strings(row, "body_with", where)
    body_without = _strings(row, "body_without", where)
    if body is None and not (body_with or body_without):
        raise InputError(f"{where}: needs a 'body', or 'body_with' / 'body_without' snippets")
    html_bytes = None
    if row.get("html_bytes_b64") is not None:
        try:
            html_bytes = base64.b64decode(row["html_bytes_b64"], validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise InputError(f"{where}: 'html_bytes_b64' is not valid base64") from None
    return WebPage(
        id=row["id"],
        url=row["url"],
        lang=row["lang"],
        html=row["html"],
        title=title,
        title_variants=variants,
        body=body,
        body_with=body_with,
        body_without=body_without,
        genre=str(row.get("genre") or ""),
        source=str(row.get("source") or ""),
        charset=str(row.get("charset") or "utf-8"),
        html_bytes=html_bytes,
    )
