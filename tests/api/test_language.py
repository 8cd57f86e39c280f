"""The `language` request field and the `language` response field."""

from __future__ import annotations

import pytest

GERMAN = (
    "Am 12. Bis 13. September startet das Festival in Berlin mit mehr als hundert Bands. "
    "Die Veranstalter erwarten in diesem Jahr deutlich mehr Besucher als im Vorjahr. "
    "Karten gibt es ab sofort an allen bekannten Vorverkaufsstellen der Stadt."
)


def test_language_is_detected_and_reported(client):
    r = client.post("/v1/summaries", json={"text": GERMAN, "length": "short"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["language"] == "de"
    # German rules: no sentence ends after the ordinal "12.".
    assert data["sentences"] == [GERMAN.split(" Die ")[0]]


def test_the_callers_language_wins(client):
    r = client.post("/v1/summaries", json={"text": GERMAN, "length": "short", "language": "nl-BE"})
    assert r.status_code == 200, r.text
    assert r.json()["language"] == "nl"
    cached = client.post("/v1/summaries", json={"text": GERMAN, "length": "short"}).json()
    assert cached["language"] == "de"


@pytest.mark.hostile("http", "a language field that is not a language code gets a 422 naming it")
@pytest.mark.parametrize("bad", ["deutsch!", "12", "x" * 40, 7])
def test_a_malformed_language_is_a_422(client, bad):
    r = client.post("/v1/summaries", json={"text": GERMAN, "language": bad})
    assert r.status_code == 422, r.text
    assert "language" in r.text
