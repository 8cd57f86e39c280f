"""Tables of a web evaluation: printed by ``summarizer eval`` and written into the docs."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from summarizer.evaluation.report import write_rows
from summarizer.evaluation.web.runner import WebEvaluation

HEADER = [
    "system",
    "languages",
    "pages",
    "missing",
    "in_body %",
    "sent_in_body %",
    "starts_with_title %",
    "dup %",
    "quote frag %",
    "redundant %",
    "lead overlap",
    "sentences",
    "1-sentence %",
    "ms",
]
CAPTION = (
    "Full-body pages. in_body: summaries whose every sentence is in the true body "
    "(sent_in_body: per sentence); starts_with_title: first sentence is or begins with the "
    "headline; dup: two sentences with token-set Jaccard >= 0.8; lead overlap: unigram F1 with "
    "the body's first three sentences; sentences: per summary (1-sentence: a CJK full stop "
    "inside a listed sentence counts as a second one); rates over the summaries present, "
    "missing = pages with an error or an empty summary; ms per page, preparation included."
)


def _number(value: float, digits: int = 1) -> str:
    return (
        "–"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else (f"{value:.{digits}f}")
    )


def table_rows(summary: pd.DataFrame, length: str) -> list[list[str]]:
    """The cells of one length's table (``WebEvaluation.summary`` rows of that length)."""
    rows = []
    for _, row in summary[summary["length"] == length].iterrows():
        rows.append(
            [
                str(row["system"]),
                str(row["group"]),
                str(int(row["pages"])),
                str(int(row["missing"])),
                _number(row["in_body"]),
                _number(row["sent_in_body"]),
                _number(row["starts_with_title"]),
                _number(row["dup"]),
                _number(row["quote_fragment"]),
                _number(row["redundant"]),
                _number(row["lead_overlap"]),
                _number(row["sentences"], 2),
                _number(row["one_sentence"]),
                _number(row["ms"]),
            ]
        )
    return rows


def snippet_lines(result: WebEvaluation, length: str) -> list[str]:
    snippets = result.snippet_summary()
    if snippets.empty:
        return []
    lines = []
    for _, row in snippets[snippets["length"] == length].iterrows():
        lines.append(
            f"snippet pages, {row['system']}: {_number(row['boilerplate'])}% of "
            f"{int(row['pages']) - int(row['missing'])} summaries hold a `body_without` "
            f"(boilerplate) snippet; {int(row['missing'])} missing"
        )
    return lines


def markdown_tables(result: WebEvaluation) -> str:
    """One table per length, each followed by its snippet-page lines and its errors."""
    summary = result.summary()
    errors = result.errors()
    parts = []
    for length in result.lengths:
        lines = [f"**length `{length}`**", ""]
        lines.append("| " + " | ".join(HEADER) + " |")
        lines.append("|" + "---|" * len(HEADER))
        lines += ["| " + " | ".join(cells) + " |" for cells in table_rows(summary, length)]
        lines.append("")
        lines += [f"- {line}" for line in snippet_lines(result, length)]
        for _, row in errors[errors["length"] == length].iterrows():
            lines.append(f"- missing, {row['system']}: `{row['id']}`: {row['error'][:200]}")
        parts.append("\n".join(lines).strip())
    return "\n\n".join(parts)


def write_web_results(result: WebEvaluation, path: str | Path) -> Path:
    """Per-page rows: ``.csv``, ``.jsonl``, or ``.json`` (settings, tables and rows)."""
    return write_rows(
        result.per_page,
        path,
        lambda: {
            "settings": result.settings,
            "summary": result.summary().to_dict(orient="records"),
            "snippets": result.snippet_summary().to_dict(orient="records"),
            "per_page": result.per_page.to_dict(orient="records"),
        },
    )
