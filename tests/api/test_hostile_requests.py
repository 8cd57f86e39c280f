"""Hostile requests that used to get a 500, a wrong status or a silent acceptance (issue 16)."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api import logs
from api.app import create_app
from api.settings import Settings
from tests.api.conftest import run_serve_to_exit, wait_ready
from tests.api.test_malformed import VALID, assert_error_shape

JSON = "application/json"


@pytest.mark.hostile(
    "http",
    "A batch item whose id is not printable text (a lone surrogate, a control character) fails "
    "alone with 422 and its id is not echoed; the other items are summarized.",
)
@pytest.mark.parametrize("bad_id", ["\ud800", "a\x00b", "line\nbreak", "\u202eevil"])
def test_batch_item_with_an_unprintable_id_fails_alone(small_client, bad_id):
    items = [{"text": VALID, "id": bad_id}, {"text": VALID, "id": "ok-1"}]
    raw = json.dumps({"items": items}).encode()  # \ud800 travels escaped, as valid JSON
    r = small_client.post("/v1/summaries/batch", content=raw, headers={"content-type": JSON})
    assert r.status_code == 200, r.text
    first, second = r.json()["items"]
    assert first["status"] == 422 and first["id"] is None
    assert first["error"]["code"] == "invalid_request"
    assert first["error"]["message"].startswith("id:")
    assert second["status"] == 200 and second["id"] == "ok-1"


@pytest.mark.hostile(
    "http", "A request whose id holds control characters gets 422 naming the id field."
)
def test_single_request_with_a_control_character_id_is_422(small_client):
    r = small_client.post("/v1/summaries", json={"text": VALID, "id": "x\x1by"})
    err = assert_error_shape(r, 422)
    assert err["message"].startswith("id:")


def test_ordinary_ids_are_echoed(small_client):
    for given in ("article-42", "Ünïcödé id 7", "https://news.example/a?b=1"):
        r = small_client.post("/v1/summaries", json={"text": VALID, "id": given})
        assert r.status_code == 200 and r.json()["id"] == given


@pytest.mark.hostile("http", "PUT or DELETE on a summary route gets 405, not 415.")
@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", ["/v1/summaries", "/v1/models", "/healthz"])
def test_wrong_method_with_a_body_is_405(small_client, method, path):
    r = small_client.request(method, path, content=b'{"text": "x"}', headers={"content-type": JSON})
    assert_error_shape(r, 405)
    r = small_client.request(method, path, content=b"x", headers={"content-type": "text/plain"})
    assert_error_shape(r, 405)


@pytest.mark.hostile(
    "http",
    "A JSON body in UTF-16 or UTF-32 (with or without a byte-order mark) gets 400 saying JSON "
    "must be UTF-8.",
)
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"])
def test_body_not_in_utf8_is_refused(small_client, encoding):
    raw = json.dumps({"text": VALID}).encode(encoding)
    r = small_client.post("/v1/summaries", content=raw, headers={"content-type": JSON})
    err = assert_error_shape(r, 400)
    assert "UTF-8" in err["message"]


def test_a_utf8_byte_order_mark_is_tolerated(small_client):
    raw = json.dumps({"text": VALID}).encode("utf-8-sig")
    r = small_client.post("/v1/summaries", content=raw, headers={"content-type": JSON})
    assert r.status_code == 200, r.text


@pytest.mark.hostile(
    "http",
    "Both text and html (even an empty one) get 422 saying to give exactly one, and the "
    "OpenAPI schema says exactly one of them.",
)
@pytest.mark.parametrize(
    "body", [{"text": VALID, "html": ""}, {"text": "", "html": "<p>x</p>"}, {"id": "x"}]
)
def test_exactly_one_of_text_and_html(small_client, body):
    err = assert_error_shape(small_client.post("/v1/summaries", json=body), 422)
    assert "exactly one of text or html" in err["message"]
    schema = small_client.get("/openapi.json").json()["components"]["schemas"]["SummaryRequest"]
    assert [branch["required"] for branch in schema["oneOf"]] == [["text"], ["html"]]


@pytest.mark.hostile(
    "http",
    "SUMMARIZER_API_KEYS set to only commas and spaces refuses to start (one line), instead of "
    "serving without authentication.",
)
@pytest.mark.parametrize("keys", [" , ", ",", ",,  ,"])
def test_api_keys_that_hold_no_key_refuse_to_start(monkeypatch, keys):
    monkeypatch.setenv("SUMMARIZER_API_KEYS", keys)
    with pytest.raises(ValidationError, match="holds no key"):
        Settings()
    run = run_serve_to_exit("--port", "1")
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        "error: invalid settings: SUMMARIZER_API_KEYS: is set but holds no key "
        "(comma-separated keys, or leave it unset)"
    ]


def test_unset_or_empty_api_keys_mean_no_auth(monkeypatch):
    monkeypatch.setenv("SUMMARIZER_API_KEYS", "")
    assert Settings().api_keys == []
    monkeypatch.setenv("SUMMARIZER_API_KEYS", " k1 , k2 ")
    assert [k.get_secret_value() for k in Settings().api_keys] == ["k1", "k2"]


@pytest.mark.hostile(
    "cli", "`summarizer serve --port 99999` (or 0, or -1) is refused with one line."
)
@pytest.mark.parametrize("port", ["99999", "0", "-1"])
def test_serve_refuses_a_port_out_of_range(port):
    run = run_serve_to_exit(f"--port={port}")
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        f"error: --port must be between 1 and 65535, not {port}"
    ]


@pytest.mark.hostile(
    "http",
    "HTML with no article text gets 422 and leaves no ERROR lines from the HTML extractor in "
    "the service log.",
)
def test_unusable_html_does_not_log_errors(make_settings):
    saved = logging.getLogger().handlers[:], logging.getLogger().level
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    try:
        logs.setup("INFO", as_json=True)
        logging.getLogger().addHandler(Keep())
        with TestClient(create_app(make_settings())) as client:
            wait_ready(client)
            for html in ("<", "<html></html>", "<html><body><script>x()</script></body></html>"):
                r = client.post("/v1/summaries", json={"html": html})
                assert r.status_code == 422, r.text
    finally:
        logging.getLogger().handlers[:], level = saved
        logging.getLogger().setLevel(level)
    noisy = [r for r in records if r.levelno >= logging.WARNING]
    assert not noisy, [(r.name, r.getMessage()) for r in noisy]
