"""``GET /v1/models`` and ``summarizer models list`` read one listing:
``registry.available_models``."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from summarizer import registry
from summarizer.cli.models import list_models
from tests.api.conftest import wait_ready


def fill_models_dir(directory: Path, monkeypatch) -> None:
    monkeypatch.setenv("SUMMARIZER_MODELS_DIR", str(directory))
    (directory / "remote.toml").write_text('hub_id = "org/remote"\nfamily = "bart"\n')
    (directory / "here.toml").write_text(
        'hub_id = "org/here"\nfamily = "t5"\nmax_input_tokens = 512\nlicense = "mit"\n'
    )
    (directory / "here").mkdir()
    (directory / "here" / "config.json").write_text("{}")
    (directory / "loose").mkdir()
    (directory / "loose" / "config.json").write_text("{}")
    (directory / "fast-ct2-int8").mkdir()
    (directory / "fast-ct2-int8" / "model.bin").write_bytes(b"")
    (directory / "fast-ct2-int8" / "shared_vocabulary.json").write_text("[]")
    (directory / "empty").mkdir()  # not a checkpoint: not listed


def test_available_models_lists_builtin_folders_and_manifests(tmp_path, monkeypatch):
    directory = tmp_path
    fill_models_dir(directory, monkeypatch)
    rows = {m["name"]: m for m in registry.available_models()}
    assert list(rows) == ["extractive", "fast-ct2-int8", "loose", "here", "remote"]
    assert rows["extractive"]["available"] and rows["extractive"]["where"] == "built in"
    assert rows["fast-ct2-int8"]["engine"] == "ctranslate2"
    assert rows["loose"] == {
        "name": "loose",
        "engine": "seq2seq",
        "hub_id": None,
        "family": None,
        "max_input_tokens": None,
        "license": None,
        "available": True,
        "where": "models folder",
        "path": str(directory / "loose"),
    }
    here = rows["here"]
    assert (here["hub_id"], here["family"], here["max_input_tokens"], here["license"]) == (
        "org/here",
        "t5",
        512,
        "mit",
    )
    assert here["available"] and here["path"] == str(directory / "here")
    remote = rows["remote"]
    assert not remote["available"] and remote["path"] is None
    assert remote["where"] == "not local: summarizer models pull remote"


def test_http_and_cli_show_the_same_models(make_settings, tmp_path, monkeypatch, capsys):
    directory = tmp_path / "models"
    directory.mkdir()
    fill_models_dir(directory, monkeypatch)
    expected = registry.available_models()
    with TestClient(create_app(make_settings(model="extractive"))) as c:
        wait_ready(c)
        r = c.get("/v1/models")
    assert r.status_code == 200
    served = [(m["name"], m["engine"], m["available"], m["source"]) for m in r.json()["models"]]
    assert served == [(m["name"], m["engine"], m["available"], m["where"]) for m in expected]
    assert str(directory) not in r.text  # no server paths over HTTP

    monkeypatch.setenv("COLUMNS", "300")
    list_models()  # what `summarizer models list` prints
    out = capsys.readouterr().out
    lines = {line.split("│")[1].strip(): line for line in out.splitlines() if "│" in line}
    assert set(lines) - {"name"} == {m["name"] for m in expected}
    assert "ctranslate2" in lines["fast-ct2-int8"]
    assert "org/here" in lines["here"] and "512" in lines["here"]
    assert "no: summarizer models pull remote" in lines["remote"]
