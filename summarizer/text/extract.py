"""Article text from HTML, with trafilatura (boilerplate, menus and scripts removed)."""

from __future__ import annotations

import re

import trafilatura

from summarizer.errors import InputError
from summarizer.text.sanitize import sanitize_html

_HTML_HINT = re.compile(
    r"<\s*(!doctype\s+html|html|head|body|article|main|div|p|span|script|style|h[1-6]|br)\b",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """True when the text is markup rather than prose that happens to contain a '<'."""
    return bool(_HTML_HINT.search(text[:20_000]))


def html_to_text(html: str) -> str:
    """The main text of an HTML page; an error when the page holds no article text."""
    html = sanitize_html(html)  # bounds the parser's work (attribute floods, deep nesting)
    text = trafilatura.extract(
        html,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_recall=True,
        deduplicate=False,
    )
    if not text or not text.strip():
        # trafilatura gives up on tiny fragments without page structure; take the plain text then.
        text = trafilatura.html2txt(html) or ""
    if not text.strip():
        raise InputError("no article text found in the HTML (only markup, scripts or styles)")
    return text
