"""``benchmarks/thai_sentences.py`` writes its comparison table, the shipped row first."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def test_thai_benchmark_writes_its_table(tmp_path):
    out = tmp_path / "thai.md"
    result = subprocess.run(
        [sys.executable, "benchmarks/thai_sentences.py", "--out", str(out)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    rows = [line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    assert rows[0].startswith("| splitter | paragraphs exact | ends found % | ends right % |")
    shipped = rows[1].split(" | ")
    assert shipped[0] == "| **shipped: split_sentences**"
    before = next(row for row in rows if row.startswith("| Bling Fire alone |")).split(" | ")
    # The rule finds the sentence ends that Bling Fire alone never finds.
    assert int(shipped[2]) > 90 and int(before[2]) == 0
