"""Malformed input of every kind gets a 4xx with the error shape: never a 5xx, never a traceback."""

from __future__ import annotations

import json
import random

import pytest

JSON = "application/json"
VALID = "The council met on Monday. It approved the budget. Critics were not pleased."


def assert_error_shape(r, status: int | None = None) -> dict:
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    if status is not None:
        assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}, body
    assert isinstance(body["error"]["code"], str) and body["error"]["code"]
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert "Traceback" not in r.text
    return body["error"]


RAW_BODIES = [
    (b"not json", 400),
    (b"", 400),
    (b"{", 400),
    (b'{"text": "a",}', 400),
    (b"\xff\xfe\x00{", 400),
    (b'{"text": "caf\xe9 bad utf-8"}', 400),
    (b"[" * 2000 + b"]" * 2000, 400),
    (b"[1, 2]", 422),
    (b'"just a string"', 422),
    (b"null", 422),
    (b"42", 422),
    (b'{"text": "\\ud800 lone surrogate, escaped"}', 422),
    (b'{"text": "ok", "id": "\\udfff"}', 422),
]


@pytest.mark.hostile(
    "http",
    "A body that is not a JSON object (not JSON, not UTF-8, 2,000 levels deep, a lone "
    "surrogate) gets 400 or 422 with the error shape, never a 5xx.",
)
@pytest.mark.parametrize("raw,status", RAW_BODIES, ids=[repr(b[:12]) for b, _ in RAW_BODIES])
def test_bodies_that_are_not_a_json_object(small_client, raw, status):
    r = small_client.post("/v1/summaries", content=raw, headers={"content-type": JSON})
    assert_error_shape(r, status)


FIELDS = [
    {"text": 123},
    {"text": ["a", "b"]},
    {"text": None},
    {"html": {"p": "x"}},
    {"text": VALID, "html": "<p>x</p>"},
    {},
    {"id": "only an id"},
    {"text": VALID, "length": "huge"},
    {"text": VALID, "length": 3},
    {"text": VALID, "format": "html"},
    {"text": VALID, "max_words": 0},
    {"text": VALID, "max_words": 100_000},
    {"text": VALID, "max_words": "12"},
    {"text": VALID, "max_words": 12.5},
    {"text": VALID, "max_words": True},
    {"text": VALID, "id": 7},
    {"text": VALID, "id": "x" * 201},
    {"text": VALID, "unknown": 1},
    {"text": ""},
    {"text": "    \n\t  "},
    {"text": "!!! ??? ..."},
    {"text": "\u0000\u0000\u0000"},
    {"text": "word " * 400},
    {"html": ""},
    {"html": "<html><body><script>alert(1)</script></body></html>"},
    {"html": "<"},
]


@pytest.mark.hostile(
    "http",
    "Wrong field types, unknown fields, out-of-range options and articles with no usable "
    "text get 422 with the error shape.",
)
@pytest.mark.parametrize("body", FIELDS, ids=[json.dumps(b)[:40] for b in FIELDS])
def test_invalid_fields_and_unusable_articles_are_422(small_client, body):
    r = small_client.post("/v1/summaries", json=body)
    assert_error_shape(r, 422)


@pytest.mark.hostile(
    "http",
    "A body over the limit gets 413 before parsing, whether or not it declares its Content-Length.",
)
def test_body_over_the_limit_is_413_with_or_without_content_length(small_client):
    big = json.dumps({"text": "word " * 2000}).encode()
    r = small_client.post("/v1/summaries", content=big, headers={"content-type": JSON})
    assert_error_shape(r, 413)

    def chunks():
        for _ in range(10):
            yield b" " * 1000

    r = small_client.post("/v1/summaries", content=chunks(), headers={"content-type": JSON})
    assert_error_shape(r, 413)


@pytest.mark.hostile(
    "http",
    "A body that is not declared application/json gets 415.",
)
@pytest.mark.parametrize(
    "ctype",
    [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
def test_wrong_content_type_is_415(small_client, ctype):
    headers = {"content-type": ctype} if ctype else {}
    r = small_client.post("/v1/summaries", content=json.dumps({"text": VALID}), headers=headers)
    if ctype is None:
        # httpx sends no content-type for raw content; make sure none was set
        assert "content-type" not in {k.lower() for k in r.request.headers}
    assert_error_shape(r, 415)


def test_json_with_charset_is_accepted(small_client):
    r = small_client.post(
        "/v1/summaries",
        content=json.dumps({"text": VALID}).encode(),
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert r.status_code == 200, r.text


@pytest.mark.hostile(
    "http",
    "A wrong method gets 405 and an unknown path 404, both with the error shape.",
)
def test_wrong_method_and_unknown_path(small_client):
    assert_error_shape(small_client.get("/v1/summaries"), 405)
    assert_error_shape(small_client.get("/v2/nothing"), 404)


@pytest.mark.hostile(
    "http",
    "A malformed batch (no items, items not a list, extra fields) gets 422.",
)
@pytest.mark.parametrize(
    "body",
    [{"items": []}, {"items": "x"}, {"items": None}, {}, {"items": [{"text": VALID}], "x": 1}],
)
def test_malformed_batches(small_client, body):
    assert_error_shape(small_client.post("/v1/summaries/batch", json=body), 422)


def _random_value(rng: random.Random, depth: int = 0):
    choices = [
        lambda: None,
        lambda: rng.choice([True, False]),
        lambda: rng.randint(-(10**12), 10**12),
        lambda: rng.random() * 1e6,
        lambda: "".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(0, 40))),
        lambda: rng.choice(["short", "medium", "long", "bullets", "paragraph", "", "<p>x</p>"]),
        lambda: VALID[: rng.randint(0, len(VALID))],
    ]
    if depth < 2:
        choices += [
            lambda: [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))],
            lambda: {k: _random_value(rng, depth + 1) for k in rng.sample(KEYS, 2)},
        ]
    return rng.choice(choices)()


KEYS = ["text", "html", "id", "length", "max_words", "format", "items", "junk"]


@pytest.mark.hostile(
    "http",
    "300 random JSON bodies on both summary routes never get a 5xx, and no batch item has one.",
)
def test_random_bodies_never_produce_a_server_error(small_client):
    """Property: for any JSON a client can send, the answer is 200 or a 4xx with the shape."""
    rng = random.Random(20240604)
    for _ in range(300):
        keys = rng.sample(KEYS, rng.randint(0, 4))
        body = {k: _random_value(rng) for k in keys}
        path = rng.choice(["/v1/summaries", "/v1/summaries/batch"])
        if path.endswith("batch") and rng.random() < 0.7:
            body = {"items": [body, {"text": VALID}]}
        r = small_client.post(path, json=body)
        assert r.status_code < 500, (body, r.status_code, r.text)
        if r.status_code != 200:
            assert_error_shape(r)
        elif path.endswith("batch"):
            for item in r.json()["items"]:
                assert item["status"] < 500, (body, item)
