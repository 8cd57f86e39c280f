import json

import pytest

from summarizer import Summarizer
from summarizer.evaluation import LeadEngine, evaluate, load_dataset
from summarizer.evaluation.report import markdown_table, write_markdown_section, write_results
from tests.summarizer.evaluation.conftest import SAMPLE


@pytest.fixture(scope="module")
def result():
    examples = load_dataset(SAMPLE, limit=8)

    def first_words(article: str) -> str:  # any function from text to summary is a system
        return " ".join(article.split()[:30])

    return evaluate(
        {"extractive": "extractive", "lead-3": LeadEngine(3), "first-30": first_words},
        examples,
        progress=False,
    )


def test_per_article_table_has_one_row_per_system_and_article(result):
    frame = result.per_article
    assert len(frame) == 3 * 8
    assert result.systems == ["extractive", "lead-3", "first-30"]
    assert frame.groupby("system")["id"].nunique().eq(8).all()
    for column in ("rouge1", "rouge2", "rougeL", "rougeLsum"):
        assert frame[column].between(0, 100).all()
    assert (frame["summary_words"] > 0).all()
    # extractive systems copy the article: nothing novel, nothing unsupported
    lead = frame[frame["system"] == "lead-3"]
    assert lead["novel_2grams"].eq(0).all() and lead["unsupported_entities"].eq(0).all()


def test_lead_baseline_is_the_first_sentences(result):
    examples = load_dataset(SAMPLE, limit=8)
    lead = Summarizer(LeadEngine(3))
    row = result.per_article[result.per_article["system"] == "lead-3"].iloc[0]
    assert row["summary"] == " ".join(lead.prepare(examples[0].article).sentences[:3])


def test_summary_has_means_inside_their_intervals(result):
    table = result.summary(n_resamples=200)
    assert list(table.index) == ["extractive", "lead-3", "first-30"]
    for column in ("rouge1", "rouge2", "rougeL", "rougeLsum"):
        assert (table[f"{column}_low"] <= table[column]).all()
        assert (table[column] <= table[f"{column}_high"]).all()
    assert table.loc["lead-3", "rouge1"] == pytest.approx(
        result.per_article.query("system == 'lead-3'")["rouge1"].mean()
    )
    assert table.loc["first-30", "summary_words"] == pytest.approx(30.0)


def test_worst_and_compare(result):
    worst = result.worst("extractive", k=3)
    scores = result.per_article.query("system == 'extractive'")["rougeLsum"]
    assert list(worst["rougeLsum"]) == sorted(scores)[:3]
    diff = result.compare("extractive", "lead-3", "rouge1", n_resamples=200)
    assert diff["low"] <= diff["difference"] <= diff["high"]


def test_results_files(result, tmp_path):
    data = json.loads(write_results(result, tmp_path / "r.json").read_text())
    assert len(data["per_article"]) == 24 and len(data["summary"]) == 3
    assert write_results(result, tmp_path / "r.csv").read_text().count("\n") > 24
    lines = write_results(result, tmp_path / "r.jsonl").read_text().splitlines()
    assert len(lines) == 24 and json.loads(lines[0])["system"] == "extractive"


def test_json_results_use_the_requested_resamples(result, tmp_path):
    data = json.loads(write_results(result, tmp_path / "r.json", n_resamples=50).read_text())
    expected = result.summary(n_resamples=50)
    assert expected["rouge1_low"].ne(result.summary()["rouge1_low"]).any()  # 50 != default 1000
    for row in data["summary"]:
        for column in ("rouge1_low", "rouge1_high", "rougeLsum_low", "rougeLsum_high"):
            assert row[column] == pytest.approx(expected.loc[row["system"], column])


