import pytest

from summarizer import InputError, Summarizer
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
