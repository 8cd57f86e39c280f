"""One entry point from raw client input (str, bytes, text or HTML) to sentences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from summarizer.errors import InputError
from summarizer.text.blocks import Block
from summarizer.text.captions import mark_captions
from summarizer.text.encoding import decode_input
from summarizer.text.extract import extract_article, looks_like_html
from summarizer.text.language import detect_language, normalize_language
from summarizer.text.normalize import check_unicode, normalize_text
from summarizer.text.plaintext import check_has_prose, text_blocks
from summarizer.text.sentences import DEFAULT_LANGUAGE, is_prose, split_sentences
from summarizer.text.similarity import near_duplicate, tokens
from summarizer.text.stories import own_story
from summarizer.text.tokens import count_words

InputFormat = Literal["auto", "text", "html"]

# About 50,000 words: several times the longest news feature. Bounded so no client can make the
# service chew on a book.
MAX_INPUT_CHARS = 300_000
# A whole page: real article pages carry up to 1.5 MB of scripts, styles and menus around a few
# KB of article. The article limit above applies to the text extracted from it.
MAX_HTML_CHARS = 3_000_000


@dataclass(frozen=True)
class PreparedText:
    """The article's body text and its sentences, the only summary candidates.

    ``blocks`` is the whole article as found, body and the rest (headline, captions,
    datelines...), each with its kind; ``title`` is the page's headline, when it has one.
    """

    text: str
    sentences: list[str]
    blocks: tuple[Block, ...] = ()
    title: str = ""
    # ISO 639-1 code: the caller's, else detected from the text (summarizer/text/language.py).
    language: str | None = None

    @property
    def words(self) -> int:
        return count_words(self.text)


def prepare(
    raw: str | bytes,
    input_format: InputFormat = "auto",
    max_chars: int = MAX_INPUT_CHARS,
    max_html_chars: int = MAX_HTML_CHARS,
    language: str | None = None,
) -> PreparedText:
    """Decode, extract (HTML), normalize and split; raise InputError for anything unusable.

    ``language`` (an ISO 639-1 code or a tag like "pt-BR") sets the sentence rules; without it
    the language is detected from the text, or taken from the page's declaration when the
    detector is unsure (``summarizer.text.language``)."""
    if language is not None:
        language = normalize_language(language)
    if input_format not in ("auto", "text", "html"):
        raise InputError(f"input_format must be auto, text or html, not {input_format!r}")
    if isinstance(raw, bytes | bytearray):
        raw = decode_input(bytes(raw), markup_allowed=input_format != "text")
    if not isinstance(raw, str):
        raise InputError(f"input must be text or bytes, not {type(raw).__name__}")
    is_html = input_format == "html" or (input_format == "auto" and looks_like_html(raw))
    limit = max_html_chars if is_html else max_chars
    if len(raw) > limit:
        # Refuse before any parsing work.
        what = "HTML page" if is_html else "input"
        raise InputError(f"{what} is too long: {len(raw):,} characters (limit {limit:,})")
    if not raw.strip():
        raise InputError("input is empty")
    check_unicode(raw)  # before any parser: a lone surrogate cannot be encoded for one
    if is_html:
        article = extract_article(raw)
        blocks = _normalized(article.blocks)
        title, declared = article.title, article.language
    else:
        blocks = text_blocks(normalize_text(raw))
        title, declared = "", None
        check_has_prose(blocks)
    _check_body_size(blocks, max_chars)  # before any sentence work on the body
    splits: dict[str, list[str]] = {}  # block text -> its sentences by the default rules
    blocks = own_story(mark_captions(mark_repeated_lead(blocks, splits, max_chars)))
    body = [block for block in blocks if block.is_body and block.text]
    text = _body_text(body, blocks)
    if not text:
        raise InputError("input has no text")
    if len(text) > max_chars:
        raise InputError(f"article is too long: {len(text):,} characters (limit {max_chars:,})")
    language = language or detect_language(text, declared)
    sentences = _prose(_split_body(text, body, language, splits))
    if not any(any(ch.isalnum() for ch in s) for s in sentences):
        raise InputError("input has no words to summarize")
    kept = tuple(block for block in blocks if block.text)
    return PreparedText(text=text, sentences=sentences, blocks=kept, title=title, language=language)


# How many leading body blocks may be a standfirst, and how far on the body may repeat one.
_LEAD_BLOCKS = 3
_LEAD_WINDOW = 8


def _check_body_size(blocks: list[Block], max_chars: int) -> None:
    """InputError when the body is over ``max_chars`` whatever ``mark_repeated_lead`` sets
    aside (it only ever takes leading blocks out of the body): a page of megabytes of body text
    is refused before any of it is split into sentences (3 MB of it took 13 s of CPU)."""
    body = [len(block.text) for block in blocks if block.is_body and block.text]
    rest = body[_LEAD_BLOCKS:]
    if sum(rest) + len(rest) - 1 > max_chars:
        size = sum(body) + len(body) - 1
        raise InputError(f"article is too long: {size:,} characters (limit {max_chars:,})")


def mark_repeated_lead(
    blocks: list[Block], splits: dict[str, list[str]] | None = None, max_chars: int | None = None
) -> list[Block]:
    """The blocks with a leading body block that a later body sentence repeats (a standfirst,
    a teaser of the first paragraph) marked "standfirst": the body keeps the fuller version.
    The sentences it splits (by the default rules) are left in ``splits``, by block text. A
    block longer than ``max_chars`` is not split (kept, it makes the article too long)."""
    splits = {} if splits is None else splits
    body = [i for i, block in enumerate(blocks) if block.is_body and block.text]
    later = body[1 : 1 + _LEAD_WINDOW + _LEAD_BLOCKS]
    for i in later:
        text = blocks[i].text
        if text not in splits and (max_chars is None or len(text) <= max_chars):
            splits[text] = split_sentences(text)
    sentences = {i: [tokens(s) for s in splits.get(blocks[i].text, ())] for i in later}
    marked = list(blocks)
    for index in body[:_LEAD_BLOCKS]:
        lead = tokens(blocks[index].text)
        if any(near_duplicate(lead, bag) for i in later if i > index for bag in sentences[i]):
            marked[index] = Block("standfirst", blocks[index].text)
    return marked


def _split_body(
    text: str, body: list[Block], language: str, splits: dict[str, list[str]]
) -> list[str]:
    """``split_sentences(text, language)``, reusing ``splits`` (by the default rules) for the
    body blocks when ``text`` is those blocks one a line: each line is split on its own."""
    if language.lower() != DEFAULT_LANGUAGE or text != "\n".join(block.text for block in body):
        return split_sentences(text, language)
    return [
        sentence
        for block in body
        for sentence in (
            splits[block.text] if block.text in splits else split_sentences(block.text, language)
        )
    ]


def _normalized(blocks: tuple[Block, ...]) -> list[Block]:
    """The blocks' text normalized in one pass (a block is one line, so lines map back)."""
    lines = normalize_text("\n".join(block.text for block in blocks)).split("\n")
    if len(lines) != len(blocks):  # a block that normalized to nothing: do them one by one
        lines = [normalize_text(block.text) for block in blocks]
    return [Block(block.kind, line) for block, line in zip(blocks, lines, strict=True)]


def _body_text(body: list[Block], blocks: list[Block]) -> str:
    """The body blocks one a line; plain text keeps its blank lines between paragraphs."""
    if any(not block.text for block in blocks):
        lines = [block.text for block in blocks if block.is_body]
        return normalize_text("\n".join(lines))
    return "\n".join(block.text for block in body)


def _prose(sentences: list[str]) -> list[str]:
    """The sentences without the label-sized pieces that end no sentence ("less", "Photo"),
    unless nothing else is left."""
    prose = [s for s in sentences if is_prose(s)]
    return prose or sentences
