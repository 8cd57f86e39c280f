"""What one ``summarizer batch`` run is asked to do: its files, its summary options, and how to
load the model: one :class:`~summarizer.registry.LoadOptions`, passed unchanged to every worker
process or Ray actor (only the threads each may use are set per worker)."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.errors import OptionsError
from summarizer.load_options import LoadOptions
from summarizer.options import SummaryOptions

# Batches per CTranslate2 replica in one call to a worker: replicas take queued batches as they
# free up and wait for each other only at the end of a call, so one batch each would idle them.
BATCHES_PER_REPLICA = 4


def default_errors_path(output: str | Path) -> Path:
    output = Path(output)
    name = output.name[: -len(".jsonl")] if output.name.endswith(".jsonl") else output.name
    return output.with_name(name + ".errors.jsonl")


def same_file(a: Path, b: Path) -> bool:
    """Also through symbolic and hard links (same inode) when both exist."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


@dataclass
class BatchConfig:
    input: str
    output: Path
    errors: Path | None = None
    model: str = "auto"
    options: SummaryOptions = field(default_factory=SummaryOptions)
    load: LoadOptions = field(default_factory=lambda: LoadOptions(batch_size=16))
    id_field: str = "id"
    text_field: str | None = None
    workers: int = 1
    cache_url: str | None = None
    window: int | None = None  # articles per window; default 16 batches per worker and replica
    retry_errors: bool = False  # set ERRORS aside and try its records again
    log_every: float = 30.0
    progress: bool | None = None  # None: a bar when stderr is a terminal

    def __post_init__(self) -> None:
        self.output = Path(self.output)
        self.errors = Path(self.errors) if self.errors else default_errors_path(self.output)
        if same_file(self.output, self.errors):
            raise OptionsError("--errors must be a different file from OUTPUT")
        if self.input != "-":
            for name, path in (("OUTPUT", self.output), ("ERRORS", self.errors)):
                if same_file(Path(self.input), path):
                    raise OptionsError(f"{name} {path} is the input file: give another file")
        if self.workers < 1:
            raise OptionsError(f"--workers must be at least 1, not {self.workers}")

    @property
    def unit_size(self) -> int:
        """Articles a worker summarizes in one call: a batch, or with replicas a few each."""
        if self.load.replicas == 1:
            return self.load.batch_size
        return self.load.batch_size * self.load.replicas * BATCHES_PER_REPLICA

    @property
    def window_size(self) -> int:
        load = self.load
        return self.window or load.batch_size * load.replicas * max(1, self.workers) * 16

    def worker_load(self, cpus: int | None = None) -> LoadOptions:
        """The load options of one worker: without ``--threads``, the ``cpus`` (default: this
        machine's cores) shared between the workers."""
        if self.load.threads is not None or (self.workers == 1 and cpus is None):
            return self.load
        share = max(1, (cpus or os.cpu_count() or 1) // self.workers)
        return dataclasses.replace(self.load, threads=share)
