"""Unicode tokens for the web-page measures (shared/eval/web/README.md).

A token is a run of letters, combining marks and digits of any script, after NFKC and
casefolding; Chinese, Japanese, Korean and Thai characters are one token each (those scripts
do not put spaces between words). Combining marks belong to their letter, so a Hindi or Thai
word is not cut at its vowel signs; the README's "letters and digits" are read that way.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache

# Scripts written without spaces: one character, one token.
_ONE_CHAR_RANGES = (
    "\u0e00-\u0e7f"  # Thai
    "\u1100-\u11ff"  # Hangul Jamo
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3130-\u318f"  # Hangul compatibility Jamo
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\ua960-\ua97f"  # Hangul Jamo extended A
    "\uac00-\ud7ff"  # Hangul syllables, Jamo extended B
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # CJK extensions B-G
)


def _ranges(codepoints: list[int]) -> str:
    parts = []
    start = prev = codepoints[0]
    for cp in [*codepoints[1:], -1]:
        if cp == prev + 1:
            prev = cp
            continue
        parts.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
        start = prev = cp
    return "".join(parts)


@cache
def _token_pattern() -> re.Pattern[str]:
    one_char = re.compile(f"[{_ONE_CHAR_RANGES}]")
    marks = [
        cp
        for cp in range(sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) in ("Mn", "Mc") and not one_char.match(chr(cp))
    ]
    word = f"(?:[^\\W_{_ONE_CHAR_RANGES}]|[{_ranges(marks)}])+"
    return re.compile(f"[{_ONE_CHAR_RANGES}]|{word}")


def normalize(text: str) -> str:
    """NFKC, then casefold (full-width forms, ligatures and case all compare equal)."""
    return unicodedata.normalize("NFKC", text).casefold()


def tokens(text: str) -> list[str]:
    """The text's tokens, in order (see the module docstring)."""
    return _token_pattern().findall(normalize(text))


def squash(text: str) -> str:
    """The text with everything but letters, marks and digits removed (spaces too)."""
    return "".join(tokens(text))


ONE_CHAR_SCRIPTS = re.compile(f"[{_ONE_CHAR_RANGES}]")
