"""Settings from the environment, and the documented table that is generated from them."""

from __future__ import annotations

from api.docs import DOC, render
from api.settings import Settings


def test_docs_settings_table_matches_the_settings_class():
    text = DOC.read_text(encoding="utf-8")
    assert render(text) == text, "docs/deployment.md is stale: run python -m api.docs"
    for name in Settings.model_fields:
        assert f"`SUMMARIZER_{name.upper()}`" in text


def test_environment_variables_with_prefix_and_comma_lists(monkeypatch):
    monkeypatch.setenv("SUMMARIZER_CACHE_URL", "redis://127.0.0.1:6390/2")
    monkeypatch.setenv("SUMMARIZER_CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("SUMMARIZER_API_KEYS", "k1-secret,k2-secret")
    monkeypatch.setenv("SUMMARIZER_QUEUE_MAX_DEPTH", "7")
    monkeypatch.setenv("SUMMARIZER_LOG_LEVEL", "debug")
    s = Settings()
    assert s.cache_url == "redis://127.0.0.1:6390/2"
    assert s.cors_origins == ["https://a.example", "https://b.example"]
    assert [k.get_secret_value() for k in s.api_keys] == ["k1-secret", "k2-secret"]
    assert s.queue_max_depth == 7 and s.log_level == "DEBUG"
    assert "secret" not in repr(s) and "secret" not in str(s.model_dump())


def test_a_pytorch_model_runs_in_a_child_process_by_default(tiny_bart):
    """The documented default (docs/deployment.md): a PyTorch checkpoint folder resolves to the
    engine the settings compare with, and that engine runs in a child process; the extractive
    engine and CTranslate2 do not, unless SUMMARIZER_MODEL_PROCESS says so."""
    from summarizer import registry
    from summarizer.engines.seq2seq import Seq2SeqEngine
    from summarizer.load_options import ENGINE_CTRANSLATE2, ENGINE_EXTRACTIVE, ENGINE_SEQ2SEQ

    spec = registry.resolve(str(tiny_bart))
    assert spec.engine == ENGINE_SEQ2SEQ == Seq2SeqEngine.name
    assert set(registry.ENGINES) == {ENGINE_EXTRACTIVE, ENGINE_SEQ2SEQ, ENGINE_CTRANSLATE2}
    settings = Settings(_env_file=None)
    assert settings.runs_model_process(spec.engine) is True
    assert settings.runs_model_process(ENGINE_EXTRACTIVE) is False
    assert settings.runs_model_process(ENGINE_CTRANSLATE2) is False
    assert Settings(model_process=False).runs_model_process(spec.engine) is False


def test_the_models_folder_comes_from_the_settings_object(monkeypatch, tmp_path):
    """The registry is not asked to read SUMMARIZER_MODELS_DIR behind the settings' back."""
    monkeypatch.setenv("SUMMARIZER_MODELS_DIR", str(tmp_path / "from-env"))
    assert Settings().models_folder() == tmp_path / "from-env"
    given = Settings(models_dir=str(tmp_path / "given"))
    assert given.models_folder() == tmp_path / "given"


def test_a_key_no_header_can_carry_is_refused_with_one_line():
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="control character"):
        Settings(api_keys="good-key,bad\x07key")


def test_the_default_cache_is_in_the_working_directorys_state_folder():
    """Not per user: two checkouts on one machine never share a cache by default."""
    url = Settings.model_fields["cache_url"].default
    assert url == "sqlite:///state/summaries.sqlite3"
    assert "~" not in url
