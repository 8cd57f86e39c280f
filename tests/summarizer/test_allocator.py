"""glibc's malloc keeps large freed blocks for the next model call (summarizer.engines.allocator).

mallopt changes the whole process, so each case runs in a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import tempfile

import pytest

from summarizer.engines.allocator import is_glibc
from tests.subprocesses import run_python

pytestmark = pytest.mark.skipif(not is_glibc(), reason="glibc only")

BLOCK = 96 << 20  # larger than glibc's mmap threshold and than a thread arena's 64 MB heap

# Sets malloc up as the process would (SETUP), then allocates, touches and frees one large block
# in a worker thread, as a model's threads do, and reports what glibc did with it: "kept" is how
# much of the block's memory the process still holds after the free (what was mapped at the peak
# less what went back to the kernel), whether the block was new memory or carved from free space
# the heap already had (after a model's load it often has enough).
PROBE = """
import ctypes, json, sys, threading
class Mallinfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]
libc = ctypes.CDLL(None)
libc.mallinfo2.restype = Mallinfo2
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
applied = SETUP
size = int(sys.argv[1])
before = libc.mallinfo2()
seen = {}
def work():
    block = libc.malloc(size)
    ctypes.memset(block, 1, size)
    peak = libc.mallinfo2()
    seen["mmapped"] = peak.hblkhd - before.hblkhd
    seen["peak"] = peak.arena + peak.hblkhd
    libc.free(block)
thread = threading.Thread(target=work)
thread.start()
thread.join()
after = libc.mallinfo2()
libc.fopen.restype = ctypes.c_void_p
libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fclose.argtypes = [ctypes.c_void_p]
stream = libc.fopen(sys.argv[-1].encode(), b"w")
libc.malloc_info(0, stream)
libc.fclose(stream)
print(json.dumps({"applied": applied, "mmapped": seen["mmapped"],
                  "kept": size - min(size, max(0, seen["peak"] - after.arena - after.hblkhd)),
                  "arenas": open(sys.argv[-1]).read().count("<heap nr=")}))
"""

KEEP = "__import__('summarizer.engines.allocator').engines.allocator.keep_freed_memory()"


def probe(setup: str = KEEP, *args: str, **env: str) -> dict:
    """Run PROBE with ``setup``; ``args`` follow the block size in its ``sys.argv``."""
    with tempfile.TemporaryDirectory() as folder:
        info = os.path.join(folder, "malloc_info.xml")
        result = run_python(
            "-c", PROBE.replace("SETUP", setup), BLOCK, *args, info, env=env, text=True
        )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_freed_block_stays_mapped_for_the_next_call():
    got = probe()
    assert got["applied"] is True
    assert got["mmapped"] == 0, "the block came from a fresh mmap"
    assert got["kept"] >= BLOCK // 2, "the freed block went back to the kernel"
    assert got["arenas"] == 1, "the worker thread got an arena of its own"


def test_without_it_glibc_maps_and_unmaps_each_block():
    """What the settings change: glibc's defaults mmap the block and give it back on free."""
    got = probe("False")
    assert got["mmapped"] >= BLOCK
    assert got["kept"] < BLOCK // 2
    assert got["arenas"] == 2


@pytest.mark.parametrize(
    "env",
    [
        {"SUMMARIZER_KEEP_FREED_MEMORY": "0"},
        {"GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=131072"},
    ],
    ids=["turned-off", "user-tunables"],
)
def test_left_alone_when_turned_off_or_the_user_tuned_malloc(env):
    got = probe(KEEP, **env)
    assert got["applied"] is False
    assert got["mmapped"] >= BLOCK


def test_a_bad_setting_is_refused(monkeypatch):
    from summarizer.engines import allocator
    from summarizer.errors import OptionsError

    monkeypatch.setenv(allocator.ENV, "sometimes")
    with pytest.raises(OptionsError, match="SUMMARIZER_KEEP_FREED_MEMORY"):
        allocator.enabled_by_env()


@pytest.mark.slow
def test_loading_a_seq2seq_model_keeps_freed_memory(tiny_bart):
    """The PyTorch engine as the product loads it (``Summarizer.load``)."""
    load = "__import__('summarizer').Summarizer.load(sys.argv[2]).engine_name == 'seq2seq'"
    got = probe(load, str(tiny_bart))
    assert got["applied"] is True
    assert got["mmapped"] == 0
    assert got["kept"] >= BLOCK // 2
    assert got["arenas"] == 1
