"""The article of an HTML page, as blocks of known kinds, with trafilatura.

The page is parsed once (lxml, the way trafilatura's loader does: ``summarizer.text.htmltree``).
trafilatura's structured output keeps the article's elements apart (``<head>``, ``<p>``,
``<list>``, ``<quote>``, ``<table>``, line breaks inside a paragraph), and its metadata gives
the headline, the standfirst (meta description), the author and the date. Each line of a
paragraph is then checked by its shape (``summarizer.text.furniture``), because pages put
captions, credits, timestamps and button labels inside the same paragraph elements as the prose.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import trafilatura
from lxml import etree

from summarizer.errors import InputError
from summarizer.text.blocks import Block, BlockKind
from summarizer.text.dom import drop_unseen, is_login_form, page_metadata
from summarizer.text.furniture import line_kind, size_in_words, strip_placeholders
from summarizer.text.htmltree import parse_page
from summarizer.text.language import declared_language
from summarizer.text.sanitize import sanitize_html

_HTML_HINT = re.compile(
    r"<\s*(!doctype\s+html|html|head|body|article|main|div|p|span|script|style|h[1-6]|br)\b",
    re.IGNORECASE,
)
_DOCUMENT_HINT = re.compile(r"<\s*(!doctype\s+html|html|body)\b", re.IGNORECASE)
# A page with a password field and less prose than this is a login or sign-up wall.
MIN_ARTICLE_WORDS = 20
_ALNUM = re.compile(r"[^\W_]+")
# trafilatura's elements that hold text directly under the extracted body
_HEADING_TAGS = {"head"}
_LIST_TAGS = {"list"}
_QUOTE_TAGS = {"quote"}
_TABLE_TAGS = {"table"}


@dataclass(frozen=True)
class Article:
    """What was found on a page: its metadata and its blocks in reading order."""

    blocks: tuple[Block, ...]
    title: str = ""
    description: str = ""
    author: str = ""
    date: str = ""
    language: str | None = None  # what the page declares (summarizer/text/language.py)

    @property
    def body(self) -> list[Block]:
        return [block for block in self.blocks if block.is_body]


def looks_like_html(text: str) -> bool:
    """True when the text is markup rather than prose that happens to contain a '<'."""
    return bool(_HTML_HINT.search(text[:20_000]))


def extract_article(html: str) -> Article:
    """The article of an HTML page or fragment; InputError when it holds no article text."""
    html = sanitize_html(html)  # bounds the parser's work (attribute floods, deep nesting)
    is_document = bool(_DOCUMENT_HINT.search(html[:20_000]))
    tree = parse_page(html if is_document else f"<html><body><div>{html}</div></body></html>")
    if tree is None:
        raise InputError("no article text found in the HTML (it could not be parsed)")
    meta = page_metadata(tree)
    declared = declared_language(tree)
    drop_unseen(tree)
    login = is_login_form(tree)
    document = trafilatura.bare_extraction(
        tree,
        # Not "python": that format also renders the body as plain text (xmltotxt), which is
        # never read here; any other format returns the same extracted body tree.
        output_format="xml",
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_recall=True,
        deduplicate=False,
    )
    title, description = meta["title"], meta["description"]
    body = getattr(document, "body", None)
    if body is not None:
        _check_amplification(body, len(html))
    blocks = _blocks(body) if body is not None else []
    if not any(block.text for block in blocks) and not is_document:
        # trafilatura gives up on tiny fragments without page structure; take the plain text then.
        blocks = _text_blocks(trafilatura.html2txt(tree) or "")
    blocks = _drop_repeated_headline(blocks, title)
    article = Article(
        blocks=tuple(_front_matter(blocks, title, description) + blocks),
        title=title,
        description=description,
        author=meta["author"],
        date=meta["date"],
        language=declared,
    )
    if not any(block.text for block in blocks):
        raise InputError("no article text found in the HTML (only markup, scripts or styles)")
    if login and sum(size_in_words(block.text) for block in article.body) < MIN_ARTICLE_WORDS:
        raise InputError("no article text found in the HTML: the page is a login form")
    if not article.body:
        raise InputError(
            "no article text found in the HTML: the page holds only headings, labels or "
            "template placeholders (an unfilled template, a cookie wall or a login page?)"
        )
    return article


# The most text the extracted body may hold, as a share of the page's characters. Markup only
# shrinks into text (tags go, entities become one character), so a real page's body is a
# fraction of it; more means a stage repeated text (nested lists, tables, quotes), and the page
# is refused before blocks, sentences and language are made of it.
MAX_EXTRACTED_SHARE = 1.0


def _check_amplification(body: etree._Element, page_chars: int) -> None:
    """InputError when ``body`` holds more text than ``MAX_EXTRACTED_SHARE`` of the page: one
    pass over the extracted tree, before any work that grows with what it holds."""
    limit = MAX_EXTRACTED_SHARE * page_chars
    held = 0
    for element in body.iter():
        held += len(element.text or "") + len(element.tail or "")
        if held > limit:
            raise InputError(
                f"the page's extracted text is larger than the page ({page_chars:,} "
                "characters): its markup repeats text, refused"
            )


def html_to_text(html: str) -> str:
    """The body text of an HTML page, one paragraph a line."""
    return "\n".join(block.text for block in extract_article(html).body)


def _blocks(container: etree._Element, layout: set[etree._Element] | None = None) -> list[Block]:
    """The blocks of the extracted body, each piece of its text in one block only: a list
    item's or a table cell's text stops at a nested list or table, whose items and rows are
    blocks of their own (taking the nested text into every enclosing item made a page of lists
    nested 500 deep into 15 times its own size: 30 million characters from 2 MB)."""
    layout = _layout_tables(container) if layout is None else layout
    blocks: list[Block] = []
    for element in container:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _HEADING_TAGS:
            blocks.extend(Block("subheading", line) for line in _lines(element))
        elif tag in _LIST_TAGS:
            for item in element.iter("item"):
                blocks.extend(_shaped(_lines(item, _LIST_TAGS), default="list"))
        elif tag in _QUOTE_TAGS:
            blocks.extend(Block("quote", line) for line in _lines(element))
        elif tag in _TABLE_TAGS and element in layout:
            # A page laid out with a table: the article is inside its cells.
            for cell in _own(element, "cell"):
                blocks.extend(_blocks(cell, layout))
        elif tag in _TABLE_TAGS:
            for row in element.iter("row"):
                cells = [" ".join(_lines(cell, _TABLE_TAGS)) for cell in _own(row, "cell")]
                text = " | ".join(cell for cell in cells if cell)
                if text:
                    blocks.append(Block("table", text))
        else:
            blocks.extend(_shaped(_lines(element)))
    return blocks


def _own(element: etree._Element, tag: str) -> list[etree._Element]:
    """The ``tag`` descendants of a table or row that belong to it, not to a table inside it."""
    found = []
    for child in element:
        if child.tag == tag:
            found.append(child)
        elif child.tag not in _TABLE_TAGS:
            found.extend(_own(child, tag))
    return found


def _layout_tables(container: etree._Element) -> set[etree._Element]:
    """The tables that hold paragraphs, headings, lists or quotes (a page laid out with a
    table), found in one pass: each such element marks the tables around it, stopping at one
    already marked, so nested tables cost no more than the tree."""
    layout: set[etree._Element] = set()
    for element in container.iter("p", "head", "list", "quote"):
        for ancestor in element.iterancestors("table"):
            if ancestor in layout:
                break
            layout.add(ancestor)
    return layout


def _text_blocks(text: str) -> list[Block]:
    return _shaped([_clean(line) for line in text.split("\n") if _clean(line)])


def _shaped(lines: list[str], default: BlockKind = "paragraph") -> list[Block]:
    """Blocks for the lines of one element, each classified by its shape."""
    blocks = []
    for line in lines:
        kind = line_kind(line)
        text = _clean(strip_placeholders(line))
        if text:
            blocks.append(Block(default if kind == "paragraph" else kind, text))
    return blocks


def _lines(element: etree._Element, nested: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The element's text split at its line breaks (``<lb/>``), whitespace collapsed; the text
    of the ``nested`` elements inside it (a list in a list item) is left to their own blocks."""
    parts: list[str] = []
    _collect(element, parts, nested)
    return [line for line in (_clean(x) for x in "".join(parts).split("\n")) if line]


