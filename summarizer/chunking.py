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
    """Greedily pack sentences into windows of at most ``budget`` tokens.

    Each sentence is tokenized once and windows are filled by adding up those counts, then each
    window is counted exactly; the rare window that a join pushes over the budget is re-packed
    by exact counting. (Re-tokenizing the growing window for every sentence would be quadratic,
    and a 16k-token LED window makes that seconds per article.)
    """
    if budget < 1:
        raise ValueError(f"window budget must be positive, not {budget}")
    units: list[str] = []
    sizes: list[int] = []
    overhead = count([""])[0]  # prefix and special tokens, paid once per window
    for sentence, n in zip(sentences, count(list(sentences)), strict=True):
        pieces = [sentence] if n <= budget else split_oversized(sentence, count, budget)
        units.extend(pieces)
        sizes.extend([n] if len(pieces) == 1 else count(pieces))

    estimated: list[list[str]] = []
    current: list[str] = []
    used = overhead
    for unit, n in zip(units, sizes, strict=True):
        size = n - overhead
        if current and used + size > budget:
            estimated.append(current)
            current, used = [], overhead
        current.append(unit)
        used += size
    if current:
        estimated.append(current)

    windows: list[str] = []
    for window in estimated:
        text = " ".join(window)
        if len(window) == 1 or count([text])[0] <= budget:
            windows.append(text)
        else:
            windows.extend(_pack_exact(window, count, budget))
    return windows


def _pack_exact(units: Sequence[str], count: CountTokens, budget: int) -> list[str]:
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
