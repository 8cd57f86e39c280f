"""``evaluate_web(systems, pages)``: summarize every page as the website does and score it.

Each page's HTML goes through ``Summarizer.prepare(html, "html")`` and
``Summarizer.summarize_prepared``, the two calls the HTTP service makes for an ``html`` request
(or, with ``texts``, the page's rendered text as a ``text`` request). A page that raises is a
*missing* summary with its error recorded, never a skipped row.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from summarizer.core import Summarizer
from summarizer.errors import InputError
from summarizer.evaluation.progress import tracker
from summarizer.evaluation.runner import System, _named, load_system
from summarizer.evaluation.web.measures import PageMeasures, contains_snippet, sentence_count
from summarizer.evaluation.web.pages import WebPage, load_pages
from summarizer.options import SummaryOptions
from summarizer.text.prepare import InputFormat

LENGTHS: tuple[str, ...] = ("medium", "short")
ALL = "all"
NO_SPACE_LANGUAGES = frozenset({"ja", "zh", "ko", "th"})
NO_SPACE_GROUP = "ja/zh/ko/th"
GROUPS: tuple[str, ...] = (ALL, "en", "other", NO_SPACE_GROUP)


def language_group(lang: str) -> str:
    """``en``, ``ja/zh/ko/th`` (scripts without spaces, reported on their own) or ``other``."""
    code = lang.lower().split("-")[0]
    if code == "en":
        return "en"
    return NO_SPACE_GROUP if code in NO_SPACE_LANGUAGES else "other"


@dataclass
class WebEvaluation:
    """One row per (system, length, page), and the tables made from them."""

    per_page: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def systems(self) -> list[str]:
        return list(dict.fromkeys(self.per_page["system"]))

    @property
    def lengths(self) -> list[str]:
        return list(dict.fromkeys(self.per_page["length"]))

    def summary(self) -> pd.DataFrame:
        """Full-body pages: one row per (length, system, language group), measures in %."""
        rows = []
        body = self.per_page[self.per_page["kind"] == "body"]
        for (length, system), frame in body.groupby(["length", "system"], sort=False):
            for group in GROUPS:
                part = frame if group == ALL else frame[frame["group"] == group]
                if len(part):
                    rows.append(
                        {"length": length, "system": system, "group": group, **_rates(part)}
                    )
        return pd.DataFrame(rows)

    def snippet_summary(self) -> pd.DataFrame:
        """Snippet pages: how many summaries hold one of the page's ``body_without`` strings."""
        rows = []
        snippets = self.per_page[self.per_page["kind"] == "snippets"]
        for (length, system), part in snippets.groupby(["length", "system"], sort=False):
            present = part[~part["missing"]]
            rows.append(
                {
                    "length": length,
                    "system": system,
                    "pages": len(part),
                    "missing": int(part["missing"].sum()),
                    "boilerplate": _percent(present["boilerplate"]),
                }
            )
        return pd.DataFrame(rows)

    def errors(self) -> pd.DataFrame:
        """The pages that got no summary, with the error each raised."""
        missing = self.per_page[self.per_page["missing"]]
        return missing[["system", "length", "id", "lang", "error"]]


def _percent(values: pd.Series) -> float:
    return 100 * float(values.astype(float).mean()) if len(values) else float("nan")


def _rates(part: pd.DataFrame) -> dict[str, Any]:
    present = part[~part["missing"]]
    sentences = present["sentences"].sum()
    return {
        "pages": len(part),
        "missing": int(part["missing"].sum()),
        "in_body": _percent(present["in_body"]),
        "sent_in_body": 100 * present["sentences_in_body"].sum() / sentences
        if sentences
        else float("nan"),
        "starts_with_title": _percent(present["starts_with_title"]),
        "dup": _percent(present["dup"]),
        "quote_fragment": _percent(present["quote_fragment"]),
        "redundant": _percent(present["redundant"]),
        "lead_overlap": float(present["lead_overlap"].mean()) if len(present) else float("nan"),
        "sentences": float(present["sentences"].mean()) if len(present) else float("nan"),
        "one_sentence": _percent(present["one_sentence"]),
        "ms": float(part["ms"].mean()),
    }


