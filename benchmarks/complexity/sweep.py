"""The sweeps: every client-text regex on every generated shape, and every stage on the shapes
that reach it, each timed at n and 4n (``measure.GROWTH``)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from benchmarks.complexity.measure import GROWTH, MAX_RATIO, Growth, growth, screened_growth
from benchmarks.complexity.regexes import client_text_regexes
from benchmarks.complexity.shapes import Shape, every_text_shape, html_shapes
from benchmarks.complexity.stages import Stage
from summarizer.errors import InputError


@dataclass(frozen=True)
class Finding:
    subject: str  # a regex (module:name) or a stage
    shape: str
    n: int
    growth: Growth | None  # None: screened out (the larger input took under the screen time)

    @property
    def ratio(self) -> float:
        return self.growth.ratio if self.growth is not None else 0.0

    @property
    def too_steep(self) -> bool:
        return self.ratio > MAX_RATIO

    def describe(self) -> str:
        g = self.growth
        assert g is not None
        return (
            f"{self.subject} on {self.shape}: {g.small * 1e3:.2f} ms at {self.n:,} characters, "
            f"{g.large * 1e3:.2f} ms at {GROWTH * self.n:,} (x{g.ratio:.1f}, at most {MAX_RATIO})"
        )


def regex_sweep(n: int, shapes: Iterable[Shape] | None = None) -> Iterator[Finding]:
    """Every client-text regex (``findall``) on every shape, at ``n`` and ``GROWTH * n``; only
    a call over the screen time at the larger size is measured for growth."""
    regexes = client_text_regexes()
    for shape in shapes if shapes is not None else [*every_text_shape(), *html_shapes()]:
        texts = {size: shape.build(size) for size in (n, GROWTH * n)}
        for regex in regexes:
            findall = regex.pattern.findall

            def at(
                size: int, findall: Callable = findall, texts: dict[int, str] = texts
            ) -> Callable[[], object]:
                text = texts[size]
                return lambda: findall(text)

            yield Finding(regex.name, shape.name, n, screened_growth(at, n))


def stage_growth(stage: Stage, shape: Shape, n: int, rounds: int = 3) -> Finding:
    """How ``stage``'s own time grows on ``shape`` from ``n`` to ``GROWTH * n``; no growth
    (``None``) when the earlier stages refuse the shape, so that it never reaches this one."""

    def at(size: int) -> Callable[[], object]:
        argument = stage.setup(shape.build(size))
        return lambda: stage.run(argument)

    try:
        measured = growth(at, n, rounds=rounds)
    except InputError:
        return Finding(stage.name, shape.name, n, None)
    return Finding(stage.name, shape.name, n, measured)


def cpu_seconds(stage: Stage, raw: str) -> float:
    """CPU seconds of this process for one call of ``stage`` on ``raw`` (its setup excluded)."""
    argument = stage.setup(raw)
    began = time.process_time()
    stage.run(argument)
    return time.process_time() - began
