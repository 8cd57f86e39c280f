"""``summarizer summarize``: one article from a file or standard input."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from summarizer.cli import app, setup_logging
from summarizer.cli.common import BeamsOpt, DeviceOpt, ModelOpt, ThreadsOpt
from summarizer.core import Summarizer
from summarizer.errors import InputError
from summarizer.options import SummaryOptions


def read_input(source: str) -> bytes:
    if source == "-":
        if sys.stdin.isatty():
            raise InputError(
                "no input: give a FILE, or pipe an article into `summarizer summarize -`"
            )
        return sys.stdin.buffer.read()
    path = Path(source)
    if not path.is_file():
        raise InputError(f"no such file: {source}")
    return path.read_bytes()


@app.command()
def summarize(
    source: Annotated[
        str, typer.Argument(help="Article file (text or HTML), or - for stdin.")
    ] = "-",
    model: ModelOpt = "auto",
    length: Annotated[str, typer.Option(help="short (one sentence) | medium | long")] = "medium",
    max_words: Annotated[int | None, typer.Option(help="Upper bound on summary words.")] = None,
    min_words: Annotated[int | None, typer.Option(help="Lower bound on summary words.")] = None,
    format: Annotated[str, typer.Option(help="paragraph | bullets")] = "paragraph",
    language: Annotated[
        str | None, typer.Option(help="The article's language (e.g. de, pt-BR); else detected.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
    device: DeviceOpt = "auto",
    threads: ThreadsOpt = None,
    num_beams: BeamsOpt = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Summarize one article. The engine and model that wrote the summary are always reported."""
    setup_logging(verbose)
    options = SummaryOptions(
        length=length,  # type: ignore[arg-type]
        max_words=max_words,
        min_words=min_words,
        format=format,  # type: ignore[arg-type]
        language=language,
    )
    raw = read_input(source)
    summarizer = Summarizer.load(model, device=device, threads=threads, num_beams=num_beams)
    doc = summarizer.prepare(raw, language=options.language)
    summary = summarizer.summarize_prepared([doc], options)[0]
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(summary.text)
        typer.echo(
            f"[engine: {summary.engine}, model: {summary.model}, language: {summary.language}, "
            f"{summary.words} words from {summary.coverage.input_words}]",
            err=True,
        )
