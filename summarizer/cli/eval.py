"""``summarizer eval``: score systems and baselines on a dataset of articles with references, or
on a file of web pages with their true article body (shared/eval/web)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from summarizer.cli import app, setup_logging
from summarizer.errors import OptionsError, SummarizerError

LIMIT_MAX = 100_000


@app.command("eval")
def eval_command(
    dataset: Annotated[
        Path,
        typer.Argument(
            help="JSONL file of {id, article, reference | references}, or a web page file "
            "(gzip JSONL of {id, url, lang, html, body | body_without, ...})."
        ),
    ],
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model", "-m", help="System to evaluate (repeatable): auto, extractive, a model name."
        ),
    ] = None,
    baseline: Annotated[
        list[str] | None, typer.Option(help="Baseline to add (repeatable): lead-1, lead-3, ...")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N articles.")] = None,
    half: Annotated[
        str, typer.Option(help="all | tune | heldout: a fixed half of the dataset (hash of id).")
    ] = "all",
    length: Annotated[
        str | None,
        typer.Option(help="short | medium | long (default medium; web pages: medium and short)"),
    ] = None,
    reference_lines: Annotated[
        int | None,
        typer.Option(help="Keep the first N lines of each reference (1: single-sentence proxy)."),
    ] = None,
    max_words: Annotated[int | None, typer.Option(help="Upper bound on summary words.")] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Write per-article results: .json (with the table), .jsonl or .csv."),
    ] = None,
    markdown: Annotated[
        Path | None, typer.Option(help="Write the table into this markdown file (a section).")
    ] = None,
    section: Annotated[
        str | None, typer.Option(help="Section name in --markdown (default: DATASET-HALF-LENGTH).")
    ] = None,
    resamples: Annotated[int, typer.Option(help="Bootstrap resamples for the CIs.")] = 1000,
    web: Annotated[
        bool | None,
        typer.Option(
            "--web/--no-web", help="Score web pages against their true body (default: detected)."
        ),
    ] = None,
    rendered: Annotated[
        Path | None,
        typer.Option(
            help="Web pages: send each page's rendered text (JSONL of {id, text}, as "
            "scripts/render_pages.py writes it) instead of its HTML."
        ),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="A progress bar (default: on a terminal; otherwise a log line every "
            "--log-every seconds, as batch does).",
            show_default=False,
        ),
    ] = None,
    log_every: Annotated[
        float,
        typer.Option(min=0, help="Seconds between progress lines when not on a terminal."),
    ] = 30.0,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Score systems with ROUGE (95% bootstrap CIs), length, novelty and unsupported facts;
    web pages with the share of summaries made of the article's own body sentences."""
    try:
        from summarizer.evaluation import evaluate, lead_k, load_dataset
        from summarizer.evaluation.report import (
            markdown_table,
            table_rows,
            write_markdown_section,
            write_results,
        )
    except ImportError as exc:
        raise SummarizerError(
            f"summarizer eval needs the eval extra ({exc.name} is missing): "
            "pip install 'article-summarizer[eval]'"
        ) from None

    setup_logging(verbose)
    if limit is not None and not 1 <= limit <= LIMIT_MAX:
        raise OptionsError(f"--limit must be between 1 and {LIMIT_MAX}, not {limit}")
    if not 10 <= resamples <= 100_000:
        raise OptionsError(f"--resamples must be between 10 and 100000, not {resamples}")
    for name in baseline or []:
        if lead_k(name) is None:
            raise OptionsError(f"unknown baseline {name!r}: use lead-K, e.g. lead-3")
    systems = [*(model or ["auto"]), *(baseline or [])]
    if web is None:
        from summarizer.evaluation.web.pages import is_web_file

        web = is_web_file(dataset)
    if web:
        if half != "all" or reference_lines is not None or max_words is not None:
            raise OptionsError(
                "--half, --reference-lines and --max-words are for article datasets, not web pages"
            )
        shown = {"progress": progress, "log_every": log_every}
        _eval_web(dataset, systems, limit, length, rendered, out, markdown, section, shown)
        return
    if rendered is not None:
        raise OptionsError("--rendered is for web page files")
    length = length or "medium"
    if reference_lines is not None and reference_lines < 1:
        raise OptionsError(f"--reference-lines must be at least 1, not {reference_lines}")
    examples = load_dataset(
        dataset,
        limit=limit,
        half=half,  # type: ignore[arg-type]
        reference_lines=reference_lines,
    )
    result = evaluate(
        systems,
        examples,
        length=length,
        max_words=max_words,
        progress=progress,
        log_every=log_every,
    )
    result.settings.update(
        {
            "dataset": str(dataset),
            "half": half,
            "limit": limit,
            "reference_lines": reference_lines,
            "resamples": resamples,
        }
    )
    summary = result.summary(n_resamples=resamples)

    console = Console(width=max(Console().width, 150))
    header, rows = table_rows(summary)
    table = Table(
        title=f"{dataset.name} ({half}, {len(examples)} articles, length={length})",
        caption="ROUGE F1 x 100 [95% bootstrap CI] (rouge-score, stemmed; Lsum on newline-split"
        " sentences); unsupported = numbers/names per summary not in the article; ms per article",
    )
    for i, column in enumerate(header):
        table.add_column(column, justify="left" if i == 0 else "right")
    for cells in rows:
        table.add_row(*cells)
    console.print(table)
    first = result.systems[0]
    comparisons = []
    for other in result.systems[1:]:
        diffs = [
            f"{metric} {d['difference']:+.2f} [{d['low']:+.2f}, {d['high']:+.2f}]"
            for metric in ("rouge1", "rouge2", "rougeLsum")
            for d in [result.compare(first, other, metric, n_resamples=resamples)]
        ]
        comparisons.append(f"{first} - {other}: " + ", ".join(diffs))
        console.print(comparisons[-1], highlight=False)

    if out is not None:
        console.print(
            f"per-article results: {write_results(result, out, n_resamples=resamples)}",
            highlight=False,
        )
    if markdown is not None:
        command = shlex.join(["summarizer", *sys.argv[1:]])
        body = "\n".join(
            [
                f"`{command}`",
                "",
                f"{len(examples)} articles, half `{half}`, length `{length}`"
                + (f", first {reference_lines} reference line(s)" if reference_lines else "")
                + ".",
                "",
                markdown_table(summary),
                "",
                *(f"- paired bootstrap, {line}" for line in comparisons),
            ]
        )
        key = section or f"{dataset.stem}-{half}-{length}"
        write_markdown_section(markdown, key, body)
        console.print(f"table written to {markdown} (section {key})", highlight=False)


