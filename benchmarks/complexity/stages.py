"""Every stage a client's text goes through, each as a call that can be timed on one input.

A stage is ``setup(raw) -> argument`` (the earlier stages' work, not timed) and ``run(argument)``
(the stage's own work, timed). The whole paths are stages too: ``prepare`` (what every entry
point runs first), the library's ``summarize``, a batch record and an HTTP request body.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from summarizer.errors import InputError


@dataclass(frozen=True)
class Stage:
    name: str
    setup: Callable[[str], Any]
    run: Callable[[Any], object]
    html: bool | None = None  # True: HTML input only; False: text only; None: both
    whole: bool = False  # a whole path (prepare, summarize, a request), not one step


def _refused_ok(call: Callable[..., object]) -> Callable[..., object]:
    """``call``, with an InputError (a refusal, the right answer to much hostile input) taken
    as its outcome: the refusal's cost is what is timed then."""

    def run(*args: Any) -> object:
        try:
            return call(*args)
        except InputError as exc:
            return exc

    return run


def _sentences(raw: str) -> list[str]:
    from summarizer.text.normalize import normalize_text
    from summarizer.text.sentences import split_sentences

    return split_sentences(normalize_text(raw)) or ["word."]


def _doc(raw: str) -> Any:
    from summarizer.text.normalize import normalize_text
    from summarizer.text.prepare import PreparedText

    sentences = _sentences(raw)
    return PreparedText(text=normalize_text(raw) or "word.", sentences=sentences, language="en")


def stages() -> list[Stage]:
    from summarizer import Summarizer
    from summarizer.engines.extractive import ExtractiveEngine, clean_sentences
    from summarizer.options import SummaryOptions
    from summarizer.sentence_fit import fit_to_words, render, tidy
    from summarizer.text.encoding import decode_input
    from summarizer.text.extract import extract_article, looks_like_html
    from summarizer.text.furniture import line_kind
    from summarizer.text.htmltree import parse_page
    from summarizer.text.language import detect_language
    from summarizer.text.normalize import normalize_text
    from summarizer.text.plaintext import text_blocks
    from summarizer.text.prepare import prepare
    from summarizer.text.sanitize import sanitize_html
    from summarizer.text.sentences import split_sentences
    from summarizer.text.similarity import tokens as similarity_tokens
    from summarizer.text.tokens import count_words, tokens

    engine = ExtractiveEngine()
    summarizer = Summarizer(engine)
    long = SummaryOptions.of(length="long")
    many = SummaryOptions.of(min_words=1000, max_words=1000)

    def lines(raw: str) -> list[str]:
        return normalize_text(raw).split("\n")

    return [
        Stage("decode bytes", lambda raw: raw.encode("utf-8"), _refused_ok(decode_input)),
        Stage("recognise HTML", lambda raw: raw, looks_like_html),
        Stage("sanitize HTML", lambda raw: raw, sanitize_html, html=True),
        Stage("parse HTML", sanitize_html, parse_page, html=True),
        Stage("extract article", lambda raw: raw, _refused_ok(extract_article), html=True),
        Stage("normalize text", lambda raw: raw, _refused_ok(normalize_text), html=False),
        Stage("plain-text lines", normalize_text, text_blocks, html=False),
        Stage("line kinds", lines, lambda ls: [line_kind(line) for line in ls], html=False),
        Stage("split sentences", normalize_text, split_sentences, html=False),
        Stage("count words", lambda raw: raw, count_words, html=False),
        Stage("scoring tokens", lambda raw: raw, tokens, html=False),
        Stage("similarity tokens", lambda raw: raw, similarity_tokens, html=False),
        Stage("detect language", normalize_text, detect_language, html=False),
        Stage("clean sentences", _sentences, clean_sentences, html=False),
        Stage("rank sentences", _sentences, lambda s: engine.rank(s, many), html=False),
        Stage("fit to words", _sentences, lambda s: fit_to_words(s, 1000), html=False),
        Stage("render", _sentences, lambda s: render(tidy(s, "bullets"), "bullets"), html=False),
        Stage("extractive engine", _doc, lambda d: engine.summarize_batch([d], long), html=False),
        Stage("prepare", lambda raw: raw, _refused_ok(prepare), whole=True),
        Stage(
            "summarize (library)",
            lambda raw: raw,
            _refused_ok(lambda raw: summarizer.summarize(raw, length="long")),
            whole=True,
        ),
        Stage("batch record", _record_line, _refused_ok(_read_record), whole=True),
        Stage("HTTP request body", _request_body, _validate_request, whole=True),
    ]


def _record_line(raw: str) -> bytes:
    return json.dumps({"id": "a", "text": raw}).encode("utf-8") + b"\n"


def _read_record(line: bytes) -> object:
    import io

    from summarizer.batch.readers.fields import Fields
    from summarizer.batch.readers.jsonl import jsonl_records

    return list(jsonl_records(io.BytesIO(line), "records.jsonl", Fields()))


def _request_body(raw: str) -> bytes:
    return json.dumps({"text": raw, "length": "long"}).encode("utf-8")


def _validate_request(body: bytes) -> object:
    from pydantic import ValidationError

    from api.schemas import SummaryRequest

    try:
        return SummaryRequest.model_validate_json(body)
    except ValidationError as exc:
        return exc


def stages_for(html: bool) -> list[Stage]:
    return [stage for stage in stages() if stage.html is None or stage.html == html]
