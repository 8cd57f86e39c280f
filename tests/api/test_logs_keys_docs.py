"""Log lines a client cannot forge, API keys as clients send them, /docs offline, a metrics
label for every route, the demo page's icon (issue 24, items 6 and 7; issue 28)."""

from __future__ import annotations

import logging
import re

from fastapi.testclient import TestClient
from pydantic import SecretStr

from api import logs
from api.app import create_app
from api.keys import key_matches
from tests.api.conftest import wait_ready


def _text_line(record: logging.LogRecord) -> str:
    record.request_id = "-"
    return logs.TextFormatter().format(record)


def test_text_logs_escape_control_characters_in_every_field():
    forged = "/x\n2026-12-08 00:00:00,000 INFO api.access [forged] GET / 200\x1b[31m"
    record = logging.makeLogRecord(
        {"name": "api.access", "levelname": "INFO", "msg": "GET %s 404", "args": (forged,)}
    )
    line = _text_line(record)
    assert "\n" not in line and "\x1b" not in line
    assert "\\x0a2026-12-08" in line and "\\x1b[31m" in line
    record.request_id = "a\rb"
    assert "\r" not in logs.TextFormatter().format(record)


def test_json_logs_escape_control_characters():
    record = logging.makeLogRecord(
        {"name": "api.access", "levelname": "INFO", "msg": "GET %s", "args": ("/a\n\x1b",)}
    )
    record.path = "/a\n\x1b"
    line = logs.JsonFormatter().format(record)
    assert "\n" not in line and "\x1b" not in line and "\\u001b" in line


def test_a_forged_path_writes_one_access_line(make_settings, capfd):
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    logs.setup("INFO", as_json=False)
    try:
        with TestClient(create_app(make_settings())) as c:
            wait_ready(c)
            capfd.readouterr()
            c.get("/nothing%0a2026-12-08%2000:00:00,000%20INFO%20api.access%20[forged]%1b[31m")
            err = capfd.readouterr().err
    finally:
        root.handlers[:], root.level = saved
    access = [line for line in err.splitlines() if " INFO api.access " in line]
    assert len(access) == 1, err
    assert "\x1b" not in err and "[forged]" in access[0] and "\\x0a" in access[0]


def test_a_non_ascii_key_works_as_curl_and_browsers_send_it(make_settings, article):
    """Compared as UTF-8 bytes: the bytes a client sends for a key typed as 'clé-secrète'."""
    app = create_app(make_settings(api_keys="clé-secrète"))
    with TestClient(app) as c:
        wait_ready(c)
        body = {"text": article}
        sent_as_utf8 = {"X-API-Key": "clé-secrète".encode()}
        assert c.post("/v1/summaries", json=body, headers=sent_as_utf8).status_code == 200
        wrong = {"X-API-Key": "cle-secrete"}
        assert c.post("/v1/summaries", json=body, headers=wrong).status_code == 401
    # The comparison itself, on header values as Starlette decodes them (Latin-1): the UTF-8
    # bytes match, the same text sent as Latin-1 bytes does not.
    keys = [SecretStr("clé-secrète")]
    assert key_matches(keys, "clé-secrète".encode().decode("latin-1"))
    assert not key_matches(keys, "clé-secrète".encode("latin-1").decode("latin-1"))
    assert not key_matches(keys, None) and not key_matches(keys, "")


def test_docs_work_offline_with_assets_served_by_the_service(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assets = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", page.text)
    assert assets and all(a.startswith("/") for a in assets), assets  # nothing from a CDN
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    js = client.get("/docs-assets/swagger-ui-bundle.js")
    assert len(js.content) > 100_000 and "javascript" in js.headers["content-type"]


def test_every_route_has_its_own_metrics_label(client):
    for path in ("/docs", "/openapi.json", "/healthz", "/favicon.ico"):
        assert client.get(path).status_code == 200
    client.get("/no-such-page")
    metrics = client.get("/metrics").text
    for path in ("/docs", "/openapi.json", "/healthz", "/favicon.ico"):
        assert f'route="{path}"' in metrics, path
    assert 'route="unmatched",status="404"' in metrics


def test_the_demo_page_has_an_icon(client):
    page = client.get("/")
    assert 'rel="icon"' in page.text
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")


def test_the_start_up_lines_name_the_model_and_the_cache_file(make_settings, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="api.app")
    with TestClient(create_app(make_settings(model="extractive"))) as c:
        wait_ready(c)
    cache = f"cache=sqlite:///{tmp_path / 'cache.sqlite3'}"
    starting = [r.getMessage() for r in caplog.records if r.getMessage().startswith("starting")]
    ready = [r.getMessage() for r in caplog.records if r.getMessage().startswith("ready in")]
    assert starting == [f"starting: model=extractive {cache}"]
    assert len(ready) == 1 and "model=extractive" in ready[0] and cache in ready[0]


def test_a_relative_cache_path_is_named_from_the_working_directory(monkeypatch, tmp_path):
    from api.app import cache_name

    monkeypatch.chdir(tmp_path)
    assert cache_name("sqlite:///state/summaries.sqlite3") == (
        f"sqlite:///{tmp_path / 'state' / 'summaries.sqlite3'}"
    )
    assert cache_name("redis://:hunter2@cache:6379/0") == "redis://***@cache:6379/0"
    assert cache_name("none") == "none"