def test_markdown_section_replaces_only_its_block(result, tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("# Title\n\nProse stays.\n\n<!-- eval:x -->\nold\n<!-- /eval:x -->\n\nEnd.\n")
    write_markdown_section(doc, "x", markdown_table(result.summary(n_resamples=50)))
    text = doc.read_text()
    assert "old" not in text and "Prose stays." in text and text.endswith("End.\n")
    assert "| extractive |" in text
    write_markdown_section(doc, "y", "new block")
    assert doc.read_text().count("<!-- eval:") == 2


def test_an_article_too_long_for_the_system_names_its_id():
    from summarizer.errors import InputError
    from summarizer.evaluation import Example

    tiny = Summarizer.load("extractive", max_input_chars=100)
    examples = [Example(id="long-one", article="Word " * 200 + ".", references=("Ref.",))]
    with pytest.raises(InputError, match="article 'long-one'"):
        evaluate({"tiny": tiny}, examples, progress=False)


def test_systems_with_the_same_name_are_an_error_before_anything_runs():
    from summarizer.errors import OptionsError

    examples = load_dataset(SAMPLE, limit=2)
    calls = []

    def first(article: str) -> str:
        calls.append(article)
        return article[:100]

    # no local checkpoint here (tests/conftest.py): auto resolves to the extractive engine
    for systems in (
        [first, "auto", "extractive"],
        [first, lambda a: a[:50], lambda a: a[:80]],
    ):
        with pytest.raises(OptionsError, match="two systems are named"):
            evaluate(systems, examples, progress=False)
    assert calls == []


def test_each_system_is_loaded_when_it_runs_and_released_after(monkeypatch):
    import gc
    import weakref

    from summarizer.evaluation import runner

    load_system = runner.load_system
    alive_at_load = []
    loaded = []

    def tracking_load(spec):
        gc.collect()
        alive_at_load.append(sum(ref() is not None for ref in loaded))
        system = load_system(spec)
        loaded.append(weakref.ref(system))
        return system

    monkeypatch.setattr(runner, "load_system", tracking_load)
    result = evaluate(["extractive", "lead-3"], load_dataset(SAMPLE, limit=2), progress=False)
    assert result.systems == ["extractive", "lead-3"]
    assert alive_at_load == [0, 0]  # the first system was gone before the second one loaded
    assert all(ref() is None for ref in loaded)


def test_auto_says_once_which_model_it_chose(caplog):
    """The row is named after the model ``auto`` chose; the choice is logged once."""
    examples = load_dataset(SAMPLE, limit=1)
    with caplog.at_level("INFO", logger="summarizer.registry"):
        result = evaluate(["auto"], examples, progress=False)
    assert result.systems == ["extractive"]  # no local checkpoint here (tests/conftest.py)
    assert sum("model=auto" in r.getMessage() for r in caplog.records) == 1


def test_auto_is_resolved_once_for_naming_and_loading(monkeypatch):
    """The row's name and the model loaded come from one resolution of ``auto`` (two could
    disagree if ``models/`` changed in between, and each one scans the folder)."""
    from summarizer import registry

    resolved = []
    resolve = registry.resolve

    def counting(model, *args, **kwargs):
        resolved.append(model)
        return resolve(model, *args, **kwargs)

    monkeypatch.setattr(registry, "resolve", counting)
    result = evaluate(["auto", "lead-3"], load_dataset(SAMPLE, limit=1), progress=False)
    assert result.systems == ["extractive", "lead-3"]  # no local checkpoint here
    assert resolved == ["auto"]


def test_quotation_fragments_and_redundant_pairs_are_measured_on_articles():
    examples = load_dataset(SAMPLE)[:2]

    def half_a_quote(article: str) -> list[str]:
        return ["“Yes, we needed to win this game today.", "The team lost on Monday night."]

    def one_fact_twice(article: str) -> list[str]:
        return [
            "Apple will release a new 13-inch MacBook Pro with a scissor keyboard in early 2020.",
            "A 13-inch MacBook Pro with a scissor keyboard is coming from Apple in 2020.",
        ]

    result = evaluate({"quote": half_a_quote, "twice": one_fact_twice}, examples, progress=False)
    summary = result.summary(n_resamples=10)
    assert summary.loc["quote", "quote_fragment"] == 100.0
    assert summary.loc["quote", "redundant"] == 0.0
    assert summary.loc["twice", "redundant"] == 100.0
    assert summary.loc["twice", "quote_fragment"] == 0.0
    assert "quote frag %" in markdown_table(summary) and "redundant %" in markdown_table(summary)
