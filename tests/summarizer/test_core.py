import pytest

from summarizer import InputError, Summarizer, SummaryOptions
from summarizer.cache import SQLiteCache


def test_cache_returns_the_same_summary_marked_cached(tmp_path, articles):
    summarizer = Summarizer.load("extractive", cache=SQLiteCache(tmp_path / "c.sqlite3"))
    first = summarizer.summarize(articles[0])
    again = summarizer.summarize("  " + articles[0] + "\n")  # same text once normalized
    assert (first.cached, again.cached) == (False, True)
    assert again.text == first.text
    assert summarizer.summarize(articles[0], length="short").cached is False


def test_identical_articles_in_a_batch_are_computed_once(articles):
    summarizer = Summarizer.load("extractive")
    calls = []
    real = summarizer.engine.summarize_batch

    def counting(docs, options):
        calls.append(len(docs))
        return real(docs, options)

    summarizer.engine.summarize_batch = counting
    results = summarizer.summarize_batch([articles[0], articles[1], articles[0]])
    assert calls == [2]
    assert results[0].text == results[2].text != results[1].text


def test_bad_item_in_a_batch_is_named(articles):
    with pytest.raises(InputError, match="article 1: input is empty"):
        Summarizer.load("extractive").summarize_batch([articles[0], "   "])


def test_cache_key_changes_with_what_decides_the_output(tiny_bart, articles):
    from summarizer.engines.seq2seq import Seq2SeqEngine

    doc_options = (Summarizer.load("extractive").prepare(articles[0]), SummaryOptions())
    plain = Summarizer(Seq2SeqEngine(tiny_bart, model_id="m", device="cpu"))
    beams = Summarizer(
        Seq2SeqEngine(tiny_bart, model_id="m", device="cpu", generation={"num_beams": 3})
    )
    same = Summarizer(Seq2SeqEngine(tiny_bart, model_id="m", device="cpu"))
    assert plain.cache_key(*doc_options) == same.cache_key(*doc_options)
    assert plain.cache_key(*doc_options) != beams.cache_key(*doc_options)
    assert plain.cache_key(*doc_options) != Summarizer.load("extractive").cache_key(*doc_options)


def test_sqlite_cache_drops_expired_entries(tmp_path, monkeypatch):
    import time as clock

    cache = SQLiteCache(tmp_path / "c.sqlite3", ttl_seconds=60)
    cache.set("old", {"v": 1})
    cache.set("new", {"v": 2})
    real = clock.time
    monkeypatch.setattr(clock, "time", lambda: real() + 120)
    cache.set("newest", {"v": 3})
    assert cache.get("old") is None
    assert cache.purge_expired() == 2  # "old" and "new" were past their TTL
    assert cache.get("newest") == {"v": 3}
    rows = cache._conn().execute("SELECT key FROM summaries").fetchall()
    assert rows == [("newest",)]


def test_callers_that_already_looked_up_can_skip_the_cache_read(tmp_path, articles):
    cache = SQLiteCache(tmp_path / "c.sqlite3")
    summarizer = Summarizer.load("extractive", cache=cache)
    doc = summarizer.prepare(articles[0])
    reads = []
    real_get = cache.get
    cache.get = lambda key: reads.append(key) or real_get(key)
    first = summarizer.compute([doc], SummaryOptions())[0]  # after its own cached() miss
    assert reads == [] and first.cached is False
    assert summarizer.summarize_prepared([doc], SummaryOptions())[0].cached is True  # written
