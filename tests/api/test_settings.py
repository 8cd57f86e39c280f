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
