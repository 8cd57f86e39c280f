"""Bytes to text the way a browser reads them: a byte-order mark, else the charset the page
declares (``<meta charset>``, ``http-equiv``, an XML declaration), else UTF-8.

w3lib finds the declaration and maps labels as the WHATWG Encoding standard does
(iso-8859-1 is windows-1252, gb2312 is gb18030). Text that declares nothing must be UTF-8:
guessing a charset would silently turn an article into the wrong characters.
"""

from __future__ import annotations

import re

from w3lib.encoding import html_body_declared_encoding, read_bom, to_unicode

from summarizer.errors import InputError

_UTF8 = {"utf-8", "utf8"}
_MARKUP = re.compile(r"<\s*(?:!doctype|html|head|body|meta|div|p|article)\b", re.IGNORECASE)


def _decode_or_none(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def declared_encoding(data: bytes) -> str | None:
    """The encoding named by a byte-order mark or by the page's markup, normalized; else None."""
    bom, _ = read_bom(data)
    if bom:
        return bom
    return html_body_declared_encoding(data)


def decode_input(data: bytes, *, markup_allowed: bool = True) -> str:
    """Text of ``data``: with its BOM, or (``markup_allowed``) its declared charset, else UTF-8.

    Raises InputError for binary data and for undeclared bytes that are not UTF-8.
    """
    bom, mark = read_bom(data)
    if bom and bom.replace("_", "-").lower() not in _UTF8:
        # A UTF-16/32 mark is honoured for a page: the decoded text must be markup. Any two
        # bytes decode as UTF-16, so b"\xff\xfe" in front of other data proves nothing.
        text = _decode_or_none(data[len(mark or b"") :], bom)
        if markup_allowed and text is not None and _MARKUP.search(text[:4096]):
            return text
        raise InputError(f"input starts with a {bom} byte-order mark but is not a {bom} page")
    encoding = None if bom else (html_body_declared_encoding(data) if markup_allowed else None)
    if encoding and encoding.replace("_", "-").lower() not in _UTF8:
        try:
            return to_unicode(data[len(mark or b"") :], encoding)
        except LookupError:
            raise InputError(f"input declares an unknown charset: {encoding!r}") from None
    if b"\x00" in data[:8192]:
        raise InputError("input looks like a binary file (it contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"input is not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r}) "
            "and declares no other charset; convert it to UTF-8 first"
        ) from None
