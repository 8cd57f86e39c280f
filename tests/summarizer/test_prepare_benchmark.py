"""``benchmarks/prepare.py`` on a few hand-made pages: the table, its anchors, refused pages."""

from __future__ import annotations

import gzip
import json

import pytest

from tests.subprocesses import run_python


def pages_file(path):
    paragraphs = [
        "The council met on Tuesday to discuss the budget for the coming year in the town hall.",
        "Members argued for three hours about the cost of repairing the old bridge over the river.",
    ]
    article = "".join(f"<p>{p}</p>" for p in paragraphs)
    rows = [
        {
            "id": f"page-{i}",
            "url": f"https://example.org/{i}",
            "lang": lang,
            "html": f"<html><body><article><h1>Budget</h1>{article}</article></body></html>",
            "body": "\n".join(paragraphs),
        }
        for i, lang in enumerate(["en", "de"])
    ]
    rows.append(
        {
            "id": "template-only",
            "url": "https://example.org/t",
            "lang": "en",
            "html": "<html><head><script>var x = 1;</script></head><body></body></html>",
            "body": "Nothing.",
        }
    )
    path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode()))
    return path


def run(*args):
    return run_python("benchmarks/prepare.py", *args, text=True)


@pytest.mark.slow
def test_the_benchmark_times_pages_against_its_anchors_and_lists_refused_ones(tmp_path):
    out = tmp_path / "prepare.md"
    result = run(
        "--pages", str(pages_file(tmp_path / "p.jsonl.gz")), "--repeat", "1", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = out.read_text()
    rows = {
        line.split("|")[1].strip(): line.split("|")[2:-1]
        for line in report.splitlines()
        if line.startswith(("| all", "| en", "| other"))
    }
    assert rows["all (3)"][0].strip() == "2"  # two timed, the template-only page refused
    assert rows["en (2)"][0].strip() == "1" and rows["other (1)"][0].strip() == "1"
    cells = [c.strip() for c in rows["all (3)"]]
    assert all(float(c) > 0 for c in cells[1:7])  # wall and CPU ms
    assert cells[7].endswith("x") and cells[8].endswith("x")  # the two anchors' ratios
    assert "Targets: median <= 30 ms" in report and "p99 <= 300 ms" in report
    assert "Refused pages (an `InputError`, not timed): 1." in report
    assert "- `template-only`" in report
    slowest = [
        line for line in report.split("slowest pages")[1].splitlines() if line.startswith("| `")
    ]
    assert sorted(line.split("`")[1] for line in slowest) == ["page-0", "page-1"]


@pytest.mark.slow
def test_bad_arguments_are_refused(tmp_path):
    assert run("--repeat", "0").returncode == 2
    result = run("--pages", str(tmp_path / "absent.jsonl.gz"))
    assert result.returncode == 2 and "no such web evaluation file" in result.stderr
