"""Plain text as a site sends it (the innerText of an article element) -> blocks with their kind.

Lines are classified by their shape and position only, in any language: short lines without
final punctuation (headlines, subheads, captions), credits, timestamps, share and "read more"
labels, related-link lists, boxes and promos; header prose before the body's first run of
prose is the standfirst. ``summarizer.text.prepare`` calls :func:`text_blocks` for text input.
"""

from __future__ import annotations

import re
from itertools import pairwise

from summarizer.errors import InputError
from summarizer.text.blocks import Block, BlockKind
from summarizer.text.furniture import (
    CLOSERS,
    EXCLAMATIONS,
    MAX_LABEL_WORDS,
    glued_headline,
    line_kind,
    shouting_line,
    size_in_words,
    timestamp_line,
)
from summarizer.text.sentences import ends_sentence, is_prose, split_sentences
from summarizer.text.similarity import tokens


def check_has_prose(blocks: list[Block]) -> None:
    """Plain text of several lines none of which is prose (menus, a byline and a date, a list
    of headlines) holds no article: InputError, as for such an HTML page. One line is left alone
    (a sentence sent without its full stop)."""
    lines = [block.text for block in blocks if block.text.strip()]
    if len(lines) > 1 and not any(is_prose(line) for line in lines):
        raise InputError(
            "no article text found: every line is a heading, label, byline or date "
            "(no sentence to summarize)"
        )


def text_blocks(text: str) -> list[Block]:
    """Plain text (an article element's ``innerText``): each line classified by its shape, and
    the prose lines of the header set aside (see ``_mark_header``). When no line reads as prose
    (a short note, a list of phrases), the text is taken as it is."""
    lines = text.split("\n")
    # Blank lines stay (as empty paragraphs) so that the body text keeps its paragraph breaks.
    kinds = [Block(_plain_line_kind(line), line) for line in lines]
    blocks = _mark_header(kinds)
    headline = _question_headline(kinds, blocks)
    if headline is not None:  # the header again, with the headline a label as it is to a reader
        kinds[headline] = Block("headline", lines[headline])
        blocks = _mark_header(kinds)
    teaser = _teaser_above_lead(kinds, blocks)
    if teaser is not None:
        blocks[teaser] = Block("furniture", lines[teaser])
    for i in _key_points(lines, kinds, blocks):
        blocks[i] = Block("standfirst", lines[i])
    for i in _promo_texts(lines, blocks):
        blocks[i] = Block("furniture", lines[i])
    if not any(block.is_body and block.text for block in blocks):
        return [Block("paragraph", line) for line in lines]
    return blocks


def _plain_line_kind(line: str) -> BlockKind:
    """A rendered line's kind by its shape; a headline glued to its teaser is a card, a byline
    with a clock time and a year is a dateline, a short line shouting in capitals is a promo's
    title."""
    if not line:
        return "paragraph"
    kind = line_kind(line)
    if kind == "paragraph" and glued_headline(line):
        return "furniture"
    if kind == "paragraph" and timestamp_line(line):
        return "dateline"
    if kind == "paragraph" and shouting_line(line):
        return "furniture"
    return kind


# A photo credit closing a caption: "(Joshua Roberts/Reuters)", "(AP Photo/Evan Vucci)".
_TRAILING_CREDIT = re.compile(r"\([^()]*\w/\w[^()]*\)\s*$")
# Or without parentheses, a few words after the caption's last stop: "... 2019. AGENCY/Jane Doe".
_TRAILING_SLASHED = re.compile(r"[.!?…。！？]\s+([^.!?…。！？]*[^\W\d_]/[^\W\d_][^.!?…。！？]*)$")
_MAX_TRAILING_CREDIT_WORDS = 5
# "... the program. Credit: SpaceX", "...to help.Photograph: Jeenah Moon/Getty Images": a
# one-word label and a name after the last sentence mark.
_TRAILING_LABEL = re.compile(r"[.!?…。！？]\s*[^\W\d_]{2,25}\s?:\s?[^.!?…。！？:]{2,80}$")
_SLASHED = re.compile(r"[^\W_]/[^\W_]")
_LABELLED = re.compile(r"^[^\W\d_]{2,25}\s?:\s")
_MAX_CREDIT_WORDS = 10
# A prose line of at most this many words says nothing on its own ("F.A.Z.", "4 Min.").
_MAX_SHORT_WORDS = 3
_MAX_CAPTION_WORDS = 40
# Over a "Name | Agency" credit, which no prose line is, a caption may be longer (a wire photo's
# caption names everyone, the place and the date).
_MAX_AGENCY_CAPTION_WORDS = 60
# How near a repeated line must be to count as a caption or a standfirst shown twice (a
# template may print the teaser again after the byline, author and date labels).
_REPEAT_DISTANCE = 6


