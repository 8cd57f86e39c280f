"""Quotations in every script: where one opens and closes, so that no sentence cuts one.

A reader given half a quotation ("“Yes, we needed to win this game today." with the rest of the
quote left out) reads a misquote. The sentence splitter glues the sentences of one quotation
back into one (:func:`join_quotations`), and the engine never takes a sentence whose quotation
marks do not balance (:func:`balanced`).

The marks, by script: “…” (English, Chinese), „…“ and „…” (German, Polish, Czech...), «…»
(French, Italian, Russian...), »…« (German, Danish), ”…” (Swedish, Finnish), 「…」 and 『…』
(Japanese, Chinese) and straight "…". Single quotes are left alone: the right single mark and '
are apostrophes far more often than quotation marks. The marks that can open or close (straight
", ”, ») open only where a quotation can start (after a space or an opening bracket, before a
non-space) and close anything else; " after a digit is an inch mark, and " between two letters
is Hebrew's gershayim (an abbreviation's mark), not a quote.

Every function reads each character once: linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Opening mark -> the marks that close it.
_ALWAYS_OPEN = {"“": "”", "„": "“”", "«": "»", "「": "」", "『": "』", "〝": "〞〟"}
# Marks that open only where a quotation can start, and close (or are stray) anywhere else.
_MAY_OPEN = {'"': '"', "”": "”", "»": "«"}
_ONLY_CLOSE = frozenset("」』〞〟")
_MARKS = re.compile('["“”„«»「」『』〝〞〟]')
# What may stand right before an opening mark: nothing, a space, an opening bracket, a dash or
# a colon; in Chinese and Japanese, written without spaces, also a character of the script.
_BEFORE_OPENING = frozenset("([{—–-/:：，、（")
_UNSPACED_LETTER = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
# A quotation longer than this many sentences, or characters, is not glued into one: it is a
# mark never closed (a typo, a quote running on over paragraphs), and gluing on would swallow
# the rest of the paragraph. The longest quotation of several sentences on the dev pages and
# CNN/DM is 6 sentences and 611 characters (``tests/summarizer/text/test_quotes.py``).
MAX_QUOTE_SENTENCES = 8
MAX_QUOTE_CHARS = 1_500


class QuoteState:
    """The quotation open at some point of a text: its opening mark and its nesting depth."""

    __slots__ = ("closers", "depth", "opener", "stray")

    def __init__(self) -> None:
        self.opener = ""
        self.closers = ""
        self.depth = 0
        self.stray = False  # a closing mark was met with no quotation open

    @property
    def open(self) -> bool:
        return self.depth > 0

    def read(self, text: str) -> QuoteState:
        """Move the state over ``text``; returns itself."""
        for match in _MARKS.finditer(text):
            self._mark(text, match.start())
        return self

    def _mark(self, text: str, at: int) -> None:
        ch = text[at]
        if ch in _IN_WORD and _inside_word(text, at):
            return  # Hebrew's gershayim typed as " (ארה"ב, צה"ל): an abbreviation, no quote
        if self.depth:
            if ch in self.closers:
                self.depth -= 1
            elif ch == self.opener and _word_follows(text, at):
                self.depth += 1  # the same quotation nested: “a “b” c”, 说“甲”
            elif ch == self.opener:
                self.depth -= 1  # its opening mark written again to close it: «“I Cavalieri“,»
            if not self.depth:
                self.opener = self.closers = ""
            return
        if ch in _ALWAYS_OPEN:
            self.opener, self.closers, self.depth = ch, _ALWAYS_OPEN[ch], 1
        elif ch in _MAY_OPEN and _opens_here(text, at):
            self.opener, self.closers, self.depth = ch, _MAY_OPEN[ch], 1
        elif (ch in _MAY_OPEN or ch in _ONLY_CLOSE) and not (
            ch == '"' and at and text[at - 1].isdigit()
        ):
            self.stray = True


# Marks that stand inside a word when they are no quotation mark.
_IN_WORD = frozenset('"”')


def _inside_word(text: str, at: int) -> bool:
    """Between two Hebrew letters."""
    return (
        0 < at < len(text) - 1
        and "\u05d0" <= text[at - 1] <= "\u05ea"
        and "\u05d0" <= text[at + 1] <= "\u05ea"
    )


def _word_follows(text: str, at: int) -> bool:
    return at + 1 < len(text) and text[at + 1].isalnum()


def _opens_here(text: str, at: int) -> bool:
    """Whether a mark that may open or close stands where a quotation starts."""
    before = text[at - 1] if at else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    return (
        before.isspace() or before in _BEFORE_OPENING or bool(_UNSPACED_LETTER.match(before))
    ) and not after.isspace()


def balanced(sentence: str) -> bool:
    """Whether every quotation in ``sentence`` opens and closes in it: no piece of a quotation
    (opened and not closed, or closed without being opened)."""
    state = QuoteState().read(sentence)
    return not state.open and not state.stray


# Scripts written without spaces, and their full-width marks: no space goes between two pieces.
_UNSPACED = re.compile(
    "[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef“”「」『』]"
)


def _glued(pieces: list[str]) -> str:
    """The pieces of one sentence joined, with a space only where the script writes one."""
    text = pieces[0]
    for piece in pieces[1:]:
        unspaced = _UNSPACED.match(text[-1:]) and _UNSPACED.match(piece[:1])
        text += piece if unspaced else " " + piece
    return text


def join_quotations(pieces: Sequence[str]) -> list[str]:
    """The sentences of one paragraph with each quotation of several sentences glued back into
    one, as far as ``MAX_QUOTE_SENTENCES`` and ``MAX_QUOTE_CHARS`` allow: a quotation still
    open at the bound leaves its sentences as they were; one still open at the paragraph's end
    is glued into one unbalanced piece."""
    joined: list[str] = []
    group: list[str] = []
    size = 0
    state = QuoteState()
    for piece in pieces:
        if not group:
            state = QuoteState()
        state.read(piece)
        group.append(piece)
        size += len(piece)
        if not state.open:
            joined.append(_glued(group))
            group, size = [], 0
        elif len(group) >= MAX_QUOTE_SENTENCES or size >= MAX_QUOTE_CHARS:
            joined.extend(group)  # never closed within the bound: not one quotation
            group, size = [], 0
    if group:
        # Open at the paragraph's end: a quotation running on into the next paragraph (which
        # opens again with its own mark), or a mark never closed. Its sentences are one piece
        # of a quotation, glued so that none of them passes for a whole sentence.
        joined.append(_glued(group))
    return joined
