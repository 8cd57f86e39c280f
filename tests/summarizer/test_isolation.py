"""Worker processes for work on client text (summarizer/isolation.py): a deadline per call, a
worker past it killed and replaced, and the caller's process never held by the work."""

from __future__ import annotations

import os
import re
import signal
import threading
import time

import pytest

from summarizer import Summarizer
from summarizer.engines.extractive import ExtractiveEngine
from summarizer.errors import InputError, WorkerDied, WorkTimeout
from summarizer.isolation import PreparationPool, WorkerPool

ARTICLE = (
    "The council met on Monday to debate the new budget for the city. "
    "It approved the plan after a long discussion that lasted into the night. "
    "Critics said the plan would raise taxes for families across the region."
)


@pytest.fixture(scope="module")
def pool():
    pool = PreparationPool(2)
    yield pool
    pool.close()


def _wait_for_workers(pool: WorkerPool, count: int, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while len(pool.pids()) < count and time.monotonic() < end:
        time.sleep(0.05)
    assert len(pool.pids()) == count


def test_preparation_in_a_worker_equals_preparation_here(pool):
    summarizer = Summarizer(ExtractiveEngine())
    here = summarizer.prepare(ARTICLE)
    summarizer.preparation_pool = pool
    there = summarizer.prepare(ARTICLE, deadline=time.monotonic() + 60)
    assert there == here
    with pytest.raises(InputError, match="empty"):
        summarizer.prepare("   ", deadline=time.monotonic() + 60)


@pytest.mark.hostile(
    "library",
    "Preparation in a worker process that overruns its deadline is stopped at the deadline "
    "(WorkTimeout, a TimeoutError), its worker killed and replaced, and the next call is served.",
)
def test_a_call_past_its_deadline_is_stopped_and_its_worker_replaced(pool):
    _wait_for_workers(pool, 2)
    before, replaced = set(pool.pids()), pool.replaced
    began = time.monotonic()
    with pytest.raises(WorkTimeout):
        pool.run(time.sleep, 30, deadline=time.monotonic() + 0.3)
    assert time.monotonic() - began < 2
    assert pool.replaced == replaced + 1
    _wait_for_workers(pool, 2)
    assert len(before - set(pool.pids())) == 1  # one worker killed, a new one in its place
    doc = pool.prepare(ARTICLE, max_chars=300_000, deadline=time.monotonic() + 60)
    assert doc.sentences


def test_a_worker_that_dies_fails_its_call_and_is_replaced(pool):
    _wait_for_workers(pool, 2)
    replaced = pool.replaced
    with pytest.raises(WorkerDied):
        pool.run(_die, deadline=time.monotonic() + 30)
    assert pool.replaced == replaced + 1
    _wait_for_workers(pool, 2)
    assert pool.prepare(ARTICLE, max_chars=300_000, deadline=time.monotonic() + 60).sentences


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


# A quadratic pattern (count_words' old one): one C call that holds the GIL for its whole run.
_QUADRATIC = re.compile(r"\S*[^\W_]\S*")


def _hold_the_gil(n: int) -> int:
    return len(_QUADRATIC.findall("word " + "." * n))


def _longest_stall(call) -> tuple[float, float]:
    """(the longest a 5 ms ticker thread of this process waited while ``call`` ran, how long
    ``call`` took)."""
    gaps = [0.0]
    stop = threading.Event()

    def tick() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            time.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticker = threading.Thread(target=tick)
    ticker.start()
    began = time.perf_counter()
    try:
        call()
    finally:
        took = time.perf_counter() - began
        stop.set()
        ticker.join()
    return max(gaps), took


@pytest.mark.hostile(
    "library",
    "Work on client text in a worker process does not hold the caller's GIL: a regex that holds "
    "it for seconds here stalls the caller's other threads that long, in a worker not at all.",
)
def test_work_in_a_worker_never_holds_the_callers_threads(pool):
    _wait_for_workers(pool, 2)
    stalled_here, took_here = _longest_stall(lambda: _hold_the_gil(8_000))
    assert stalled_here > 0.5 * took_here  # the anchor: in this process, the thread stops
    stalled_there, took_there = _longest_stall(
        lambda: pool.run(_hold_the_gil, 8_000, deadline=time.monotonic() + 60)
    )
    assert took_there > 0.5 * took_here  # the same work
    assert stalled_there < 0.2 * took_there, (stalled_there, took_there)
