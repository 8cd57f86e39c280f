"""The report of a batch run: the summary line, and ``--report-json``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Report:
    total: int = 0
    done: int = 0
    skipped: int = 0
    skipped_failed: int = 0  # of ``skipped``: records in ERRORS from an earlier run
    failed: int = 0
    reused: int = 0
    cached: int = 0
    changed: int = 0
    repaired: int = 0
    engine: str = ""
    model: str = ""
    load_seconds: float = 0.0
    run_seconds: float = 0.0
    wall_seconds: float = 0.0
    engine_seconds: float | None = None  # time inside the engine (--workers 1 only)
    interrupted: bool = False
    input_error: str | None = None  # the input could not be read to its end (exit 1)
    cache: dict[str, Any] | None = None  # the workers' SafeCache.health(), merged

    @property
    def cache_degraded(self) -> bool:
        return self.cache is not None and (self.cache["errors"] > 0 or self.cache["state"] != "ok")

    @property
    def rate(self) -> float:
        """Articles summarized per second of processing (model loading excluded)."""
        return self.done / self.run_seconds if self.run_seconds > 0 else 0.0

    def line(self) -> str:
        extra = f", {self.reused} reused" if self.reused else ""
        extra += f", {self.cached} from cache" if self.cached else ""
        status = "interrupted" if self.interrupted else "finished"
        if self.input_error and not self.interrupted:
            status = "stopped"
        skipped = f"{self.skipped} skipped (already done)"
        if self.skipped_failed:
            skipped = (
                f"{self.skipped - self.skipped_failed} skipped (already done), "
                f"{self.skipped_failed} skipped (failed in an earlier run: --retry-errors "
                "tries them again)"
            )
        text = (
            f"batch {status}: {self.total} records read: {self.done} done{extra}, "
            f"{skipped}, {self.failed} failed; "
            f"{self.rate:.1f} articles/s; wall {self.wall_seconds:.1f} s "
            f"(model load {self.load_seconds:.1f} s)"
        )
        if self.changed:
            text += f"; {self.changed} changed since summarized (kept)"
        if self.cache is not None and self.cache_degraded:
            text += (
                f"; cache degraded ({self.cache['backend']}, {self.cache['state']}: "
                f"{self.cache['errors']} errors, {self.cache['skipped']} skipped; "
                f"{self.cache['detail']}): articles were summarized without it"
            )
        if self.interrupted:
            text += "; re-run the same command to continue"
        elif self.input_error:
            text += "; the rest of the input could not be read (see the error above)"
        return text

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["articles_per_second"] = round(self.rate, 3)
        return data