def _mark_header(blocks: list[Block]) -> list[Block]:
    """Rendered text puts the headline, standfirst, byline, date and lead picture's caption
    before the body, one a line. First the captions: a prose line shown twice nearby (a
    gallery, a headline repeated), one that ends with a photo credit ("(Name/Agency)",
    "Credit: Name"), or a short one followed by a credit line ("Credit...", "Name/Agency").
    Then the body starts where prose runs on: the first prose line whose next line is prose
    too; a prose line before that is a standfirst. The body ends with the last prose line that
    follows prose; prose after two or more labels past it (share buttons, related links, then a
    notice) is not the article. In the body, a one-sentence prose line between labels is a
    caption. Text without labels (plain article text) is unchanged."""
    filled = [i for i, block in enumerate(blocks) if block.text]
    prose = {i for i in filled if blocks[i].is_body}
    if len(prose) == len(filled):
        return blocks
    marked = list(blocks)
    keys = {i: " ".join(blocks[i].text.split()).casefold() for i in filled}
    for position, i in enumerate(filled):
        if i not in prose:
            continue
        text = blocks[i].text
        nearby = filled[max(0, position - _REPEAT_DISTANCE) : position + _REPEAT_DISTANCE + 1]
        after = filled[position + 1 : position + 2]
        if (
            any(j != i and keys[j] == keys[i] for j in nearby)
            or _ends_with_credit(text)
            or _TRAILING_LABEL.search(text)
            or (
                after
                and after[0] not in prose
                and _is_credit(blocks[after[0]].text)
                and size_in_words(text) <= _MAX_CAPTION_WORDS
            )
            or (
                after
                and _agency_credit(blocks[after[0]].text.strip())
                and size_in_words(text) <= _MAX_AGENCY_CAPTION_WORDS
            )
        ):
            marked[i] = Block("caption", text)
    _mark_standfirst_above_picture(filled, prose, blocks, marked)
    # The captions are out of the way now, as a reader skips them between two paragraphs; a
    # repeated label-sized line ("F.A.Z." under each author's card) stays as a label.
    filled = [
        i
        for i in filled
        if i not in prose or marked[i].is_body or size_in_words(blocks[i].text) <= _MAX_SHORT_WORDS
    ]
    prose = {i for i in prose if marked[i].is_body}
    following = dict(pairwise(filled))
    preceding = {j: i for i, j in pairwise(filled)}
    boxes = _boxes(filled, prose, blocks)
    start = next(
        (i for i in filled if i in prose and following.get(i) in prose and i not in boxes), None
    )
    for i in boxes:
        kind = "standfirst" if start is not None and i < start else "furniture"
        marked[i] = Block(kind, blocks[i].text)
    prose -= boxes
    if start is None:
        return marked
    end = max(i for i in filled if i in prose and preceding.get(i) in prose)
    for position, i in enumerate(filled):
        if i not in prose:
            continue
        before, after = filled[position - 1 : position], filled[position + 1 : position + 3]
        if i < start:
            marked[i] = Block("standfirst", blocks[i].text)
        elif i > end and sum(1 for j in filled if end < j < i and j not in prose) >= 2:
            marked[i] = Block("furniture", blocks[i].text)  # after the share and related links
        elif (
            before
            and before[0] not in prose
            and len(after) == 2
            and not any(j in prose for j in after)
            and len(split_sentences(blocks[i].text)) == 1
        ):
            marked[i] = Block("caption", blocks[i].text)
    return marked


