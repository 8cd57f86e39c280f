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


# -- the library owns the cache: one call looks up (a value), one computes ------------------------


class Failing(SQLiteCache):
    broken = False

    def get(self, key):
        if self.broken:
            raise OSError("disk on fire")
        return super().get(key)


def test_cached_says_hit_miss_error_or_off_as_a_value(tmp_path, articles):
    options = SummaryOptions(length="short")
    plain = Summarizer.load("extractive")
    doc = plain.prepare(articles[0])
    assert plain.cached(plain.cache_key(doc, options), options).state == "off"

    cache = Failing(tmp_path / "c.sqlite3")
    summarizer = Summarizer.load("extractive", cache=cache)
    key = summarizer.cache_key(doc, options)
    miss = summarizer.cached(key, options)
    assert (miss.key, miss.state, miss.summary, miss.error) == (key, "miss", None, None)
    [made] = summarizer.compute([doc], options)
    hit = summarizer.cached(key, options)
    assert hit.state == "hit" and hit.summary.cached is True and hit.summary.text == made.text
    cache.broken = True
    error = summarizer.cached(key, options)
    assert (error.state, error.summary, error.error) == ("error", None, "OSError: disk on fire")
    assert summarizer.cache_health()["errors"] == 1


def test_cache_health_is_the_documented_dict_with_or_without_a_cache(tmp_path):
    keys = {"backend", "state", "errors", "skipped", "detail"}
    off = Summarizer.load("extractive").cache_health()
    assert off == {"backend": None, "state": "off", "errors": 0, "skipped": 0, "detail": None}
    on = Summarizer.load("extractive", cache=SQLiteCache(tmp_path / "c.sqlite3")).cache_health()
    assert set(on) == keys and (on["backend"], on["state"]) == ("sqlite", "ok")


def test_a_cached_entry_records_every_option_even_one_written_before(tmp_path, articles):
    cache = SQLiteCache(tmp_path / "c.sqlite3")
    summarizer = Summarizer.load("extractive", cache=cache)
    options = SummaryOptions(length="short", min_words=12, format="bullets")
    doc = summarizer.prepare(articles[0])
    key = summarizer.cache_key(doc, options)
    [made] = summarizer.compute([doc], options)
    assert made.options == {**options.as_dict(), "language": "en"}
    old = {**made.to_dict(), "options": {"length": "short", "max_words": None}}  # older release
    summarizer.cache.set(key, old)  # sealed for its key (summarizer.cache.entry)
    assert summarizer.cached(key, options).summary.options == made.options
    summarizer.cache.set(key, {"summary": "no other field"})  # an entry this code cannot read
    unreadable = summarizer.cached(key, options)
    assert unreadable.state == "error" and "KeyError" in unreadable.error


def test_warm_up_runs_the_model_once_outside_the_cache(tmp_path):
    cache = SQLiteCache(tmp_path / "c.sqlite3")
    summarizer = Summarizer.load("extractive", cache=cache)
    calls = []
    real = summarizer.engine.summarize_batch
    summarizer.engine.summarize_batch = lambda docs, options: (
        calls.append(len(docs)) or real(docs, options)
    )
    summarizer.warm_up()
    assert calls == [1]
    assert cache._conn().execute("SELECT count(*) FROM summaries").fetchone() == (0,)
