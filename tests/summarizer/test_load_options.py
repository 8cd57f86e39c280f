"""One ``LoadOptions`` from every entry point to the engine; a model resolved once a process."""

from __future__ import annotations

import json
import pickle

import pytest

from summarizer import LoadOptions, Summarizer, registry
from summarizer.batch.config import BatchConfig
from summarizer.batch.runner import run_local
from summarizer.batch.work import WorkerModel


@pytest.fixture
def count_resolves(monkeypatch):
    calls: list[str] = []
    real = registry.resolve

    def counting(model, *args, **kwargs):
        calls.append(model)
        return real(model, *args, **kwargs)

    monkeypatch.setattr(registry, "resolve", counting)
    return calls


def test_a_batch_run_resolves_its_model_once(tiny_bart, articles, tmp_path, count_resolves):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps({"id": i, "text": articles[i]}) for i in range(2)))
    config = BatchConfig(
        input=str(source),
        output=tmp_path / "out.jsonl",
        model=str(tiny_bart),
        load=LoadOptions(device="cpu", num_beams=1, batch_size=2),
    )
    report = run_local(config)
    assert report.done == 2 and report.engine == "seq2seq"
    assert count_resolves == [str(tiny_bart)]  # in the driver only, not again when loading


def test_what_a_worker_gets_survives_pickling(tiny_bart):
    """Worker processes and Ray actors receive the driver's spec and options as they are."""
    model = WorkerModel(registry.resolve(str(tiny_bart)), LoadOptions(device="cpu", num_beams=3))
    again = pickle.loads(pickle.dumps(model))
    assert again == model
    assert again.load().describe()["num_beams"] == 3


def test_options_or_their_fields_not_both():
    assert Summarizer.load("extractive", LoadOptions()).engine_name == "extractive"
    assert Summarizer.load("extractive", device="cpu").engine_name == "extractive"
    with pytest.raises(TypeError, match="device"):
        Summarizer.load("extractive", LoadOptions(), device="cpu")


def test_the_service_loads_the_spec_it_was_given(make_settings_like, count_resolves):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from tests.api.conftest import wait_ready

    spec = registry.resolve("extractive")
    count_resolves.clear()
    with TestClient(create_app(make_settings_like(), model=spec)) as client:
        wait_ready(client)
        assert client.get("/v1/models").status_code == 200
    assert count_resolves == []


@pytest.fixture
def make_settings_like(tmp_path):
    from api.settings import Settings

    return lambda: Settings(cache_url=f"sqlite:///{tmp_path / 'c.sqlite3'}", log_json=False)
