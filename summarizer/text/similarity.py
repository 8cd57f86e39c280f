"""When two sentences say the same thing: token sets compared, in any script."""

from __future__ import annotations

import re
import unicodedata

# Two sentences whose token sets overlap this much (Jaccard) say the same thing; so does a
# sentence of at least REPEAT_MIN_TOKENS tokens whose tokens are nearly all in the other one
# (a standfirst that the first paragraph says again, with more words).
NEAR_DUPLICATE = 0.8
CONTAINED = 0.9
REPEAT_MIN_TOKENS = 6
_TOKEN = re.compile(r"[^\W_]+")
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def tokens(text: str) -> frozenset[str]:
    """Casefolded Unicode word tokens; each character of an unspaced script is a token."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    spaced = _TOKEN.findall(_UNSPACED.sub(" ", folded))
    return frozenset(spaced + _UNSPACED.findall(folded))


def near_duplicate(a: str | frozenset[str], b: str | frozenset[str]) -> bool:
    """True when two sentences say the same: nearly all tokens shared (Jaccard), or one's
    tokens nearly all inside the other."""
    ta = tokens(a) if isinstance(a, str) else a
    tb = tokens(b) if isinstance(b, str) else b
    if not ta or not tb:
        return ta == tb
    shared = len(ta & tb)
    if shared >= NEAR_DUPLICATE * len(ta | tb):
        return True
    smaller = min(len(ta), len(tb))
    return smaller >= REPEAT_MIN_TOKENS and shared >= CONTAINED * smaller


def distinct(sentences: list[str]) -> list[str]:
    """The sentences without any that nearly repeats an earlier one."""
    kept: list[str] = []
    seen: list[frozenset[str]] = []
    for sentence in sentences:
        bag = tokens(sentence)
        if not any(near_duplicate(bag, other) for other in seen):
            kept.append(sentence)
            seen.append(bag)
    return kept
