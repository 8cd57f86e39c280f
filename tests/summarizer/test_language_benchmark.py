"""``benchmarks/language_detection.py`` on hand-made pages: accuracy per language, misreadings
named, refused pages counted, timings present."""

from __future__ import annotations

import gzip
import json

from tests.subprocesses import run_python

TEXTS = {
    "de": "Die Bundesregierung hat am Mittwoch neue Regeln für den Wohnungsbau beschlossen. "
    "Mieter sollen dadurch besser geschützt werden, sagte die Ministerin in Berlin.",
    "ru": "Правительство в среду утвердило новые правила строительства жилья. "
    "По словам министра, они должны лучше защитить арендаторов.",
}


def test_language_benchmark_writes_its_table(tmp_path):
    rows = [
        {"id": f"page-{lang}", "lang": lang, "html": f"<html><body><p>{text}</p></body></html>"}
        for lang, text in TEXTS.items()
    ]
    # Labelled French, written in German: must be counted wrong and named.
    rows.append({"id": "mislabelled", "lang": "fr", "html": rows[0]["html"]})
    rows.append({"id": "empty", "lang": "en", "html": "<html><body></body></html>"})
    pages = tmp_path / "pages.jsonl.gz"
    pages.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode()))
    out = tmp_path / "languages.md"
    script = "benchmarks/language_detection.py"
    result = run_python(script, "--pages-file", pages, "--out", out, text=True)
    assert result.returncode == 0, result.stderr
    table = out.read_text(encoding="utf-8")
    assert "| de | 1 | 1 | 100.0 |" in table and "| ru | 1 | 1 | 100.0 |" in table
    assert "| fr | 1 | 0 | 0.0 |" in table and "| all | 3 | 2 | 66.7 |" in table
    assert "`mislabelled` (fr read as de)" in table
    assert "4 pages of `pages.jsonl.gz`, 1 refused" in table
    assert "| prepare, language detected |" in table
