"""Growth of a stage's time with its input: the fastest of a few calls at n and at 4n.

A linear stage takes about 4 times as long at 4n; a quadratic one 16 times. Timings on a busy
machine are noisy, so time is this process's CPU time (which other processes inflate far less
than the wall clock), each side is the fastest of several calls (each repeated until it lasts a
measurable time), and a ratio over the bound is measured again before it counts: noise does not
repeat, a quadratic stage does.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass

_clock = time.process_time

GROWTH = 4  # the larger input is this many times the smaller
MAX_RATIO = 6.0  # time at GROWTH * n over time at n: linear is 4, quadratic 16
# A call shorter than this is repeated inside one timing (a timer's resolution, the loop's own
# cost), so that tiny calls are timed as a batch.
MIN_TIMING = 0.002


@dataclass(frozen=True)
class Growth:
    small: float  # seconds per call at n
    large: float  # seconds per call at GROWTH * n

    @property
    def ratio(self) -> float:
        return self.large / self.small if self.small > 0 else float("inf")


def seconds_per_call(call: Callable[[], object], rounds: int = 3, budget: float = 30.0) -> float:
    """The fastest of ``rounds`` timings of ``call`` (each a batch of calls lasting at least
    ``MIN_TIMING``), in seconds per call; one call only when that alone takes ``budget``."""
    began = _clock()
    call()
    first = _clock() - began
    if first >= budget:
        return first
    batch = max(1, int(MIN_TIMING / first)) if first > 0 else 1000
    best = first
    gc_was = gc.isenabled()
    gc.disable()
    try:
        for _ in range(rounds):
            began = _clock()
            for _ in range(batch):
                call()
            best = min(best, (_clock() - began) / batch)
    finally:
        if gc_was:
            gc.enable()
    return best


def growth(
    at: Callable[[int], Callable[[], object]], n: int, *, confirm: int = 2, rounds: int = 3
) -> Growth:
    """How the time of ``at(size)()`` grows from ``n`` to ``GROWTH * n``; a ratio over
    ``MAX_RATIO`` is measured again (up to ``confirm`` more times) and the lowest one kept."""
    small_call, large_call = at(n), at(GROWTH * n)
    best = Growth(seconds_per_call(small_call, rounds), seconds_per_call(large_call, rounds))
    for _ in range(confirm):
        if best.ratio <= MAX_RATIO:
            break
        again = Growth(
            seconds_per_call(small_call, rounds + 2), seconds_per_call(large_call, rounds + 2)
        )
        if again.ratio < best.ratio:
            best = again
    return best


# A linear pass over the larger input of a quick sweep takes well under this; a quadratic one
# (64 million steps at 8,000 characters) far more. Only a call over it is measured for growth.
SCREEN_SECONDS = 0.002


def screened_growth(
    at: Callable[[int], Callable[[], object]], n: int, screen: float = SCREEN_SECONDS
) -> Growth | None:
    """None when one call at ``GROWTH * n`` is faster than ``screen`` (no room for anything
    but near-linear work at that size); else the measured :func:`growth`."""
    large = at(GROWTH * n)
    began = _clock()
    large()
    if _clock() - began < screen:
        return None
    return growth(at, n)
