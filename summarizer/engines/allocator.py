"""Keep the memory a model frees for its next use (glibc's malloc).

A seq2seq model allocates its activations anew for every layer of every call: tens to hundreds
of megabytes at a time (an encoder's attention scores over a 1,024-token article are 50 MB per
layer). glibc serves blocks that large with a fresh ``mmap`` and hands them back to the kernel
on ``free``, so every call pays again for page faults and for the kernel zeroing those pages
(``perf`` shows it as kernel time; docs/benchmarks.md measures the baseline with and without
these settings). Serving large blocks from the heap and never trimming it lets the next call
reuse pages that are already mapped. This is what jemalloc or tcmalloc would give through
``LD_PRELOAD``, done in-process with ``mallopt`` so that the ``summarizer`` command, the
service and batch workers all get it.

The cost: memory the process freed stays resident (its peak RSS is what it keeps).
``SUMMARIZER_KEEP_FREED_MEMORY=0`` leaves malloc alone, and so does a ``GLIBC_TUNABLES`` that
sets malloc options itself.
"""

from __future__ import annotations

import ctypes
import logging
import os
import platform

from summarizer.errors import OptionsError

log = logging.getLogger(__name__)

ENV = "SUMMARIZER_KEEP_FREED_MEMORY"

# mallopt parameters, from glibc's malloc.h.
M_TRIM_THRESHOLD = -1
M_MMAP_MAX = -4
M_ARENA_MAX = -8

SETTINGS = (
    (M_MMAP_MAX, 0),  # large blocks come from the heap, not a fresh mmap each
    (M_TRIM_THRESHOLD, 2**31 - 1),  # freed heap memory is kept for the next call
    # One arena: blocks freed by one model thread are reused by the others, and blocks above
    # a thread arena's 64 MB limit no longer fall back to mmap.
    (M_ARENA_MAX, 1),
)

_applied: bool | None = None


def enabled_by_env() -> bool:
    value = os.environ.get(ENV, "1").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise OptionsError(f"{ENV} must be 1 or 0 (true/false, on/off), not {value!r}")


def is_glibc() -> bool:
    return platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"


def keep_freed_memory() -> bool:
    """Set glibc's malloc up to keep large freed blocks for reuse, once per process.

    Returns whether the settings are in effect. Does nothing where the C library is not glibc,
    where ``SUMMARIZER_KEEP_FREED_MEMORY=0``, or where ``GLIBC_TUNABLES`` already sets malloc
    options (the user's choice wins).
    """
    global _applied
    if _applied is None:
        _applied = _apply()
    return _applied


def _apply() -> bool:
    if not enabled_by_env():
        log.info("%s=0: leaving malloc's settings alone", ENV)
        return False
    if "glibc.malloc." in os.environ.get("GLIBC_TUNABLES", ""):
        log.info("GLIBC_TUNABLES sets malloc options: leaving them as they are")
        return False
    if not is_glibc():
        log.debug("not glibc: keeping freed memory is left to the platform's allocator")
        return False
    libc = ctypes.CDLL(None)
    failed = [param for param, value in SETTINGS if libc.mallopt(param, value) != 1]
    if failed:
        log.warning("mallopt refused parameters %s; malloc keeps its defaults for them", failed)
        return False
    log.debug("malloc keeps freed memory for reuse (no mmap for large blocks, no trim)")
    return True
