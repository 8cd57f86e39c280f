"""What one ``summarizer batch`` run is asked to do: its files, its summary options, and how to
load the model: one :class:`~summarizer.registry.LoadOptions`, passed unchanged to every worker
process or Ray actor (only the threads each may use are set per worker)."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.batch.lock import lock_path
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


def check_paths(source: str, written: dict[str, Path]) -> None:
    """Refuse, before any work, a file the run writes that is the input (or inside an input
    folder) or another file it writes, also through symbolic and hard links."""
    names = list(written.items())
    for i, (name, path) in enumerate(names):
        for other, other_path in names[:i]:
            if same_file(path, other_path):
                raise OptionsError(f"{name} {path} is the same file as {other}: give another file")
        if source == "-":
            continue
        if same_file(Path(source), path):
            raise OptionsError(f"{name} {path} is the input file: give another file")
        if Path(source).is_dir() and path.resolve().is_relative_to(Path(source).resolve()):
            raise OptionsError(f"{name} {path} is inside the input folder: give another file")


def check_writable(name: str, path: Path) -> None:
    """Refuse a file that cannot be written (its folder is missing or read-only, it is a
    folder), before the run rather than after it."""
    if path.is_dir():
        raise OptionsError(f"{name} {path} is a folder: give a file")
    parent = path.parent
    if not parent.is_dir():
        raise OptionsError(f"{name} {path}: the folder {parent} does not exist")
    target = path if path.exists() else parent
    if not os.access(target, os.W_OK):
        raise OptionsError(f"{name} {path} cannot be written (permission denied)")


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
    report: Path | None = None  # --report-json
    mixed_options: bool = False  # resume an OUTPUT written with other summary options

    def written(self) -> dict[str, Path]:
        """Every file the run writes, by the name messages give it."""
        assert self.errors is not None
        paths = {"OUTPUT": self.output, "--errors": self.errors, "the lock": lock_path(self.output)}
        if self.report is not None:
            paths["--report-json"] = self.report
        return paths

    def __post_init__(self) -> None:
        self.output = Path(self.output)
        self.errors = Path(self.errors) if self.errors else default_errors_path(self.output)
        self.report = Path(self.report) if self.report else None
        check_paths(self.input, self.written())
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
