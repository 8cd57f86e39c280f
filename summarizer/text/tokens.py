"""Unicode tokens and lengths, the same in every language and script.

Two jobs, one definition of a word:

- ``tokens(text)``: casefolded terms for scoring (TF-IDF, similarity). In scripts written with
  spaces (Latin, Cyrillic, Greek, Arabic, Hebrew, Hangul, Devanagari…) a term is a run of
  letters and digits, with an inner apostrophe kept ("don't"). Scripts written without spaces
  (Chinese, Japanese kana, Thai, Lao, Khmer, Myanmar) have no such runs, so each pair of
  neighbouring characters is a term (character bigrams, as CJK search engines index them), and
  a lone character is a term of its own.
- ``count_words(text)``: the length unit of every budget (``max_words``, ``min_words``, the
  length presets). A spaced-script word (what the spaces delimit, if it holds a letter or
  digit) counts one; in the scripts without spaces every
  ``CHARS_PER_WORD`` characters count one word, so that a typical sentence is about as many
  "words" long in Japanese as in English, and ``short`` (one sentence) or ``max_words=60``
  mean the same amount of text everywhere. Korean is written with spaces and counts by them.
"""

from __future__ import annotations

import math
import re

# Scripts written without spaces between words: Han (with its extensions and compatibility
# ideographs), Hiragana, Katakana (with the long-vowel mark and halfwidth forms), Thai, Lao,
# Myanmar, Khmer.
_UNSPACED_RANGES = (
    "\u0e00-\u0e7f"  # Thai
    "\u0e80-\u0eff"  # Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u3005-\u3007"  # iteration mark, closing mark, ideographic zero
    "\u3040-\u309f"  # Hiragana
    "\u30a0-\u30ff"  # Katakana
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # Han extension A
    "\u4e00-\u9fff"  # Han
    "\uf900-\ufaff"  # Han compatibility
    "\uff66-\uff9f"  # halfwidth Katakana
    "\U00020000-\U0003134f"  # Han extensions B-G
)
_UNSPACED_RUN = re.compile(f"[{_UNSPACED_RANGES}]+")
# Letters and digits of any other script; combining marks (Devanagari vowel signs, Arabic
# harakat, Hebrew points) are not \w, so they are allowed inside a word. Only ever matched on
# text without the unspaced scripts.
_MARKS = "\u0300-\u036f\u0591-\u05c7\u064b-\u065f\u0670\u0900-\u0dff"
_SPACED_WORD = re.compile(rf"[^\W_][\w{_MARKS}]*(?:['’][^\W_][\w{_MARKS}]*)*")
# For length, a spaced-script word is what the spaces delimit, as long as it holds a letter or
# digit: "U.S." and "2,000" are one word each, a lone dash is none. A replacement character
# (U+FFFD) stands for a character that could not be decoded, most likely a letter: a run of them
# is text of unknown script and counts, or a model emitting broken bytes would seem to have
# written nothing and its partial summaries would never be reduced.
# Linear: a chunk is tried only where one starts (after a space or at the start of the text
# given), and nothing in it is read twice: its leading characters that are neither letter nor
# digit, possessively, then the letter or digit, then the rest. Written as
# ``\S*[^\W_]\S*`` it went back over a run of punctuation from every position in it: quadratic
# ("word " and 40,000 dots took 25 s).
_SPACED_CHUNK = re.compile(r"(?<!\S)(?:[^\s\w\ufffd]|_)*+(?:[^\W_]|\ufffd)\S*+")

# Characters of a script without spaces that make one word of length. Chinese words average
# under two characters and Japanese mixes one-character kanji with longer kana runs; Thai, Lao,
# Khmer and Myanmar are alphabets or abugidas whose words are several letters long.
CHARS_PER_WORD: dict[str, float] = {"cjk": 2.0, "southeast_asian": 4.0}
_SOUTHEAST_ASIAN = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")


def tokens(text: str) -> list[str]:
    """Casefolded scoring terms of ``text``, in order (see the module docstring)."""
    folded = text.casefold()
    if not _UNSPACED_RUN.search(folded):
        return _SPACED_WORD.findall(folded)
    terms: list[str] = []
    position = 0
    for run in _UNSPACED_RUN.finditer(folded):
        terms.extend(_spaced_words(folded[position : run.start()]))
        chars = run.group()
        if len(chars) == 1:
            terms.append(chars)
        else:
            terms.extend(chars[i : i + 2] for i in range(len(chars) - 1))
        position = run.end()
    terms.extend(_spaced_words(folded[position:]))
    return terms


def count_words(text: str) -> int:
    """Length of ``text`` in words, the unit of every word budget (see the module docstring)."""
    if not _UNSPACED_RUN.search(text):
        return len(_SPACED_CHUNK.findall(text))
    words = 0
    unspaced = {"cjk": 0, "southeast_asian": 0}
    position = 0
    for run in _UNSPACED_RUN.finditer(text):
        # A slice, not findall(text, position, end): the lookbehind would see the run before it.
        words += len(_SPACED_CHUNK.findall(text[position : run.start()]))
        chars = run.group()
        southeast = len(_SOUTHEAST_ASIAN.findall(chars))
        unspaced["southeast_asian"] += southeast
        unspaced["cjk"] += len(chars) - southeast
        position = run.end()
    words += len(_SPACED_CHUNK.findall(text[position:]))
    for script, chars in unspaced.items():
        if chars:
            words += math.ceil(chars / CHARS_PER_WORD[script])
    return words


def has_words(text: str) -> bool:
    """Whether ``text`` holds at least one letter or digit of any script."""
    return any(ch.isalnum() for ch in text)


def _spaced_words(text: str) -> list[str]:
    return _SPACED_WORD.findall(text) if text else []
