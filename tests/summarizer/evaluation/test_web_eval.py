"""``evaluate_web`` and ``summarizer eval`` on web pages: every page scored, every failure shown."""

from __future__ import annotations

import gzip
import json

import pytest

from summarizer.core import Summarizer
from summarizer.engines.base import Engine
from summarizer.errors import InputError
from summarizer.evaluation.web.pages import WebPage
from summarizer.evaluation.web.runner import evaluate_web, language_group
from tests.summarizer.evaluation.conftest import SAMPLE, WEB_DEV, needs_web_dev
from tests.summarizer.evaluation.test_cli_eval import run  # `summarizer eval` as a user runs it

EN_BODY = (
    "The river rose two metres overnight after a week of rain.\n"
    "Hundreds of families left their homes before dawn, the mayor said."
)
JA_BODY = "川の水位が一晩で二メートル上がった。住民は夜明け前に避難した。"


def page(id, lang, body, *, title="River floods the old town", without=()):
    return WebPage(
        id=id,
        url=f"https://example.org/{id}",
        lang=lang,
        html="<html><body><p>unused</p></body></html>",
        title=title,
        title_variants=(title, f"{title} | Example News"),
        body=body,
        body_without=tuple(without),
    )


class ScriptedEngine(Engine):
    """Returns, for each article text, the sentences the test scripted for it."""

    name = "scripted"

    def __init__(self, script):
        super().__init__(model_id="scripted")
        self.script = script

    def summarize_batch(self, docs, options):
        out = []
        for doc in docs:
            # the page id is the text's first line: a label, so a block of its own, not body
            sentences = self.script[doc.blocks[0].text]
            if sentences == "raise":
                raise RuntimeError("engine broke on this page")
            out.append(self.make_summary(doc, list(sentences), options))
        return out


def test_every_page_is_scored_and_a_failing_page_is_missing_with_its_error():
    pages = [
        page("glued", "en", EN_BODY),
        page("clean", "en", EN_BODY),
        page("ja", "ja", JA_BODY, title="川が氾濫"),
        page("broken", "en", EN_BODY),
        page("snippet", "de", None, without=["Weitere Artikel"]),
    ]
    texts = {p.id: f"{p.id}\n{p.body or 'Weitere Artikel hier.'}" for p in pages}
    script = {
        "glued": ["River floods the old town The river rose two metres overnight."],
        "clean": [EN_BODY.split("\n")[0], EN_BODY.split("\n")[1]],
        "ja": [JA_BODY],  # two sentences the engine listed as one
        "broken": "raise",
        "snippet": ["Weitere Artikel hier."],
    }
    system = Summarizer(ScriptedEngine(script))
    result = evaluate_web({"s": system}, pages, texts=texts, lengths=["short"], progress=False)
    rows = result.summary().set_index("group")
    assert rows.loc["all", "pages"] == 4 and rows.loc["all", "missing"] == 1
    assert rows.loc["all", "in_body"] == pytest.approx(200 / 3)
    assert rows.loc["all", "sent_in_body"] == pytest.approx(75)  # 3 of 4 listed sentences
    assert rows.loc["all", "starts_with_title"] == pytest.approx(100 / 3)
    assert rows.loc["en", "in_body"] == pytest.approx(50)
    assert rows.loc["ja/zh/ko/th", "one_sentence"] == 0
    assert rows.loc["en", "one_sentence"] == 50  # "glued" is one sentence, "clean" two
    assert "other" not in rows.index  # the only other-language page has snippets, no body
    errors = result.errors()
    assert list(errors["id"]) == ["broken"]
    assert "RuntimeError: engine broke" in errors["error"].iloc[0]
    snippets = result.snippet_summary().iloc[0]
    assert snippets["pages"] == 1 and snippets["boilerplate"] == 100


def test_rendered_text_is_required_for_every_page():
    pages = [page("a", "en", EN_BODY), page("b", "en", EN_BODY)]
    with pytest.raises(InputError, match="1 page"):
        evaluate_web(["lead-3"], pages, texts={"a": EN_BODY}, progress=False)


def test_language_groups():
    assert [language_group(x) for x in ("en", "EN-gb", "ja", "zh-Hant", "ko", "th", "ru")] == [
        "en",
        "en",
        "ja/zh/ko/th",
        "ja/zh/ko/th",
        "ja/zh/ko/th",
        "ja/zh/ko/th",
        "other",
    ]