def _eval_web(
    dataset: Path,
    systems: list[str],
    limit: int | None,
    length: str | None,
    rendered: Path | None,
    out: Path | None,
    markdown: Path | None,
    section: str | None,
    shown: dict[str, Any],
) -> None:
    """``summarizer eval`` on web pages: the web README's measures, per language group."""
    from summarizer.evaluation.report import write_markdown_section
    from summarizer.evaluation.web.pages import load_pages
    from summarizer.evaluation.web.rendered import load_rendered
    from summarizer.evaluation.web.report import (
        CAPTION,
        HEADER,
        markdown_tables,
        snippet_lines,
        table_rows,
        write_web_results,
    )
    from summarizer.evaluation.web.runner import LENGTHS, evaluate_web
    from summarizer.options import LENGTHS as VALID_LENGTHS

    if length is not None and length not in VALID_LENGTHS:
        raise OptionsError(f"--length must be one of {', '.join(VALID_LENGTHS)}, not {length!r}")
    lengths = (length,) if length else LENGTHS
    pages = load_pages(dataset, limit=limit)
    texts = load_rendered(rendered) if rendered is not None else None
    result = evaluate_web(systems, pages, lengths=lengths, texts=texts, **shown)
    summary = result.summary()
    bodies = sum(p.has_body for p in pages)
    source = "rendered text" if texts is not None else "HTML"
    console = Console(width=max(Console().width, 150))
    for each in lengths:
        table = Table(
            title=f"{dataset.name}: {bodies} full-body pages, length={each}, input={source}",
            caption=CAPTION,
        )
        for i, column in enumerate(HEADER):
            table.add_column(column, justify="left" if i < 2 else "right")
        for cells in table_rows(summary, each):
            table.add_row(*cells)
        console.print(table)
        for line in snippet_lines(result, each):
            console.print(line, highlight=False)
    errors = result.errors()
    if len(errors):
        console.print(f"{len(errors)} summaries missing:", highlight=False)
        for _, row in errors.iterrows():
            console.print(
                f"  {row['system']} {row['length']} {row['id']}: {row['error'][:200]}",
                highlight=False,
                markup=False,
            )
    if out is not None:
        console.print(f"per-page results: {write_web_results(result, out)}", highlight=False)
    if markdown is not None:
        command = shlex.join(["summarizer", *sys.argv[1:]])
        snippets = len(pages) - bodies
        body = "\n".join(
            [
                f"`{command}`",
                "",
                f"{bodies} full-body pages and {snippets} snippet pages, input: each page's "
                f"{source}, lengths {', '.join(f'`{x}`' for x in lengths)}.",
                "",
                markdown_tables(result),
            ]
        )
        key = section or f"web-{dataset.name.split('.')[0]}"
        write_markdown_section(markdown, key, body)
        console.print(f"table written to {markdown} (section {key})", highlight=False)
