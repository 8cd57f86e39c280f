"""The job logic in-process: dedup across windows holds even when every window is planned first."""

import json

from summarizer.batch import runner
from summarizer.batch.runner import BatchConfig, Job
from summarizer.batch.work import LoadSpec, summarize_texts
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
