"""Page furniture recognised by its shape, in any language.

A line of text as a site renders it (the ``innerText`` of an article element, or one line of an
extracted paragraph) is the article's prose when it reads as prose: it ends with a sentence
mark and is long enough to say something. Headlines, subheads, captions, link lists and button
labels end without one; credits sit in parentheses or after a copyright sign; timestamps are
mostly digits; client-side templates are placeholders. None of this depends on the words used,
so it holds for every language and publisher.
"""

from __future__ import annotations

import re

from summarizer.text.blocks import BlockKind

# Sentence marks of the world's scripts (Latin, CJK full-width, Arabic, Devanagari, Ethiopic,
# Armenian, Myanmar, Khmer, Tibetan), then the closers that may follow them.
SENTENCE_MARKS = ".!?…。！？．؟۔।॥።։။។៕།༎"
CLOSERS = "\"'”’)]»›」』）】〉》"

_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d")
# Scripts written without spaces between words: a character says about half a word.
_UNSPACED = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"
)
# A placeholder's text runs to its closer but never past the next opener: from every opener of
# an unclosed run ("{{{{{{...") the rest of the line was read again (quadratic).
_PLACEHOLDER = re.compile(
    r"\{\{(?:(?!\{\{|\}\}).)*+\}\}|\{%(?:(?!\{%|%\}).)*+%\}"
    r"|\$\{(?:(?!\$\{)[^}])*+\}|<%(?:(?!<%|%>).)*+%>"
)
_SEPARATORS = re.compile(r"\s[|•·/»›>]\s")
_LIST_COMMA = re.compile(r"[,;、，]")
_CREDIT = re.compile(r"^\s*[©℗]|[©℗]\s*\d{0,4}\s*[\w.&-]+\s*$")
_WRAPPED = re.compile(r"^\s*[(\[].*[)\]]\s*$")

# A line shorter than this (in words) that does not end a sentence is a label, not prose.
MAX_LABEL_WORDS = 20
# A short line whose words are mostly numbers is a timestamp or a score line.
MAX_DATELINE_WORDS = 16


_CUT_OFF = re.compile(r"[,;:、，]\s*(?:\.{2,}|…)$")


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with a sentence mark of any script (closing quotes allowed); a
    teaser cut off after a comma ("... with the plague,...") does not."""
    end = text.rstrip().rstrip(CLOSERS)
    return end.endswith(tuple(SENTENCE_MARKS)) and not _CUT_OFF.search(end)


def size_in_words(text: str) -> int:
    """Words of the line, counting two characters of an unspaced script as one word."""
    unspaced = len(_UNSPACED.findall(text))
    spaced = len(_WORD.findall(_UNSPACED.sub(" ", text)))
    return spaced + (unspaced + 1) // 2


def strip_placeholders(text: str) -> str:
    """The line without unfilled template placeholders such as ``{{user.name}}``."""
    return _PLACEHOLDER.sub(" ", text) if "{" in text or "<%" in text else text


def line_kind(line: str) -> BlockKind:
    """What a line of article text is, from its shape alone: "paragraph" for prose."""
    text = strip_placeholders(line).strip()
    words = _WORD.findall(text)
    if not words or not any(ch.isalpha() for ch in text):
        return "furniture"
    size = size_in_words(text)
    if _CREDIT.search(text) and size <= MAX_LABEL_WORDS:
        return "caption"
    numeric = sum(1 for w in words if _DIGITS.search(w))
    if size <= MAX_DATELINE_WORDS and numeric * 10 > len(words) * (5 if ends_sentence(text) else 3):
        return "dateline"
    if _WRAPPED.match(text) and size <= MAX_LABEL_WORDS:
        return "caption"
    if len(_SEPARATORS.findall(text)) >= 2 and (size <= MAX_LABEL_WORDS or not ends_sentence(text)):
        return "furniture"  # "Home | World | Business", "News » Sport »": a menu or breadcrumbs
    if not ends_sentence(text) and _is_tag_list(text):
        return "furniture"  # "stock car 2018, stock car brasil, ...": keywords, not prose
    if not ends_sentence(text) and size <= MAX_LABEL_WORDS:
        return "caption"
    if size <= 3 and text.endswith(("...", "…")):
        return "caption"  # "Credit...", "Read more…": a label that trails off
    return "paragraph"


def _is_tag_list(text: str) -> bool:
    """Many short comma-separated items: a keyword or tag list."""
    items = [item for item in _LIST_COMMA.split(text) if item.strip()]
    return len(items) >= 5 and size_in_words(text) <= 4 * len(items)


# A headline glued to what follows it without a space ("...Student-AthleteA 24-year-old man",
# "Gov. Kristi NoemKristi Lynn Noem..."): a teaser card, or a hover card's text inside a line.
# The glue is a word's lower-case run of this many letters followed by a capital.
_GLUE_LOWER_RUN = 3
_GLUED_HEADLINE_WORDS = 4
_GLUED_HEADLINE_CAPITALS = 3 / 4


def glued_headline(line: str) -> bool:
    """True when the line starts with a headline (four or more words, three quarters of them
    capitalized) glued to the next text without a space: a card's title and teaser, or a
    name's hover card, rendered as one line. Only scripts with letter case show it."""
    words = line.split()
    for position, word in enumerate(words[:MAX_LABEL_WORDS]):
        cut = _glue_point(word)
        if cut is None:
            continue
        head = [*words[:position], word[:cut]]
        cased = [w for w in head if w[:1].isupper() or w[:1].islower()]
        capitals = sum(1 for w in cased if w[:1].isupper())
        return len(head) >= _GLUED_HEADLINE_WORDS and capitals >= _GLUED_HEADLINE_CAPITALS * len(
            cased
        )
    return False


def _glue_point(word: str) -> int | None:
    """Where a capital follows a run of lower-case letters inside a capitalized word."""
    if not word[:1].isupper():
        return None
    run = 0
    for index, ch in enumerate(word):
        if ch.isupper() and run >= _GLUE_LOWER_RUN:
            return index
        run = run + 1 if ch.islower() else 0
    return None


_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def timestamp_line(line: str) -> bool:
    """A label-sized line holding a clock time and a year ("By Jane Doe on Monday, November
    18th, 2019 at 11:08 a.m.", "Published: Nov. 19, 2019, 6:18 p.m."): a byline or dateline,
    whatever its end, and however few of its words are numbers."""
    return (
        size_in_words(line) <= MAX_LABEL_WORDS
        and _CLOCK.search(line) is not None
        and _YEAR.search(line) is not None
    )


# Shouting: at least this many words and cased letters, every cased letter a capital.
_SHOUTING_WORDS = 3
_SHOUTING_LETTERS = 8
EXCLAMATIONS = "!！"


def shouting_line(line: str) -> bool:
    """A label-sized line in capitals only that ends with an exclamation mark ("THE POINT --
    NOW ON YOUTUBE!", "GET THE QUIZ: INSTANT DOWNLOAD!"): a promo box's title. Capitals alone
    are not enough: subheadings are written in them too ("WHO IS THE FRONT-RUNNER?"), and
    taking those for furniture cut the paragraphs between them off the body. Scripts without
    letter case never shout."""
    text = line.strip()
    cased = [ch for ch in text if ch.isupper() or ch.islower()]
    return (
        text.rstrip(CLOSERS).endswith(tuple(EXCLAMATIONS))
        and len(text.split()) >= _SHOUTING_WORDS
        and len(cased) >= _SHOUTING_LETTERS
        and all(ch.isupper() for ch in cased)
        and size_in_words(text) <= MAX_LABEL_WORDS
    )
