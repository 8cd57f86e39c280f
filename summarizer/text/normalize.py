"""Encoding and whitespace normalization."""

from __future__ import annotations

import re
import unicodedata

from summarizer.errors import InputError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def decode_bytes(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM); anything else is refused rather than guessed."""
    if b"\x00" in data[:8192]:
        raise InputError("input looks like a binary file (it contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"input is not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r}); "
            "convert it to UTF-8 first"
        ) from None


def normalize_text(text: str) -> str:
    """NFC, unified newlines and spaces, no control characters; paragraphs kept as blank lines."""
    if _looks_binary(text):
        raise InputError("input looks like binary data, not text")
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return _BLANK_LINES.sub("\n\n", text).strip()


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    if "\x00" in sample:
        return True
    odd = sum(1 for ch in sample if _CONTROL.match(ch) or ch == "\ufffd")
    return odd / len(sample) > 0.1
