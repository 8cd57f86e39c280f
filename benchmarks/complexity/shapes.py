"""Adversarial inputs, generated: what a hostile client can send, at any size.

Every shape is a function of a size ``n`` (characters, about) that builds the input, so the same
shape can be timed at ``n`` and ``4 * n``. Text shapes repeat one *unit* (a character of some
class, or a short structure) in the ways that make pattern matchers and splitters do the most
work: a run alone, a run after a word, a run glued to a word, the unit between words, the unit
after every word. HTML shapes nest or repeat markup, deep and wide, with text at every level.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

# Characters by class. Each class holds the characters of several scripts, so that a pattern
# written with one script's punctuation in mind is tried on the others' too.
CHARACTER_CLASSES: dict[str, str] = {
    "ascii punctuation": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    "other punctuation": (
        "¡¿«»‹›“”‘’„‚–—―…‥·•‧、。，．！？：；「」『』（）【】〈〉《》〔〕؟،؛۔।॥።፣։՝՞׳״᠃។៕။၊།༎¶§‼⁇⁉"
    ),
    "symbols": "©®™°±×÷€£¥¢†‡‰′″→⇒∞≈≠≤★♥✓■●◆₹₽🙂👍❤",
    "combining marks": (
        "\u0301\u0308\u0327\u20dd\u0e31\u0e48\u093f\u094d\u05b0\u064e\u0670\ufe0f\u200d"
    ),
    "spaces": (
        " \t\n\r\x0b\x0c\x1c\x1f\x85\u00a0\u1680\u2002\u2003\u2009\u200a\u200b\u2028\u2029"
        "\u202f\u205f\u3000\ufeff"
    ),
    "digits": "0٣१๓０²½Ⅻ",
    "letters": "aZéßяΩאعकกກ中あア한ა",
    "controls and formats": "\x01\x1b\x7f\u200e\u202e\u2066\ufffd",
}

# Short structures that rules and patterns key on: credits, abbreviations, ordinals, initials,
# template placeholders, separators, quotations, clock times, years, markup-looking text.
UNITS: tuple[str, ...] = (
    "a/",
    "(a/a",
    ". A",
    "Dr. ",
    "3. ",
    "J. ",
    "z. B. ",
    "{{",
    "{%",
    "${",
    "<%",
    " | ",
    " » ",
    ", ",
    "a:",
    "12:30 ",
    "2019 ",
    "» ",
    "“",
    "...",
    "The ",
    "By . ",
    "(CNN",
    "WORD ",
    "Word ",
    "a b ",
    "ab",
    "Aa",
    "x.Y",
    "<a",
    "&amp;",
)

WORD = "word"


@dataclass(frozen=True)
class Shape:
    """One generated input: ``build(n)`` gives about ``n`` characters of it."""

    name: str
    build: Callable[[int], str]
    html: bool = False


def _times(unit: str, n: int) -> str:
    return unit * max(1, n // max(1, len(unit)))


def text_shapes(unit: str, label: str | None = None) -> list[Shape]:
    """The ways ``unit`` is repeated in a text of about ``n`` characters."""
    label = label or repr(unit)
    return [
        Shape(f"{label} run", lambda n: _times(unit, n)),
        Shape(f"word, space, {label} run", lambda n: f"{WORD} " + _times(unit, n)),
        Shape(f"word, {label} run", lambda n: WORD + _times(unit, n)),
        Shape(f"{label} between words", lambda n: _times(f"{WORD} {unit} ", n)),
        Shape(f"{label} after each word", lambda n: _times(f"{WORD}{unit}", n)),
    ]


def every_text_shape() -> Iterator[Shape]:
    """Every character of every class, and every structure, in every text shape."""
    for cls, chars in CHARACTER_CLASSES.items():
        for char in chars:
            yield from text_shapes(char, f"{cls} U+{ord(char):04X}")
    for unit in UNITS:
        yield from text_shapes(unit)


def representative_text_shapes() -> list[Shape]:
    """One run of a whole class mixed, and each structure: the quick sweep of the stages."""
    shapes = [
        Shape("prose", lambda n: _times("The mayor said the new bridge opens in May. ", n)),
    ]
    for cls, chars in CHARACTER_CLASSES.items():
        shapes.extend(text_shapes(chars, cls))
    for unit in UNITS:
        shapes.extend(text_shapes(unit)[:2])
    return shapes


PARAGRAPH = "The council voted on the plan after a long debate about its cost. " * 3


def _page(body: str) -> str:
    head = "<!doctype html><html><head><title>A page</title></head>"
    return f"{head}<body><article>{body}</article></body></html>"


def _nested(open_: str, close: str, text: str) -> Callable[[int], str]:
    unit = len(open_) + len(close) + len(text)

    def build(n: int) -> str:
        depth = max(1, n // unit)
        return _page(open_ * depth + text + (text + close) * depth)

    return build


def _wide(unit: str) -> Callable[[int], str]:
    return lambda n: _page(_times(unit, n))


def html_shapes() -> list[Shape]:
    """Markup nested deep (with text at every level) and repeated wide, and text shapes inside
    a paragraph of a page."""
    nested = {
        "ul/li": ("<ul><li>", "</li></ul>"),
        "ol/li": ("<ol><li>", "</li></ol>"),
        "div": ("<div>", "</div>"),
        "blockquote": ("<blockquote>", "</blockquote>"),
        "table/td": ("<table><tr><td>", "</td></tr></table>"),
        "span": ("<span>", "</span>"),
        "b/i": ("<b><i>", "</i></b>"),
        "section/p": ("<section><p>", "</p></section>"),
        "details": ("<details>", "</details>"),
    }
    shapes = [
        Shape(f"nested {name}, a paragraph a level", _nested(o, c, f"<p>{PARAGRAPH}</p>"), True)
        for name, (o, c) in nested.items()
    ]
    shapes += [
        Shape(f"nested {name}, words", _nested(o, c, "word "), True)
        for name, (o, c) in nested.items()
    ]
    wide = {
        "paragraphs": f"<p>{PARAGRAPH}</p>",
        "list items": f"<li>{PARAGRAPH}</li>",
        "table cells": f"<tr><td>{PARAGRAPH}</td></tr>",
        "line breaks": "word<br>",
        "empty divs": "<div></div>",
        "classes": '<p class="a b c hidden-xs print-only tooltip">word</p>',
        "entities": "&amp;&#x41;&nbsp;",
        "unclosed tags": "<a ",
        "unclosed comments": "<!-- ",
        "headings": f"<h2>{PARAGRAPH}</h2>",
    }
    shapes += [Shape(f"wide {name}", _wide(unit), True) for name, unit in wide.items()]
    for shape in representative_text_shapes():
        shapes.append(
            Shape(
                f"in a paragraph: {shape.name}",
                (lambda build: lambda n: _page(f"<p>{PARAGRAPH}</p><p>{build(n)}</p>"))(
                    shape.build
                ),
                True,
            )
        )
    return shapes


# Nesting is capped: libxml2 keeps at most 255 levels of elements (deeper content is dropped)
# and the sanitizer flattens markup beyond 512 levels (a full scan, where a page within its caps
# takes a quick check). Work that walks an element's ancestors (justext's paths, in
# trafilatura's fallback) grows with depth up to the cap; past it, nesting is linear. Nested
# pages are measured from a size past the caps: these.
NESTED_PARAGRAPHS_PAST_THE_CAP = 128_000
NESTED_WORDS_PAST_THE_CAP = 32_000


def html_size(shape: Shape, n: int = 8_000) -> int:
    """The smaller size at which ``shape`` is measured for growth: ``n``, or past the nesting
    caps for a nested page."""
    if "a paragraph a level" in shape.name:
        return max(n, NESTED_PARAGRAPHS_PAST_THE_CAP)
    if shape.name.startswith("nested"):
        return max(n, NESTED_WORDS_PAST_THE_CAP)
    return n
