"""Summary options over HTTP: every option the library has (min_words included), validated with
the library's bounds and allowed values, recorded whole in the response; and the cache the
library owns, seen from the service (hit, miss and error counted; the hot tier emptied)."""

from __future__ import annotations

import asyncio

import pytest

from api.app import create_app
from api.schemas import SummaryRequest
from summarizer.cache import SQLiteCache
from summarizer.core import Summarizer
from summarizer.engines.extractive import ExtractiveEngine
from summarizer.options import (
    FORMATS,
    LENGTHS,
    MAX_WORDS_CEILING,
    MIN_WORDS_FLOOR,
    OPTION_NAMES,
    SummaryOptions,
)
from summarizer.text.tokens import count_words
from tests.api.conftest import running


def test_min_words_is_honoured_over_http(client, article):
    preset = client.post("/v1/summaries", json={"text": article, "length": "long"})
    longer = client.post(
        "/v1/summaries", json={"text": article, "length": "long", "min_words": 150}
    )
    assert preset.status_code == 200 and longer.status_code == 200, longer.text
    # "long" stops at 5 sentences once past its 50 words; min_words asks for more sentences.
    assert len(preset.json()["sentences"]) == 5 < len(longer.json()["sentences"])
    assert count_words(longer.json()["summary"]) >= 150 > count_words(preset.json()["summary"])
    assert longer.json()["cached"] is False  # min_words is part of the cache key
    assert longer.json()["options"]["min_words"] == 150


def test_min_words_above_the_presets_maximum_is_honoured_over_http(client, article):
    # "short" aims at 8-40 words; min_words=100 lifts that range (it was cut back to 40).
    r = client.post("/v1/summaries", json={"text": article, "length": "short", "min_words": 100})
    assert r.status_code == 200, r.text
    assert count_words(article) > 150
    assert count_words(r.json()["summary"]) >= 100


def test_the_response_records_every_option_the_summary_was_made_with(client, article):
    body = {"text": article, "length": "long", "max_words": 120, "min_words": 30}
    first = client.post("/v1/summaries", json={**body, "format": "bullets"}).json()
    again = client.post("/v1/summaries", json={**body, "format": "bullets"}).json()
    expected = {
        "length": "long",
        "max_words": 120,
        "min_words": 30,
        "format": "bullets",
        "language": "en",  # not given: the detected language, which the summary was made with
    }
    assert first["options"] == expected and set(expected) == set(OPTION_NAMES)
    assert again["cached"] is True and again["options"] == expected


@pytest.mark.hostile(
    "http", "min_words above max_words is a 422 that names both values, in a batch item too."
)
def test_min_words_above_max_words_is_a_clear_422(client, article):
    r = client.post("/v1/summaries", json={"text": article, "min_words": 50, "max_words": 10})
    assert r.status_code == 422, r.text
    assert r.json()["error"] == {
        "code": "invalid_options",
        "message": "min_words (50) is above max_words (10)",
    }
    batch = client.post(
        "/v1/summaries/batch",
        json={"items": [{"text": article, "min_words": 50, "max_words": 10}, {"text": article}]},
    ).json()
    bad, good = batch["items"]
    assert (bad["status"], bad["error"]["code"]) == (422, "invalid_options")
    assert bad["error"]["message"] == "min_words (50) is above max_words (10)"
    assert good["status"] == 200


@pytest.mark.hostile("http", "A min_words out of range or not a whole number is a 422 naming it.")
@pytest.mark.parametrize("bad", [0, MAX_WORDS_CEILING + 1, "20", 2.5, True, -3])
def test_a_min_words_out_of_range_or_not_a_number_is_a_422(client, article, bad):
    r = client.post("/v1/summaries", json={"text": article, "min_words": bad})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["message"].startswith("min_words:")


def test_openapi_shows_the_librarys_allowed_values(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    fields = schemas["SummaryRequest"]["properties"]
    assert set(OPTION_NAMES) <= set(fields)  # every library option can be sent

    def enum(name: str) -> list[str]:
        field = fields[name]
        return field.get("enum") or schemas[field["$ref"].rsplit("/", 1)[1]]["enum"]

    assert enum("length") == list(LENGTHS) and enum("format") == list(FORMATS)
    assert fields["length"]["default"] == SummaryOptions().length
    assert fields["format"]["default"] == SummaryOptions().format
    for name in ("max_words", "min_words"):
        number = next(t for t in fields[name]["anyOf"] if t.get("type") == "integer")
        assert (number["minimum"], number["maximum"]) == (MIN_WORDS_FLOOR, MAX_WORDS_CEILING)


def test_the_request_builds_the_same_options_as_the_library():
    body = SummaryRequest(text="x", length="short", min_words=9, max_words=30, language="de-AT")
    assert body.to_options() == SummaryOptions(
        length="short", min_words=9, max_words=30, language="de"
    )
    assert SummaryRequest(text="x").to_options() == SummaryOptions()  # the same defaults


class Flaky(SQLiteCache):
    """A real SQLite cache that fails every call while ``broken``."""

    broken = False

    def get(self, key):
        if self.broken:
            raise OSError("disk on fire")
        return super().get(key)

    def set(self, key, value):
        if self.broken:
            raise OSError("disk on fire")
        super().set(key, value)


@pytest.mark.hostile(
    "cache",
    "A cache that starts failing under a running service costs no request: each failed read "
    "is counted as a cache error, and no answer is served from the in-process hot tier until "
    "the cache works again.",
)
def test_a_failing_cache_is_counted_and_empties_the_hot_tier(make_settings, tmp_path, article):
    cache = Flaky(tmp_path / "c.sqlite3")
    app = create_app(make_settings(), summarizer=Summarizer(ExtractiveEngine(), cache=cache))
    body = {"text": article, "length": "short"}

    async def main():
        async with running(app) as c:
            first = await c.post("/v1/summaries", json=body)
            hot = await c.post("/v1/summaries", json=body)  # from memory (the hit counted)
            cache.broken = True
            other = await c.post("/v1/summaries", json={**body, "length": "medium"})
            after = await c.post("/v1/summaries", json=body)  # the hot tier was emptied
            return first, hot, other, after, (await c.get("/metrics")).text

    first, hot, other, after, metrics = asyncio.run(main())
    assert [r.status_code for r in (first, hot, other, after)] == [200] * 4
    assert hot.json()["cached"] is True
    # Not from the hot tier (its answers say cached) but summarized again: the hot tier was
    # emptied when the shared cache failed, and the shared cache could not answer.
    assert after.json()["cached"] is False
    assert after.json()["summary"] == first.json()["summary"]
    assert 'summarizer_cache_requests_total{result="miss"} 1.0' in metrics  # the first
    assert 'summarizer_cache_requests_total{result="error"} 2.0' in metrics
    assert 'summarizer_cache_requests_total{result="hit"} 1.0' in metrics  # the hot one


@pytest.mark.hostile(
    "http", "a language tag that names no language ('und', 'zxx') is a 422 saying to leave it out"
)
@pytest.mark.parametrize("tag", ["und", "zxx", "MUL"])
def test_a_language_that_names_no_language_is_a_422(client, article, tag):
    r = client.post("/v1/summaries", json={"text": article, "language": tag})
    assert r.status_code == 422, r.text  # it was a 200 reporting the article's language "und"
    assert r.json()["error"]["code"] == "invalid_options"
    assert "names no language" in r.json()["error"]["message"]
