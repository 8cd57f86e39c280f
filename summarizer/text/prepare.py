"""One entry point from raw client input (str, bytes, text or HTML) to sentences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from summarizer.errors import InputError
from summarizer.text.extract import html_to_text, looks_like_html
from summarizer.text.language import detect_language, normalize_language
from summarizer.text.normalize import check_unicode, decode_bytes, normalize_text
from summarizer.text.sentences import split_sentences
from summarizer.text.tokens import count_words

InputFormat = Literal["auto", "text", "html"]

# About 50,000 words: several times the longest news feature. Bounded so no client can make the
# service chew on a book.
MAX_INPUT_CHARS = 300_000


@dataclass(frozen=True)
class PreparedText:
    text: str
    sentences: list[str]
    # ISO 639-1 code: the caller's, else detected from the text (summarizer/text/language.py).
    language: str | None = None

    @property
    def words(self) -> int:
        return count_words(self.text)


def prepare(
    raw: str | bytes,
    input_format: InputFormat = "auto",
    max_chars: int = MAX_INPUT_CHARS,
    language: str | None = None,
) -> PreparedText:
    """Decode, extract (HTML), normalize and split; raise InputError for anything unusable.

    ``language`` (an ISO 639-1 code or a tag like "pt-BR") sets the sentence rules; without it
    the language is detected from the text."""
    if language is not None:
        language = normalize_language(language)
    if isinstance(raw, bytes | bytearray):
        raw = decode_bytes(bytes(raw))
    if not isinstance(raw, str):
        raise InputError(f"input must be text or bytes, not {type(raw).__name__}")
    if input_format not in ("auto", "text", "html"):
        raise InputError(f"input_format must be auto, text or html, not {input_format!r}")
    if len(raw) > max_chars * 4:
        # Refuse before any parsing work; HTML may legitimately be a few times its text.
        raise InputError(f"input is too long: {len(raw):,} characters (limit {max_chars:,})")
    if not raw.strip():
        raise InputError("input is empty")
    check_unicode(raw)  # before any parser: a lone surrogate cannot be encoded for one
    is_html = input_format == "html" or (input_format == "auto" and looks_like_html(raw))
    text = html_to_text(raw) if is_html else raw
    text = normalize_text(text)
    if not text:
        raise InputError("input has no text")
    if len(text) > max_chars:
        raise InputError(f"article is too long: {len(text):,} characters (limit {max_chars:,})")
    language = language or detect_language(text)
    sentences = split_sentences(text, language)
    if not any(any(ch.isalnum() for ch in s) for s in sentences):
        raise InputError("input has no words to summarize")
    return PreparedText(text=text, sentences=sentences, language=language)