# Labels above the first prose line that make a header: a headline and a date, a section...
_HEADER_LABELS = 2


def _mark_standfirst_above_picture(
    filled: list[int], prose: set[int], blocks: list[Block], marked: list[Block]
) -> None:
    """Under a header of labels (headline, section, date, byline), the first prose line right
    above the lead picture's caption (found by its credit) is the standfirst: the body starts
    after the picture. Under a headline alone, or with no header, the line stays the first
    paragraph (a picture may follow it)."""
    first = next((position for position, i in enumerate(filled) if i in prose), None)
    if first is None or first < _HEADER_LABELS:
        return
    lead, after = filled[first], filled[first + 1 : first + 3]
    if (
        len(after) == 2
        and after[0] in prose
        and marked[after[0]].kind == "caption"
        and after[1] in prose
        and marked[after[1]].is_body
    ):
        marked[lead] = Block("standfirst", blocks[lead].text)


# Marks a headline posing a question ends with; a paragraph mostly ends with a full stop.
_QUESTION_MARKS = "?？؟"


def _question_headline(blocks: list[Block], marked: list[Block]) -> int | None:
    """Under labels (a menu, a section, a date), the first prose line when it is still body
    and is one label-sized question ("Economy on a high; time to be careful?") with more prose
    after it: the page's headline, which text taken from ``<main>`` or ``<body>`` carries and
    which its question mark alone made read as prose."""
    filled = [i for i, block in enumerate(blocks) if block.text]
    first = next((n for n, i in enumerate(filled) if blocks[i].is_body), None)
    if first is None or first == 0:
        return None
    lead = filled[first]
    text = blocks[lead].text.strip()
    if (
        marked[lead].is_body
        and text.rstrip(CLOSERS).endswith(tuple(_QUESTION_MARKS))
        and size_in_words(text) <= MAX_LABEL_WORDS
        and len(split_sentences(text)) == 1
        and any(blocks[i].is_body for i in filled[first + 1 :])
    ):
        return lead
    return None


# A line restates another when it holds at least this share of the other's tokens.
_RESTATES = 0.5


def _share(label: str, line: str) -> float:
    """The share of ``label``'s tokens that ``line`` holds."""
    wanted = tokens(label)
    return len(wanted & tokens(line)) / len(wanted) if wanted else 0.0


def _teaser_above_lead(kinds: list[Block], marked: list[Block]) -> int | None:
    """The first body line when it is the teaser of a box between the header and the article
    (a video's title and description under the share buttons): it restates the label right
    above it, that label comes after a run of labels (``_SECTION_BREAK``), and the next body
    line restates a headline-sized label above that run more than the first one does, as an
    article's lead restates its headline."""
    body = [i for i, block in enumerate(marked) if block.is_body and block.text][:2]
    if len(body) < 2:
        return None
    first, second = body
    above = [i for i in range(first) if kinds[i].text]
    title, run = above[-1:], above[-1 - _SECTION_BREAK : -1]
    if (
        not title
        or len(run) < _SECTION_BREAK
        or any(kinds[i].is_body for i in [*run, *title])
        or _share(kinds[title[0]].text, kinds[first].text) < _RESTATES
    ):
        return None
    headlines = [
        kinds[i].text
        for i in above[: -1 - _SECTION_BREAK]
        if size_in_words(kinds[i].text) >= _HEADLINE_WORDS
    ]
    lead, teaser = kinds[second].text, kinds[first].text
    if any(_share(h, lead) >= _RESTATES and _share(h, teaser) < _share(h, lead) for h in headlines):
        return first
    return None


def _key_points(lines: list[str], kinds: list[Block], marked: list[Block]) -> list[int]:
    """The first body lines when they are a list of key points under a label ("Key points",
    "In short"): two or more one-sentence lines with no blank line between them, right under
    the label, while the article's paragraphs after them are set apart by blank lines (a list's
    items render one a line, paragraphs with a blank line between them)."""
    body = [i for i, block in enumerate(marked) if block.is_body and block.text]
    if not body or body[0] == 0 or not lines[body[0] - 1].strip() or kinds[body[0] - 1].is_body:
        return []
    run = [body[0]]
    while run[-1] + 1 < len(lines) and marked[run[-1] + 1].is_body and lines[run[-1] + 1].strip():
        run.append(run[-1] + 1)
    after = [i for i in body if i > run[-1]][:1]
    if (
        len(run) < 2
        or not after
        or lines[after[0] - 1].strip()
        or any(len(split_sentences(lines[i])) != 1 for i in run)
    ):
        return []
    return run


