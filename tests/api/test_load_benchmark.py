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


def _all_rows(text: str, heading: str) -> list[list[str]]:
    """Every body row of every table in a section (header and separator rows left out)."""
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| ") and not cells[0].startswith(("measure", "---")):
            rows.append(cells)
    return rows


def _number(cell: str) -> float:
    return float(cell.replace(",", ""))


@pytest.mark.slow
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
    assert [row[0] for row in hits if len(row) == 13] == ["16"]
    hit_rps, bare_rps, ratio, miss_rps = (_number(hits[0][i]) for i in (1, 2, 3, 9))
    assert hit_rps > 0 and bare_rps > 0 and miss_rps > 0
    assert ratio == pytest.approx(hit_rps / bare_rps, abs=0.01)

    proxied = [row for row in hits if len(row) == 7 and row[0][0].isdigit()]  # via nginx
    assert [row[0] for row in proxied] == ["16"]
    assert _number(proxied[0][1]) > 0 and _number(proxied[0][2]) > 0

    workers = _cells(text, "## One worker and two")
    assert _number(workers[0][2]) > 0

    # Two tables: "measure | unloaded | flood", then "measure during the flood | value".
    flood = {row[0]: row[1:] for row in _all_rows(text, "## Flood")}
    unloaded_rate = _number(flood["summaries/s completed"][0])
    assert unloaded_rate > 0
    assert int(flood["statuses"][1].split("503: ")[1].split(",")[0].replace(",", "")) > 0
    # Distinct bodies stay distinct after preparation: no request folded into another's flight
    # (a marker line that preparation drops made every flood body one flight, one model call).
    assert flood["requests joined to another's flight"] == ["0", "0"]
    model_calls = _number(flood["model calls, mean s per call"][0].split(",")[0])
    unloaded_ok = _number(flood["statuses"][0].split("200: ")[1].split(",")[0])
    assert model_calls >= unloaded_ok  # one article per model call
    client_503 = flood["503 client ms p50 / p99 / max"][0].split(" / ")
    assert all(_number(v) > 0 for v in client_503)  # timed per request in the Lua script
    health = flood["/healthz: requests, p50 / p99 ms"][0]
    assert _number(health.split(",")[0]) > 0
    assert flood["a normal request before the flood: status, ms"][0].startswith("200, ")
    assert flood["the same kind right after it: status, ms"][0].startswith("200, ")
    # through nginx first: its own 503s carry no Server-Timing, the service's do
    assert ", through nginx" in text and ", the service alone" in text
    assert re.search(r"503 server ms p50 / p99 \| (\d|-)", text)
    assert "## Flood A/B: behind nginx or alone" in text


@pytest.mark.slow
def test_only_runs_one_part_and_leaves_the_docs_alone(tmp_path):
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (scripts/setup.sh --test installs it)")
    out = tmp_path / "workers.md"
    result = subprocess.run(
        [sys.executable, "benchmarks/load.py", "--quick", "--only", "workers", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert "## One worker and two" in text
    assert "## Cache hits" not in text and "## Flood" not in text
    one, two, ratio = (_number(c) for c in _cells(text, "## One worker and two")[0][1:4])
    assert one > 0 and two > 0 and ratio == pytest.approx(two / one, abs=0.01)
