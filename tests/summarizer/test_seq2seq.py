import shutil

import pytest

from summarizer import Summarizer
from summarizer.engines.seq2seq import Seq2SeqEngine
from summarizer.errors import ModelLoadError, UnsafeCheckpointError
from summarizer.options import SummaryOptions
from summarizer.text import prepare


def test_bart_checkpoint_loads_and_summarizes(tiny_bart, articles):
    summarizer = Summarizer.load(str(tiny_bart), device="cpu")
    summary = summarizer.summarize(articles[3])
    assert summary.engine == "seq2seq"
    assert summary.model == "tiny-bart"
    assert summarizer.describe()["family"] == "bart"
    assert summary.coverage.input_tokens > summarizer.engine.max_input_tokens
    assert summary.coverage.chunks > 1


def test_t5_takes_prefix_and_generation_defaults_from_the_checkpoint(tiny_t5, articles):
    engine = Seq2SeqEngine(tiny_t5, device="cpu")
    assert engine.family == "t5"
    assert engine.prefix == "summarize: "
    assert engine.generation_config.num_beams == 2
    # The prefix is part of what the model sees, so it counts against the window.
    assert engine.count_tokens(["hello"])[0] > len(engine.tokenizer("hello")["input_ids"])
    summary = Summarizer(engine).summarize(articles[0], length="short")
    assert summary.engine == "seq2seq"


def test_manifest_and_overrides_win_over_checkpoint_defaults(tiny_t5):
    engine = Seq2SeqEngine(
        tiny_t5,
        device="cpu",
        prefix="tl;dr: ",
        generation={"num_beams": 3, "no_repeat_ngram_size": 3, "max_length": 9},
    )
    assert engine.prefix == "tl;dr: "
    assert engine.generation_config.num_beams == 3
    assert engine.generation_config.no_repeat_ngram_size == 3
    assert engine.generation_config.max_length is None  # lengths come from the options


@pytest.mark.slow
def test_ten_thousand_words_go_through_map_reduce_without_truncation(bart_engine, long_article):
    doc = prepare(long_article)
    summary = bart_engine.summarize_batch([doc], SummaryOptions())[0]
    coverage = summary.coverage
    assert coverage.input_words >= 10_000
    assert coverage.truncated is False
    assert coverage.chunks * bart_engine.max_input_tokens >= coverage.input_tokens
    assert coverage.chunks > 50
    assert coverage.reduce_rounds >= 1


def test_map_reduce_only_engages_when_the_article_does_not_fit(bart_engine):
    short = prepare("A short note about the weather. It rained.")
    summary = bart_engine.summarize_batch([short], SummaryOptions())[0]
    assert (summary.coverage.chunks, summary.coverage.reduce_rounds) == (1, 0)


def test_batch_results_equal_one_by_one(bart_engine, articles):
    summarizer = Summarizer(bart_engine)
    texts = [articles[8], articles[10], articles[15][:400], articles[11]]
    batched = summarizer.summarize_batch(texts, length="short")
    single = [summarizer.summarize(t, length="short") for t in texts]
    assert [s.text for s in batched] == [s.text for s in single]
    assert [s.coverage for s in batched] == [s.coverage for s in single]


def test_length_presets_ask_the_model_for_more_tokens(bart_engine, monkeypatch, articles):
    asked = {}
    real = bart_engine.generate

    def spy(texts, *, min_new_tokens, max_new_tokens):
        asked.setdefault(length, []).append((min_new_tokens, max_new_tokens))
        return real(texts, min_new_tokens=min_new_tokens, max_new_tokens=max_new_tokens)

    monkeypatch.setattr(bart_engine, "generate", spy)
    doc = prepare("One sentence about a council vote. Another about the budget.")
    for length in ("short", "medium", "long"):
        bart_engine.summarize_batch([doc], SummaryOptions(length=length))
    budgets = [asked[n][-1] for n in ("short", "medium", "long")]
    assert budgets[0] < budgets[1] < budgets[2]


def test_pickle_only_checkpoint_is_refused(tiny_bart, tmp_path):
    folder = tmp_path / "pickled"
    shutil.copytree(tiny_bart, folder)
    (folder / "model.safetensors").rename(folder / "pytorch_model.bin")
    with pytest.raises(UnsafeCheckpointError, match="pickle"):
        Summarizer.load(str(folder))


def test_folder_without_weights_is_a_load_error(tiny_bart, tmp_path):
    folder = tmp_path / "empty"
    shutil.copytree(tiny_bart, folder)
    (folder / "model.safetensors").unlink()
    with pytest.raises(ModelLoadError, match="no model weights"):
        Summarizer.load(str(folder))