def _promo_texts(lines: list[str], marked: list[Block]) -> list[int]:
    """The body line right under a promo's shouting title ("THE DAILY BRIEF -- NOW AS A
    PODCAST!") when it is as short as a box's text (``_BOX_WORDS``) and calls out too ("...
    Click to subscribe!"): the promo's pitch. A paragraph under a shouting button that ends
    as prose does (a full stop) is the article going on."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return [
        j
        for i, j in pairwise(filled)
        if shouting_line(lines[i])
        and marked[j].is_body
        and size_in_words(lines[j]) <= _BOX_WORDS
        and lines[j].strip().rstrip(CLOSERS).endswith(tuple(EXCLAMATIONS))
    ]


# A headline has at least this many words (a section's label has fewer).
_HEADLINE_WORDS = 4
# A run of this many labels in a row (a menu, a list of related headlines, a form) separates
# the article from the boxes around it.
_SECTION_BREAK = 5
# A box (a newsletter pitch, a sidebar's quote, an author's note) holds at most this many prose
# lines and words, and less prose than half of the page's largest section.
_BOX_LINES = 3
_BOX_WORDS = 60


def _boxes(filled: list[int], prose: set[int], blocks: list[Block]) -> set[int]:
    """The prose lines of small boxes: the page is cut at every run of ``_SECTION_BREAK`` or
    more labels, and a section with few, short prose lines beside a larger one is a box around
    the article, not the article."""
    sections: list[list[int]] = [[]]
    labels = 0
    for i in filled:
        if i in prose:
            if labels >= _SECTION_BREAK and sections[-1]:
                sections.append([])
            labels = 0
            sections[-1].append(i)
        else:
            labels += 1
    weights = [sum(size_in_words(blocks[i].text) for i in lines) for lines in sections]
    largest = max(weights)
    # The section where prose first runs on starts the article (a related-links box may cut
    # it off from the rest) when the largest section comes right after it, unless it is as
    # small as a newsletter pitch.
    following = dict(pairwise(filled))
    first = next(
        (n for n, lines in enumerate(sections) if any(following.get(i) in prose for i in lines)),
        None,
    )
    return {
        i
        for n, (lines, weight) in enumerate(zip(sections, weights, strict=True))
        if len(lines) <= _BOX_LINES
        and 2 * weight < largest
        and (n != first or weight < _BOX_WORDS or weights[n + 1 : n + 2] != [largest])
        for i in lines
    }


def _ends_with_credit(text: str) -> bool:
    """A caption closed by its picture's credit: "(Name/Agency)", or "AGENCY/Name" after the
    last sentence mark."""
    if _TRAILING_CREDIT.search(text):
        return True
    tail = _TRAILING_SLASHED.search(text)
    return tail is not None and len(tail.group(1).split()) <= _MAX_TRAILING_CREDIT_WORDS


def _is_credit(line: str) -> bool:
    """A picture's credit line: "Credit...", "Photo: Name", "Name/Agency", "Name | Agency"."""
    text = line.strip()
    return size_in_words(text) <= _MAX_CREDIT_WORDS and bool(
        _SLASHED.search(text) or text.endswith(("...", "…", ":")) or _LABELLED.match(text)
    )


# "Jane Doe | Example Photos | Agency": names of at most this many words between bars.
_MAX_CREDIT_PART_WORDS = 4


def _agency_credit(text: str) -> bool:
    """Two to four names between bars, each word capitalized (a photographer, an agency), no
    sentence mark: the credit under a picture."""
    parts = [part.split() for part in text.split(" | ")]
    return (
        2 <= len(parts) <= 4
        and all(1 <= len(words) <= _MAX_CREDIT_PART_WORDS for words in parts)
        and all(word[:1].isupper() for words in parts for word in words)
        and not ends_sentence(text)
    )