def _collect(
    element: etree._Element, parts: list[str], nested: set[str] | frozenset[str] = frozenset()
) -> None:
    """Text of ``element`` in document order; ``<lb/>`` becomes a newline."""
    if element.tag == "lb":
        parts.append("\n")
    else:
        # A newline in the source is only whitespace; a line break is an <lb/>.
        parts.append(_spaces(element.text))
        for child in element:
            if child.tag not in nested:
                _collect(child, parts, nested)
            parts.append(_spaces(child.tail))


def _spaces(text: str | None) -> str:
    return text.replace("\n", " ") if text else ""


def _clean(text: str) -> str:
    return " ".join(text.split())


def _key(text: str) -> str:
    """Letters and digits only, casefolded: how two strings are compared for repetition."""
    return "".join(_ALNUM.findall(unicodedata.normalize("NFKC", text).casefold()))


def _drop_repeated_headline(blocks: list[Block], title: str) -> list[Block]:
    """The blocks without the headline where the body repeats it, alone or glued to a sentence."""
    key = _key(title)
    if len(key) < 8:
        return blocks
    kept = []
    for index, block in enumerate(blocks):
        if index < 5 and _key(block.text) == key:
            kept.append(Block("headline", block.text))
            continue
        if index < 5 and block.is_body and _key(block.text).startswith(key):
            rest = _strip_prefix(block.text, key)
            if rest:
                kept.extend([Block("headline", block.text[: len(block.text) - len(rest)].strip())])
                kept.append(Block(block.kind, rest))
                continue
        kept.append(block)
    return kept


def _strip_prefix(text: str, key: str) -> str:
    """``text`` after the characters whose letters and digits spell ``key``."""
    matched = 0
    for position, char in enumerate(text):
        if matched == len(key):
            return text[position:].strip()
        matched += len(_key(char))
    return ""


def _front_matter(blocks: list[Block], title: str, description: str) -> list[Block]:
    """Headline and standfirst blocks from the metadata, unless the body already holds them."""
    body_keys = " ".join(_key(block.text) for block in blocks)
    front: list[Block] = []
    if title and not any(block.kind == "headline" for block in blocks):
        front.append(Block("headline", title))
    description_key = _key(description.rstrip("…. "))
    if description and description_key and description_key not in body_keys:
        front.append(Block("standfirst", description))
    return front
