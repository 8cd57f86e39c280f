"""Each OUTPUT line of ``summarizer batch`` names the language its article was read in."""

from __future__ import annotations

import json

from summarizer.batch.outcome import Outcome
from summarizer.batch.readers.records import Item
from tests.summarizer.batch.conftest import read_jsonl, run_batch

ARTICLES = {
    "en": (
        "The city council approved the new budget on Tuesday after a long debate. "
        "Officials said the plan would fund more buses and repair several bridges. "
        "Residents will be able to comment on the details at public meetings next month."
    ),
    "de": (
        "Der Stadtrat hat am Dienstag nach einer langen Debatte den neuen Haushalt beschlossen. "
        "Nach Angaben der Verwaltung sollen damit mehr Busse fahren und mehrere Brücken "
        "saniert werden. Die Bürger können die Einzelheiten im nächsten Monat diskutieren."
    ),
    "ru": (
        "Городской совет во вторник после долгих споров утвердил новый бюджет. "
        "По словам чиновников, на эти деньги купят новые автобусы и отремонтируют мосты. "
        "Жители смогут обсудить подробности на открытых встречах в следующем месяце."
    ),
}


def test_every_output_line_carries_the_detected_language(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(json.dumps({"id": lang, "text": text}) + "\n" for lang, text in ARTICLES.items()),
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = run_batch(source, "-o", out)
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    assert {row["id"]: row["language"] for row in read_jsonl(out)} == {
        lang: lang for lang in ARTICLES
    }


def test_the_language_survives_the_ray_row_round_trip():
    outcome = Outcome(summary="Ein Satz.", engine="extractive", language="de")
    assert Outcome.from_row(outcome.to_row()).language == "de"
    # No language known (an engine's summary without one): null in OUTPUT, not "".
    assert Outcome(summary="x").output_line(Item("k", "a", "x"), "0" * 64)["language"] is None
