"""Loading the web evaluation file: real rows read, bad files refused with a clear error."""

from __future__ import annotations

import base64
import gzip
import json

import pytest

from summarizer.errors import InputError
from summarizer.evaluation.web import PageMeasures, lead_sentences
from summarizer.evaluation.web.pages import is_web_file, load_pages
from tests.summarizer.evaluation.conftest import SAMPLE, WEB_DEV, needs_web_dev

ROW = {
    "id": "p1",
    "url": "https://example.org/a",
    "lang": "en",
    "html": "<html><body><p>Text.</p></body></html>",
    "title": "A title",
    "title_variants": ["A title", "A title | Site"],
    "body": "Text.",
}


def write(path, rows, *, gz=True):
    data = "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows)
    if gz:
        path.write_bytes(gzip.compress(data.encode()))
    else:
        path.write_text(data)
    return path


def test_rows_load_from_gzip_or_plain_jsonl(tmp_path):
    snippet = {**ROW, "id": "p2", "body": None, "body_without": ["Weitere Artikel"]}
    snippet["html_bytes_b64"] = base64.b64encode("é".encode("latin-1")).decode()
    for gz in (True, False):
        pages = load_pages(write(tmp_path / f"w{gz}.jsonl", [ROW, snippet], gz=gz))
        assert [p.id for p in pages] == ["p1", "p2"]
        assert pages[0].title_variants == ("A title", "A title | Site")
        assert pages[0].has_body and not pages[1].has_body
        assert pages[1].body_without == ("Weitere Artikel",) and pages[1].html_bytes == b"\xe9"
    assert load_pages(write(tmp_path / "l.jsonl", [ROW, {**ROW, "id": "x"}]), limit=1)[0].id == "p1"


def test_web_files_are_told_apart_from_article_files(tmp_path):
    assert is_web_file(write(tmp_path / "w.jsonl.gz", [ROW]))
    assert not is_web_file(SAMPLE)
    assert not is_web_file(tmp_path / "absent.jsonl")


@pytest.mark.hostile("eval", "a malformed web evaluation file is refused with its line and cause")
@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["{not json"], "not JSON"),
        ([[1, 2]], "expected a JSON object"),
        ([{**ROW, "html": ""}], "'html' must be a non-empty string"),
        ([{**ROW, "body": None}], "needs a 'body'"),
        ([{**ROW, "body": 3}], "'body' must be"),
        ([{**ROW, "title_variants": "x"}], "'title_variants' must be a list"),
        ([{**ROW, "html_bytes_b64": "%%%"}], "not valid base64"),
        ([ROW, ROW], "duplicate id"),
        ([], "no pages"),
    ],
)
def test_bad_rows_are_refused_with_where_and_why(tmp_path, rows, message):
    with pytest.raises(InputError, match=message):
        load_pages(write(tmp_path / "bad.jsonl.gz", rows))


@pytest.mark.hostile("eval", "a truncated or non-gzip file gives a clear error, not a traceback")
def test_a_broken_gzip_file_is_refused(tmp_path):
    good = gzip.compress((json.dumps(ROW) + "\n").encode() * 50)
    (tmp_path / "cut.jsonl.gz").write_bytes(good[: len(good) // 2])
    with pytest.raises(InputError, match="cannot read it as gzip JSONL"):
        load_pages(tmp_path / "cut.jsonl.gz")
    (tmp_path / "bin.jsonl").write_bytes(b"\xff\xfe\x00garbage\n")
    with pytest.raises(InputError, match="not UTF-8"):
        load_pages(tmp_path / "bin.jsonl")
    with pytest.raises(InputError, match="no such web evaluation file"):
        load_pages(tmp_path / "absent.jsonl.gz")


@pytest.mark.slow
@needs_web_dev
def test_lead_3_of_every_true_body_is_the_readme_sanity_point():
    pages = [p for p in load_pages(WEB_DEV) if p.has_body]
    assert len(pages) == 177
    rows = []
    for page in pages:
        measures = PageMeasures.of(page.body, page.title_variants)
        rows.append(measures.score(lead_sentences(page.body)))
    assert all(r["in_body"] for r in rows)
    assert sum(r["sentences_in_body"] for r in rows) == sum(r["sentences"] for r in rows)
    assert not any(r["starts_with_title"] or r["dup"] for r in rows)
    assert all(r["lead_overlap"] == pytest.approx(100) for r in rows)