def evaluate_web(
    systems: Mapping[str, System] | Sequence[System] | System,
    pages: str | Path | Sequence[WebPage],
    *,
    lengths: Sequence[str] = LENGTHS,
    texts: Mapping[str, str] | None = None,
    progress: bool | None = True,
    log_every: float = 30.0,
) -> WebEvaluation:
    """Summarize every page with every system at every length and score the summaries.

    ``texts`` (page id to the text a browser shows, e.g. Chromium's ``innerText`` of the
    article) sends that text as a ``text`` request instead of the page's HTML; every page needs
    an entry (an empty text, which a browser showed nothing of, is a missing summary). Systems
    are loaded one at a time, as in :func:`summarizer.evaluation.evaluate`, and ``progress``
    and ``log_every`` mean what they mean there.
    """
    pages = load_pages(pages) if isinstance(pages, str | Path) else list(pages)
    if texts is not None:
        absent = [p.id for p in pages if p.id not in texts]
        if absent:
            raise InputError(
                f"{len(absent)} page(s) have no rendered text, e.g. {absent[0]!r}: "
                "render them first (scripts/render_pages.py)"
            )
    options = {length: SummaryOptions.of(length=length) for length in lengths}
    measures = {p.id: PageMeasures.of(p.body, p.title_variants, p.lang) for p in pages if p.body}
    rows: list[dict[str, Any]] = []
    for name, spec in _named(systems):
        system = load_system(spec)
        if not isinstance(system, Summarizer):
            raise InputError(f"{name}: web pages need a Summarizer (it prepares the HTML)")
        bar = tracker(len(pages), name, "page", progress, log_every)
        for page in pages:
            raw, kind = (texts[page.id], "text") if texts is not None else (page.html, "html")
            rows.extend(_page_rows(system, name, page, raw, kind, options, measures.get(page.id)))
            bar.update(1)
        bar.close()
        del system
        gc.collect()
    settings = {
        "pages": len(pages),
        "lengths": list(lengths),
        "input": "text (rendered)" if texts is not None else "html",
    }
    return WebEvaluation(per_page=pd.DataFrame(rows), settings=settings)


def _page_rows(
    system: Summarizer,
    name: str,
    page: WebPage,
    raw: str,
    input_format: InputFormat,
    options: Mapping[str, SummaryOptions],
    measures: PageMeasures | None,
) -> list[dict[str, Any]]:
    began = time.perf_counter()
    error = ""
    try:
        doc = system.prepare(raw, input_format)
    except Exception as exc:  # a page that fails is a missing summary, with its error
        doc, error = None, f"{type(exc).__name__}: {exc}"
    prepare_ms = 1000 * (time.perf_counter() - began)
    rows = []
    for length, option in options.items():
        sentences: list[str] = []
        began = time.perf_counter()
        page_error = error
        if doc is not None:
            try:
                sentences = list(system.summarize_prepared([doc], option)[0].sentences)
            except Exception as exc:
                page_error = f"{type(exc).__name__}: {exc}"
        if doc is not None and not page_error and not any(s.strip() for s in sentences):
            page_error = "empty summary"
        row = _score(page, sentences, measures)
        row.update(
            {
                "system": name,
                "length": length,
                "error": page_error,
                "ms": prepare_ms + 1000 * (time.perf_counter() - began),
                "summary": "\n".join(sentences),
            }
        )
        rows.append(row)
    return rows


def _score(page: WebPage, sentences: list[str], measures: PageMeasures | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": page.id,
        "lang": page.lang,
        "group": language_group(page.lang),
        "genre": page.genre,
        "kind": "body" if measures is not None else "snippets",
    }
    if measures is not None:
        row.update(measures.score(sentences))
    else:
        present = any(s.strip() for s in sentences)
        row.update(
            {
                "missing": not present,
                "sentences": len(sentences),
                "one_sentence": sentence_count(sentences) == 1,
                "boilerplate": present and contains_snippet(sentences, page.body_without),
            }
        )
    return row
