"""What loading a model takes: the resolved :class:`ModelSpec` (which engine, from where) and the
:class:`LoadOptions` (how to run it). Every entry point builds one ``LoadOptions`` and passes it
down unchanged; each engine reads it in its own ``from_spec`` constructor.

A leaf module (it imports nothing of the package but its errors), so that the registry, the
engines and the converter can all use it without importing each other.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.errors import ModelLoadError, OptionsError


@dataclass(frozen=True)
class Manifest:
    """A known model: where it comes from and how to run it (``models/NAME.toml``)."""

    name: str
    hub_id: str
    family: str
    max_input_tokens: int | None = None
    prefix: str | None = None
    license: str = "unknown"
    description: str = ""
    generation: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> Manifest:
        with path.open("rb") as f:
            data = tomllib.load(f)
        try:
            return cls(**{"name": path.stem, **data})
        except TypeError as exc:
            raise ModelLoadError(f"bad manifest {path}: {exc}") from None


# The engines' names: what a ModelSpec's ``engine`` holds, the keys of registry.ENGINES and what
# each engine class calls itself (``Engine.name``). Settings that depend on the engine (the
# service's model process) compare with these, never with a literal.
ENGINE_EXTRACTIVE = "extractive"
ENGINE_SEQ2SEQ = "seq2seq"  # PyTorch (transformers)
ENGINE_CTRANSLATE2 = "ctranslate2"


@dataclass(frozen=True)
class ModelSpec:
    """A resolved model: which engine runs it and from where (picklable: sent to workers)."""

    engine: str
    source: str
    name: str
    manifest: Manifest | None = None
    local_files_only: bool = True


@dataclass(frozen=True)
class LoadOptions:
    """How to load and run a model: the one object that carries load settings, from the CLI, the
    service settings, batch workers and Ray actors down to the engine (picklable).

    Validated here, so a bad value fails where it is given, not in a worker process."""

    device: str = "auto"
    threads: int | None = None  # CPU threads the engine may use (None: all cores)
    batch_size: int = 8  # articles per model call
    generation: dict[str, Any] = field(default_factory=dict)  # overrides of the model's own
    num_beams: int | None = None  # shorthand for generation={"num_beams": N}; wins over it
    quantize: bool = False  # PyTorch: dynamic int8 quantization on CPU
    replicas: int = 1  # CTranslate2: model replicas sharing one copy of the weights
    compute_type: str = "default"  # CTranslate2: run as converted, or as one of COMPUTE_TYPES

    def __post_init__(self) -> None:
        if self.compute_type not in COMPUTE_TYPES:
            raise OptionsError(
                f"compute type must be one of {', '.join(COMPUTE_TYPES)}, not {self.compute_type!r}"
            )
        if self.replicas < 1:
            raise OptionsError(f"--replicas must be at least 1, not {self.replicas}")
        if isinstance(self.batch_size, bool) or self.batch_size < 1:
            raise OptionsError(f"--batch-size must be at least 1, not {self.batch_size}")
        if self.num_beams is not None and self.num_beams < 1:
            raise OptionsError(f"--num-beams must be at least 1, not {self.num_beams}")
        check_device(self.device)
        check_threads(self.threads)

    def generation_settings(self, base: dict[str, Any] | None = None) -> dict[str, Any]:
        """``base`` (a manifest's settings), then ``generation``, then ``num_beams``."""
        beams = {"num_beams": self.num_beams} if self.num_beams else {}
        return {**(base or {}), **self.generation, **beams}


# What CTranslate2 can run a converted model's weights as ("default": as they were converted).
COMPUTE_TYPES = (
    "default",
    "auto",
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float16",
    "bfloat16",
    "float32",
)

DEVICE = re.compile(r"auto|cpu|cuda(:\d{1,3})?")


def check_device(device: str) -> None:
    if not isinstance(device, str) or not DEVICE.fullmatch(device):
        raise OptionsError(f"--device must be auto, cpu, cuda or cuda:N, not {device!r}")


def max_threads() -> int:
    """More threads than 4 per core only slows a model down (and 100,000 exhausts the OS)."""
    return 4 * (os.cpu_count() or 1)


def check_threads(threads: int | None) -> None:
    if threads is None:
        return
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise OptionsError(f"--threads must be a whole number of at least 1, not {threads!r}")
    if threads > max_threads():
        raise OptionsError(
            f"--threads {threads} is more than this machine can use: at most {max_threads()} "
            f"(4 per CPU core)"
        )


def resolve_device(device: str, cuda_available: bool) -> tuple[str, int]:
    """``auto`` | ``cpu`` | ``cuda`` | ``cuda:N`` → (kind, index); ``auto`` is CUDA when there is
    one. Asking for CUDA on a machine without it is a load error, never a silent CPU run."""
    check_device(device)
    if device == "auto":
        return ("cuda" if cuda_available else "cpu"), 0
    kind, _, index = device.partition(":")
    if kind == "cuda" and not cuda_available:
        raise ModelLoadError(f"device {device!r} was asked for but CUDA is not available")
    return kind, int(index or 0)
