"""Encoding and whitespace normalization."""

from __future__ import annotations

import re
import unicodedata

from summarizer.errors import InputError
from summarizer.text.encoding import decode_input

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
# Bidirectional embedding, override and isolate controls: invisible, and able to make a summary
# display in an order other than its characters' (a "Trojan source" trick). Removed.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def decode_bytes(data: bytes) -> str:
    """Decode plain-text bytes: UTF-8 (with or without BOM); anything else is refused rather
    than guessed (``encoding.decode_input`` without markup, so no declared charset counts)."""
    return decode_input(data, markup_allowed=False)


def check_unicode(text: str) -> None:
    """Refuse a string that is not valid Unicode: a lone surrogate (U+D800-U+DFFF), which JSON
    can carry (``"\\ud800"``) but no UTF-8 text can. Refused like invalid UTF-8 bytes, rather
    than replaced, so that the same article gets the same answer however it arrives."""
    if text.isascii():
        return
    try:
        text.encode("utf-8")  # fails on a surrogate only; several times faster than the search
        return
    except UnicodeEncodeError:
        pass
    found = _SURROGATE.search(text)
    if found is not None:
        raise InputError(
            f"input is not valid Unicode: a lone surrogate U+{ord(found.group()):04X} at "
            f"character {found.start():,}"
        )


def normalize_text(text: str) -> str:
    """NFC, unified newlines and spaces, no control or bidi-control characters; paragraphs
    kept as blank lines. Raises InputError for binary data and for lone surrogates."""
    check_unicode(text)
    if _looks_binary(text):
        raise InputError("input looks like binary data, not text")
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text)
    text = _BIDI_CONTROLS.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return _BLANK_LINES.sub("\n\n", text).strip()


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    if "\x00" in sample:
        return True
    odd = len(_CONTROL.findall(sample)) + sample.count("\ufffd")  # one pass each, in C
    return odd / len(sample) > 0.1