def web_file(path, n=3):
    rows = []
    for i in range(n):
        paragraphs = [
            f"Story {i}: the council met on Tuesday to discuss the budget for the coming year.",
            "Members argued for three hours about the cost of repairing the old bridge.",
            "In the end they agreed to spend more on schools and less on roads next year.",
            "The mayor said the decision was a fair compromise for every part of the town.",
        ]
        html = (
            "<html><head><title>Council budget | Town News</title></head><body><article>"
            "<h1>Council agrees on budget</h1>"
            + "".join(f"<p>{p}</p>" for p in paragraphs)
            + "</article></body></html>"
        )
        rows.append(
            {
                "id": f"p{i}",
                "url": f"https://example.org/{i}",
                "lang": "en",
                "html": html,
                "title": "Council agrees on budget",
                "title_variants": ["Council budget | Town News", "Council agrees on budget"],
                "body": "\n".join(paragraphs),
            }
        )
    path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode()))
    return path


@pytest.mark.slow
def test_eval_detects_a_web_file_and_writes_both_lengths(tmp_path):
    data = web_file(tmp_path / "pages.jsonl.gz")
    md, out = tmp_path / "eval.md", tmp_path / "pages.json"
    md.write_text("# Doc\n\nprose stays\n")
    result = run(
        str(data),
        "-m",
        "extractive",
        "--baseline",
        "lead-3",
        "--markdown",
        str(md),
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert "length=medium" in result.stdout and "length=short" in result.stdout
    text = md.read_text()
    assert text.startswith("# Doc\n\nprose stays\n")
    assert "<!-- eval:web-pages -->" in text and "--markdown" in text
    assert "**length `medium`**" in text and "**length `short`**" in text
    assert "| extractive | all | 3 | 0 |" in text and "| lead-3 | en | 3 | 0 |" in text
    report = json.loads(out.read_text())
    assert len(report["per_page"]) == 2 * 2 * 3
    assert {(r["system"], r["length"]) for r in report["summary"]} == {
        (s, n) for s in ("extractive", "lead-3") for n in ("medium", "short")
    }


@pytest.mark.slow
@pytest.mark.hostile("cli", "a bad web file or option ends in one 'error:' line, no traceback")
def test_web_user_errors_are_one_line(tmp_path):
    data = web_file(tmp_path / "pages.jsonl.gz")
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(data.read_bytes()[:40])
    for args in (
        [str(broken), "--web"],
        [str(data), "--half", "tune"],
        [str(data), "--length", "tiny"],
        [str(SAMPLE), "--rendered", str(tmp_path / "r.jsonl")],
        [str(data), "--rendered", str(tmp_path / "absent.jsonl")],
    ):
        result = run(*args)
        assert result.returncode == 1, args
        assert result.stderr.strip().startswith("error:"), (args, result.stderr)
        assert "Traceback" not in result.stderr


@pytest.mark.slow
@needs_web_dev
def test_eval_on_real_pages_reports_their_measures(tmp_path):
    out = tmp_path / "web.json"
    result = run(str(WEB_DEV), "--limit", "6", "--length", "short", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "dev.jsonl.gz" in result.stdout and "length=short" in result.stdout
    rows = json.loads(out.read_text())["per_page"]
    assert len(rows) == 6
    assert all(r["missing"] or r["sentences"] >= 1 for r in rows)


@pytest.mark.slow
def test_eval_sends_rendered_text_instead_of_the_html(tmp_path):
    data = web_file(tmp_path / "pages.jsonl.gz", n=2)
    rendered = tmp_path / "rendered.jsonl"
    # The rendered text of p0 leads with a line no HTML page holds: the summary must show it.
    texts = {
        "p0": "Council agrees on budget\nBREAKING: a line only the rendered text has.\n"
        + "Story 0: the council met on Tuesday to discuss the budget for the coming year.",
        "p1": "Story 1: the council met on Tuesday to discuss the budget for the coming year.",
    }
    rendered.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in texts.items()))
    out = tmp_path / "r.json"
    result = run(
        str(data),
        "--baseline",
        "lead-3",
        "--length",
        "short",
        "--rendered",
        str(rendered),
        "--out",
        str(out),
        "-m",
        "extractive",
    )
    assert result.returncode == 0, result.stderr
    assert "input=rendered text" in result.stdout
    rows = {(r["system"], r["id"]): r for r in json.loads(out.read_text())["per_page"]}
    assert "only the rendered text has" in rows["lead-3", "p0"]["summary"]
    assert not rows["lead-3", "p0"]["in_body"]
