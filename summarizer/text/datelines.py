"""A dateline, time stamp or agency line run into the first sentence, recognised by its shape.

Pages glue the line above the article onto its first sentence when the line has no stop of its
own: "Updated 11:08 AM ET, Tue November 19, 2019 The Senate voted...", "MOSCOW, Nov 19
(Reuters) - The Kremlin said...", "PARIS, 19 novembre 2019 (AFP) - Le Sénat a voté...". Two
shapes, in any language written with capitals:

- a clock time, then a year within a few words, then a sentence starting with a capital (the
  reverse order, a year then a time, is the extractive engine's ``_TIMESTAMP_LEAD``);
- a place in capitals, a comma or a date, an agency in parentheses and a dash, then a sentence.

Only the sentence's first ``HEAD_CHARS`` characters are read, so the work is bounded whatever
the sentence's length.
"""

from __future__ import annotations

import re

HEAD_CHARS = 200
# Words before the clock: a label ("Updated", "Publié le", "Aktualisiert am").
_MAX_LABEL_WORDS = 6
_CLOCK = re.compile(r"(?<![\d:])[0-2]?\d[:h][0-5]\d(?![\d:])")
# The year within this many characters after the clock, then separators, then a sentence.
_YEAR_AFTER_CLOCK = re.compile(
    r"[^.!?\n]{0,40}?(?<!\d)(?:1[89]|20)\d\d(?!\d)\s*[-–—|/,]*\s+(?=[^\W\d_][^\W\d_])"
)
# "MOSCOW, Nov 19 (Reuters) - ", "PARIS, 19 novembre 2019 (AFP) - ": capitals, a comma, up to
# 40 characters without a stop or bracket, an agency of up to 30 in parentheses, a dash.
_AGENCY_LINE = re.compile(
    r"^[^\W\d_][^,.!?()\n]{2,30},[^.!?()\n]{1,40}\([^()\n]{1,30}\)\s*[-–—]{1,2}\s+"
)


def strip_dateline(sentence: str) -> str:
    """``sentence`` without a dateline or time stamp run into its start (module docstring),
    when a sentence starting with a capital follows it; else ``sentence`` unchanged."""
    head = sentence[:HEAD_CHARS]
    end = _agency_end(head) or _clock_year_end(head)
    if end and sentence[end : end + 1].isupper():
        return sentence[end:]
    return sentence


def _agency_end(head: str) -> int:
    match = _AGENCY_LINE.match(head)
    if match is None:
        return 0
    place = head[: head.index(",")]
    cased = [ch for ch in place if ch.isupper() or ch.islower()]
    return match.end() if cased and all(ch.isupper() for ch in cased) else 0


def _clock_year_end(head: str) -> int:
    clock = _CLOCK.search(head)
    if clock is None or len(head[: clock.start()].split()) > _MAX_LABEL_WORDS:
        return 0
    year = _YEAR_AFTER_CLOCK.match(head, clock.end())
    return year.end() if year else 0
