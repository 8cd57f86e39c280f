"""`summarizer summarize --language`: the caller's language wins and is reported."""

from __future__ import annotations

import json

import pytest

from tests.summarizer.test_cli import run

GERMAN = (
    "Am 12. Bis 13. September startet das Festival in Berlin mit vielen Bands aus ganz Europa. "
    "Die Veranstalter erwarten mehr Besucher als im Vorjahr und haben neue Bühnen gebaut."
)


@pytest.mark.slow
def test_language_option_wins_and_is_reported():
    detected = json.loads(
        run("summarize", "-", "--json", "--length", "short", stdin=GERMAN.encode()).stdout
    )
    assert detected["language"] == "de"
    assert detected["sentences"] == [GERMAN.split(" Die ")[0]]
    given = run("summarize", "-", "--json", "--language", "nl", stdin=GERMAN.encode())
    assert json.loads(given.stdout)["language"] == "nl"


def test_a_malformed_language_is_a_one_line_error():
    result = run("summarize", "-", "--language", "bad lang!", stdin=GERMAN.encode())
    assert result.returncode == 1
    assert result.stderr.decode().strip().splitlines()[-1].startswith("error: language must be")
