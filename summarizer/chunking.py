"""Token-aware windows on sentence boundaries, for models with a fixed input size.

Every sentence lands in exactly one window, in order; no window exceeds the budget. A sentence
longer than a window is split into word runs that each fit, never dropped or truncated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

CountTokens = Callable[[Sequence[str]], list[int]]


def split_oversized(sentence: str, count: CountTokens, budget: int) -> list[str]:
    """Cut one sentence into consecutive word runs of at most ``budget`` tokens each."""
    words = sentence.split()
    if len(words) <= 1:
        return _split_characters(sentence, count, budget)
    tokens = count([sentence])[0]
    pieces = max(2, -(-tokens // budget))
    size = max(1, -(-len(words) // pieces))
    runs = [" ".join(words[i : i + size]) for i in range(0, len(words), size)]
    out: list[str] = []
    for run, n in zip(runs, count(runs), strict=True):
        out.extend([run] if n <= budget else split_oversized(run, count, budget))
    return out


def _split_characters(word: str, count: CountTokens, budget: int) -> list[str]:
    """A single 'word' longer than a window (a URL, a hash): cut it by characters."""
    if count([word])[0] <= budget or len(word) <= 1:
        return [word]
    half = len(word) // 2
    return _split_characters(word[:half], count, budget) + _split_characters(
        word[half:], count, budget
    )


def pack_windows(sentences: Sequence[str], count: CountTokens, budget: int) -> list[str]:
    """Greedily pack sentences into windows of at most ``budget`` tokens (counted exactly)."""
    if budget < 1:
        raise ValueError(f"window budget must be positive, not {budget}")
    units: list[str] = []
    for sentence, n in zip(sentences, count(list(sentences)), strict=True):
        units.extend([sentence] if n <= budget else split_oversized(sentence, count, budget))

    windows: list[list[str]] = []
    current: list[str] = []
    for unit in units:
        if current and count([" ".join([*current, unit])])[0] > budget:
            windows.append(current)
            current = []
        current.append(unit)
    if current:
        windows.append(current)
    return [" ".join(w) for w in windows]
