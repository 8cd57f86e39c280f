"""``summarizer eval`` as a user runs it: a subprocess on real files."""

import json

import pandas as pd
import pytest

from summarizer.evaluation import EvaluationResult
from tests.subprocesses import run_python
from tests.summarizer.evaluation.conftest import DEV, SAMPLE, needs_dev


def run(*args):
    return run_python(
        "-m",
        "summarizer",
        "eval",
        *args,
        "--no-progress",
        env={"COLUMNS": "200"},
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_eval_prints_the_table_and_writes_per_article_results(tmp_path):
    out = tmp_path / "report.json"
    result = run(
        str(SAMPLE), "--baseline", "lead-3", "--limit", "6", "--resamples", "50", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any("R1 (95% CI)" in line and "RLsum (95% CI)" in line for line in lines)
    assert any("extractive" in line and "[" in line for line in lines)
    assert any("lead-3" in line for line in lines)
    report = json.loads(out.read_text())
    assert {row["system"] for row in report["per_article"]} == {"extractive", "lead-3"}
    assert len(report["per_article"]) == 12
    assert report["settings"]["limit"] == 6
    # the CIs in the file are the printed ones: bootstrapped with --resamples, not the default
    rebuilt = EvaluationResult(per_article=pd.DataFrame(report["per_article"]))
    expected = rebuilt.summary(n_resamples=50)
    assert expected["rouge1_low"].ne(rebuilt.summary()["rouge1_low"]).any()
    for row in report["summary"]:
        for column in ("rouge1_low", "rouge1_high", "rougeLsum_low", "rougeLsum_high"):
            assert row[column] == pytest.approx(expected.loc[row["system"], column])
    assert report["settings"]["resamples"] == 50


@pytest.mark.slow
@needs_dev
def test_eval_on_the_dev_set_with_lead_3(tmp_path):
    md = tmp_path / "eval.md"
    result = run(str(DEV), "--baseline", "lead-3", "--limit", "40", "--markdown", str(md))
    assert result.returncode == 0, result.stderr
    assert "dev.jsonl (all, 40 articles" in result.stdout
    assert "extractive - lead-3: rouge1" in result.stdout
    assert "| lead-3 | 40 |" in md.read_text()


@pytest.mark.slow
def test_user_errors_are_one_line(tmp_path):
    for args in (
        [str(SAMPLE), "--baseline", "textrank"],
        [str(tmp_path / "missing.jsonl")],
        [str(SAMPLE), "--limit", "0"],
        [str(SAMPLE), "--half", "first"],
    ):
        result = run(*args)
        assert result.returncode == 1, args
        assert result.stderr.strip().startswith("error:"), result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_auto_next_to_the_model_it_resolves_to_is_an_error():
    # no local checkpoint in the tests: auto resolves to extractive, which would overwrite it
    result = run(str(SAMPLE), "-m", "auto", "-m", "extractive", "--limit", "2")
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("error: two systems are named 'extractive'")
    )
    assert "Traceback" not in result.stderr and "R1 (95% CI)" not in result.stdout


@pytest.mark.slow
def test_off_a_terminal_eval_writes_log_lines_not_a_progress_bar():
    # stderr is a pipe here, as in a log file or CI: batch's rule, batch's progress lines
    result = run_python(
        "-m",
        "summarizer",
        "eval",
        SAMPLE,
        "--baseline",
        "lead-3",
        "--limit",
        "20",
        "--resamples",
        "10",
        "--log-every",
        "0",
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    err = result.stderr
    assert "\r" not in err and "━" not in err and "it/s" not in err, err  # no bar redrawn
    for system in ("extractive", "lead-3"):
        assert f"summarizer.evaluation: {system}: 20 articles" in err, err
        assert f"summarizer.evaluation: {system}: 20 articles done in" in err, err
    progress = [line for line in err.splitlines() if "evaluation: progress:" in line]
    assert [line.split("progress: ")[1].split(" records")[0] for line in progress] == [
        "16/20 (80%)",  # a line per batch of 16 articles with --log-every 0
        "20/20 (100%)",
    ] * 2


def test_progress_none_is_a_bar_only_on_a_terminal(monkeypatch):
    from tqdm import tqdm

    from summarizer.evaluation.progress import LogLines, tracker

    monkeypatch.setattr("sys.stderr.isatty", lambda: False)
    assert isinstance(tracker(3, "s", "article", None), LogLines)
    assert isinstance(tracker(3, "s", "article", True), tqdm)  # asked for: a bar (notebooks)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    bar, off = tracker(3, "s", "article", None), tracker(3, "s", "article", False)
    assert isinstance(bar, tqdm) and not bar.disable and off.disable
    bar.close()
