"""benchmarks/load.py --quick: the load tool itself works end to end (wrk, the bare anchor, the
flood with a second wrk on /healthz) and writes its report; loopback only, about 30 s."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def _cells(text: str, heading: str) -> list[list[str]]:
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def _number(cell: str) -> float:
    return float(cell.replace(",", ""))


def test_quick_load_benchmark_writes_every_table(tmp_path):
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (scripts/setup.sh --test installs it)")
    out = tmp_path / "load.md"
    result = subprocess.run(
        [sys.executable, "benchmarks/load.py", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert "--quick" in text  # the command that wrote it

    hits = _cells(text, "## Cache hits and misses")
    assert [row[0] for row in hits] == ["16"]
    hit_rps, bare_rps, ratio, miss_rps = (_number(hits[0][i]) for i in (1, 2, 3, 9))
    assert hit_rps > 0 and bare_rps > 0 and miss_rps > 0
    assert ratio == pytest.approx(hit_rps / bare_rps, abs=0.01)

    workers = _cells(text, "## One worker and two")
    assert _number(workers[0][2]) > 0

    flood = dict(row[:2] for row in _cells(text, "## Flood"))
    assert int(flood["flood statuses"].split("503: ")[1].split(",")[0].replace(",", "")) > 0
    assert _number(flood["unloaded summaries/s"]) > 0
    health = flood["/healthz during the flood: requests, p50 / p99 ms"]
    assert _number(health.split(",")[0]) > 0
    assert flood["a normal request before the flood: status, ms"].startswith("200, ")
    assert flood["the same kind right after it: status, ms"].startswith("200, ")
    assert re.search(r"503 server ms p50 / p99 \| \d", text)
