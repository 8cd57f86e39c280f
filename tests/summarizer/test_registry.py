import logging
import shutil

import pytest

from summarizer import Summarizer, registry
from summarizer.errors import ModelNotFoundError
from tests.conftest import ROOT


def test_auto_without_local_models_uses_extractive_and_says_so(caplog):
    with caplog.at_level(logging.INFO, logger="summarizer"):
        summarizer = Summarizer.load("auto")
    assert summarizer.engine_name == "extractive"
    lines = [r.getMessage() for r in caplog.records if "model=auto" in r.getMessage()]
    assert len(lines) == 1
    assert "extractive" in lines[0]


def test_auto_prefers_a_checkpoint_copied_into_models(tiny_bart, tmp_path, monkeypatch, caplog):
    models = tmp_path / "models"
    shutil.copytree(tiny_bart, models / "my-news-model")
    monkeypatch.setenv("SUMMARIZER_MODELS_DIR", str(models))
    with caplog.at_level(logging.INFO, logger="summarizer"):
        summarizer = Summarizer.load("auto", device="cpu")
    assert (summarizer.engine_name, summarizer.model_name) == ("seq2seq", "my-news-model")
    assert any("my-news-model" in r.getMessage() for r in caplog.records)


def test_manifest_name_finds_its_checkpoint_folder(tiny_bart, tmp_path, monkeypatch):
    models = tmp_path / "models"
    models.mkdir()
    (models / "house-model.toml").write_text(
        'hub_id = "example/house-model"\nfamily = "bart"\nmax_input_tokens = 100\n'
        "[generation]\nnum_beams = 2\n"
    )
    shutil.copytree(tiny_bart, models / "house-model")
    monkeypatch.setenv("SUMMARIZER_MODELS_DIR", str(models))
    summarizer = Summarizer.load("house-model", device="cpu")
    assert summarizer.model_name == "house-model"
    assert summarizer.engine.max_input_tokens == 100
    assert summarizer.engine.generation_config.num_beams == 2


def test_checkpoint_in_the_hf_cache_is_found_by_auto(tiny_bart, tmp_path, monkeypatch):
    models = tmp_path / "models"
    models.mkdir()
    (models / "cached.toml").write_text('hub_id = "example/cached"\nfamily = "bart"\n')
    hub = tmp_path / "hf" / "hub" / "models--example--cached"
    shutil.copytree(tiny_bart, hub / "snapshots" / "abc123")
    (hub / "refs").mkdir()
    (hub / "refs" / "main").write_text("abc123")
    monkeypatch.setenv("SUMMARIZER_MODELS_DIR", str(models))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    spec = registry.resolve("auto")
    assert (spec.engine, spec.name) == ("seq2seq", "cached")
    assert Summarizer.load("example/cached", device="cpu").engine_name == "seq2seq"


def test_named_model_without_checkpoint_is_an_error_not_a_fallback(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMARIZER_MODELS_DIR", str(ROOT / "models"))
    with pytest.raises(ModelNotFoundError, match="summarizer models pull distilbart-cnn-12-6"):
        Summarizer.load("distilbart-cnn-12-6")
    with pytest.raises(ModelNotFoundError, match="unknown model"):
        Summarizer.load("no-such-model")
    with pytest.raises(ModelNotFoundError, match="HF_HUB_OFFLINE"):
        Summarizer.load("someone/not-cached")


def test_shipped_manifests_cover_the_known_families():
    known = registry.manifests(ROOT / "models")
    expected = {
        "distilbart-cnn-12-6",
        "bart-large-cnn",
        "pegasus-cnn_dailymail",
        "flan-t5-base",
        "led-base-16384",
    }
    assert expected <= set(known)
    assert known["flan-t5-base"].prefix == "summarize: "
    assert {m.family for m in known.values()} >= {"bart", "pegasus", "t5", "led"}
    assert all(m.hub_id and m.license != "unknown" for m in known.values())
