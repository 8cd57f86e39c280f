"""The body is one story: text above where the page's own story starts is not its body.

A page shows more than its article: a related story's paragraphs, a newsletter's pitch, a press
release's summary line. Two shapes tell, in any language, where the article itself starts:

- **its own headline**: the page's headline (found in the page and marked "headline" by
  ``summarizer.text.extract``) standing *after* body text. What comes before the story's own
  headline is another story (a teaser of the previous or next article) or a box above it.
- **a label in capitals under the first paragraph**: a place ("BAAR, SWITZERLAND"), a section
  or a kicker ("LOOK WHAT YOU MADE ME DO") on a line of its own, right under the first body
  block, with at least two more body blocks below. The article's text starts under it; the
  block above it is a summary (a press release's standfirst) or a box (a newsletter's pitch).
- **teaser questions above the lead**: two or more body blocks at the start, each one short
  question, before the prose: the questions a page asks to draw the reader in, not its facts. One
  question alone is not enough: articles do open with one ("Remember New Jersey's quest to find
  a state slogan?" on the dev pages).

Each rule was checked against every true body line of the dev pages and against CNN/DM
(``tests/summarizer/text/test_stories.py``): it sets no true body line aside.
"""

from __future__ import annotations

from summarizer.text.blocks import Block
from summarizer.text.furniture import CLOSERS, MAX_LABEL_WORDS, ends_sentence, size_in_words

# A label in capitals has at least this many cased letters (not an initial or "A").
_MIN_CAPITAL_LETTERS = 4
# Text above the story's own headline is set aside only when it is shorter than the story.
_MAX_SHARE_ABOVE = 1.0


def own_story(blocks: list[Block]) -> list[Block]:
    """The blocks with the body text above where the page's own story starts set aside (the
    module docstring), "furniture" above its headline, "standfirst" above a label in capitals.
    Linear in the number of blocks."""
    marked = _above_own_headline(blocks)
    return _teaser_questions(_above_capital_label(marked))


def _body(blocks: list[Block]) -> list[int]:
    return [i for i, block in enumerate(blocks) if block.is_body and block.text]


def _above_own_headline(blocks: list[Block]) -> list[Block]:
    body = _body(blocks)
    if not body:
        return blocks
    headline = next(
        (i for i, block in enumerate(blocks) if block.kind == "headline" and i > body[0]), None
    )
    if headline is None:
        return blocks
    above = [i for i in body if i < headline]
    below = [i for i in body if i > headline]
    words_above = sum(size_in_words(blocks[i].text) for i in above)
    words_below = sum(size_in_words(blocks[i].text) for i in below)
    if not below or words_above > _MAX_SHARE_ABOVE * words_below:
        return blocks
    marked = list(blocks)
    for i in above:
        marked[i] = Block("furniture", blocks[i].text)
    return marked


def capital_label(text: str) -> bool:
    """A label-sized line without a sentence mark whose cased letters are all capitals."""
    line = text.strip()
    cased = [ch for ch in line if ch.isupper() or ch.islower()]
    return (
        len(cased) >= _MIN_CAPITAL_LETTERS
        and all(ch.isupper() for ch in cased)
        and size_in_words(line) <= MAX_LABEL_WORDS
        and not ends_sentence(line)
    )


def _above_capital_label(blocks: list[Block]) -> list[Block]:
    body = _body(blocks)
    filled = [i for i, block in enumerate(blocks) if block.text]
    if len(body) < 3:
        return blocks
    first = body[0]
    label = next((i for i in filled if i > first), None)
    if label is not None and not blocks[label].is_body and capital_label(blocks[label].text):
        marked = list(blocks)
        marked[first] = Block("standfirst", blocks[first].text)
        return marked
    return blocks


_QUESTION_MARKS = "?？؟"
_MIN_TEASER_QUESTIONS = 2


def short_question(text: str) -> bool:
    """A label-sized line ending with a question mark (Latin, full-width, Arabic). Greek's
    ";" is left out: a list item ends with it too."""
    line = text.strip().rstrip(CLOSERS)
    return line.endswith(tuple(_QUESTION_MARKS)) and size_in_words(line) <= MAX_LABEL_WORDS


def _teaser_questions(blocks: list[Block]) -> list[Block]:
    body = _body(blocks)
    run = 0
    while run < len(body) and short_question(blocks[body[run]].text):
        run += 1
    if run < _MIN_TEASER_QUESTIONS or len(body) - run < 2:
        return blocks
    marked = list(blocks)
    for i in body[:run]:
        marked[i] = Block("standfirst", blocks[i].text)
    return marked
