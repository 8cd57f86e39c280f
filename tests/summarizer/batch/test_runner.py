"""The job logic in-process: dedup across windows holds even when every window is planned first."""

import json
import tracemalloc

import pytest

from summarizer.batch import runner
from summarizer.batch.runner import BatchConfig, Job
from summarizer.batch.work import LoadSpec, summarize_texts
from summarizer.errors import OptionsError
from tests.summarizer.batch.conftest import read_jsonl


class PlanAllFirst:
    """The Ray backend's shape: takes every unit before returning the first result."""

    def __init__(self) -> None:
        self.summarizer = LoadSpec(model="extractive").load()
        self.computed = 0

    def map(self, units):
        units = list(units)
        for unit in units:
            self.computed += len(unit.texts)
            yield unit, summarize_texts(self.summarizer, unit.texts, runner.SummaryOptions())

    def close(self):
        pass


def test_identical_texts_across_windows_with_a_tiny_memo(tmp_path, articles, monkeypatch):
    monkeypatch.setattr(runner, "MEMO_ENTRIES", 1)
    order = [0, 1, 2, 0, 3, 1, 1, 4, 0]
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(json.dumps({"id": f"r{i}", "text": articles[a]}) for i, a in enumerate(order))
    )
    out = tmp_path / "out.jsonl"
    backend = PlanAllFirst()
    report = Job(BatchConfig(input=str(source), output=out, window=2, batch_size=1)).run(
        lambda: backend
    )
    rows = read_jsonl(out)
    assert [r["id"] for r in rows] == [f"r{i}" for i in range(len(order))]
    assert backend.computed == 5 and report.reused == 4 and report.done == 9
    by_article = {}
    for row, a in zip(rows, order, strict=True):
        assert by_article.setdefault(a, row["summary"]) == row["summary"]


def test_resume_keeps_ids_not_summaries(tmp_path, articles):
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(json.dumps({"id": f"r{i}", "text": articles[i % 3]}) for i in range(1500))
    )
    out = tmp_path / "out.jsonl"
    summary = "A long summary sentence. " * 400  # ~10 kB a line: ~15 MB of OUTPUT
    with out.open("w", encoding="utf-8") as f:
        for i in range(1500):
            row = {"id": f"r{i}", "summary": summary, "engine": "extractive", "model": "m"}
            f.write(json.dumps(row) + "\n")
    size = out.stat().st_size
    tracemalloc.start()
    try:
        job = Job(BatchConfig(input=str(source), output=out))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    report = job.run(PlanAllFirst)
    assert report.skipped == 1500 and report.done == 0
    assert job.previous_models == {"extractive:m"}
    assert peak < size / 10, f"peak {peak:,} bytes to resume a {size:,}-byte OUTPUT"


def test_interrupt_while_the_model_loads_still_reports(tmp_path, articles):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": articles[0]}) + "\n")
    out = tmp_path / "out.jsonl"

    def load():
        raise KeyboardInterrupt  # Ctrl-C or SIGTERM during make_backend()

    try:
        report = Job(BatchConfig(input=str(source), output=out)).run(load)
    except KeyboardInterrupt:
        pytest.fail("the interrupt escaped Job.run: no summary line")
    assert report.interrupted and report.done == 0
    assert "batch interrupted" in report.line() and "re-run the same command" in report.line()
    assert out.read_bytes() == b""  # closed, nothing half-written


def test_num_beams_reaches_each_workers_model(tiny_bart, tmp_path):
    config = BatchConfig(
        input="in.jsonl", output=tmp_path / "out.jsonl", model=str(tiny_bart), num_beams=3
    )
    summarizer = config.load_spec().load()
    assert summarizer.describe()["num_beams"] == 3


def test_replicas_reach_each_workers_model(tiny_bart, tmp_path):
    pytest.importorskip("ctranslate2")
    from summarizer.convert import convert

    folder = convert(str(tiny_bart), tmp_path / "ct2", "int8")
    config = BatchConfig(
        input="in.jsonl", output=tmp_path / "out.jsonl", model=str(folder), workers=2, replicas=2
    )
    summarizer = config.load_spec().load()
    assert summarizer.describe()["replicas"] == 2
    with pytest.raises(OptionsError, match="--replicas"):
        BatchConfig(input="in.jsonl", output=tmp_path / "o.jsonl", replicas=0)


class RecordUnits(PlanAllFirst):
    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def map(self, units):
        units = list(units)
        self.sizes = [len(unit.texts) for unit in units]
        return super().map(units)


@pytest.mark.parametrize(("replicas", "sizes"), [(1, [2] * 10), (2, [16, 4])])
def test_a_worker_with_replicas_gets_batches_for_each_at_once(tmp_path, articles, replicas, sizes):
    """A worker's replicas wait for each other only at the end of a call, so with replicas a call
    holds several batches for each (BATCHES_PER_REPLICA); without, one batch."""
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps({"id": i, "text": articles[i]}) for i in range(20)))
    backend = RecordUnits()
    config = BatchConfig(
        input=str(source), output=tmp_path / "out.jsonl", batch_size=2, replicas=replicas
    )
    report = Job(config).run(lambda: backend)
    assert report.done == 20
    assert backend.sizes == sizes


@pytest.mark.hostile("batch", "An unexpected error while preparing one article fails only it.")
def test_an_unexpected_prepare_error_fails_one_article_not_the_run(articles, monkeypatch):
    summarizer = LoadSpec(model="extractive").load()
    real = summarizer.prepare

    def prepare(text, input_format="auto"):
        if "POISON" in text:
            raise RecursionError("maximum recursion depth exceeded")  # e.g. a parser's
        return real(text, input_format)

    monkeypatch.setattr(summarizer, "prepare", prepare)
    texts = [(articles[0], "auto"), ("POISON " + articles[1], "auto"), (articles[2], "auto")]
    results = summarize_texts(summarizer, texts, runner.SummaryOptions())
    assert [("error" in r) for r in results] == [False, True, False]
    assert results[1] == {
        "error": "RecursionError: maximum recursion depth exceeded",
        "stage": "prepare",
    }
