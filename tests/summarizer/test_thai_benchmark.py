"""``benchmarks/thai_sentences.py`` writes its comparison table, the shipped row first."""

from __future__ import annotations

from tests.subprocesses import run_python


def test_thai_benchmark_writes_its_table(tmp_path):
    out = tmp_path / "thai.md"
    result = run_python("benchmarks/thai_sentences.py", "--out", out, text=True)
    assert result.returncode == 0, result.stderr
    rows = [line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    assert rows[0].startswith("| splitter | paragraphs exact | ends found % | ends right % |")
    shipped = rows[1].split(" | ")
    assert shipped[0] == "| **shipped: split_sentences**"
    before = next(row for row in rows if row.startswith("| Bling Fire alone |")).split(" | ")
    # The rule finds the sentence ends that Bling Fire alone never finds.
    assert int(shipped[2]) > 90 and int(before[2]) == 0
