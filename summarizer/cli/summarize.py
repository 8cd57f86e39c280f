"""``summarizer summarize``: one article from a file or standard input."""

from __future__ import annotations

import json
import os
import stat
import sys
from typing import Annotated, BinaryIO

import typer

from summarizer.batch.readers.folder import FOLDER_SUFFIXES
from summarizer.cli import app, setup_logging
from summarizer.cli.common import (
    BeamsOpt,
    DeviceOpt,
    FormatOpt,
    LanguageOpt,
    LengthOpt,
    MaxWordsOpt,
    MinWordsOpt,
    ModelOpt,
    ThreadsOpt,
    summary_options,
)
from summarizer.core import Summarizer
from summarizer.errors import InputError
from summarizer.load_options import LoadOptions
from summarizer.options import DEFAULT_FORMAT, DEFAULT_LENGTH
from summarizer.text import MAX_HTML_CHARS
from summarizer.text.prepare import InputFormat

# What one article may take as bytes: as for a batch record (HTML may be a few times its text).
MAX_INPUT_BYTES = MAX_HTML_CHARS * 4 + 65_536  # an HTML page of the longest allowed, in UTF-8


def read_input(source: str, limit: int | None = None) -> bytes:
    """The article's bytes, reading at most ``limit`` + 1 bytes (a pipe may never end)."""
    limit = MAX_INPUT_BYTES if limit is None else limit
    if source == "-":
        if sys.stdin.isatty():
            raise InputError(
                "no input: give a FILE, or pipe an article into `summarizer summarize -`"
            )
        return _bounded(sys.stdin.buffer, "standard input", limit)
    try:
        mode = os.stat(source).st_mode
    except FileNotFoundError:
        raise InputError(f"no such file: {source}") from None
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from None
    if stat.S_ISDIR(mode):
        raise InputError(f"{source} is a folder, not a file (summarize a folder with `batch`)")
    if stat.S_ISFIFO(mode):
        raise InputError(f"{source} is a named pipe, not a file: pipe it into `summarize -`")
    if not stat.S_ISREG(mode):
        raise InputError(f"{source} is not a regular file")
    try:
        with open(source, "rb") as f:
            return _bounded(f, source, limit)
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from None


def input_format_of(source: str) -> InputFormat:
    """A file's suffix says what it holds, as in a batch folder (a ``.html`` file of only
    comments is a page with no article text, not prose); standard input is sniffed."""
    if source == "-":
        return "auto"
    return FOLDER_SUFFIXES.get(os.path.splitext(source)[1].lower(), "auto")  # type: ignore[return-value]


def _bounded(stream: BinaryIO, name: str, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{name} is too long: over {limit:,} bytes (the limit)")
    return data


@app.command()
def summarize(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Argument(help="Article file (text or HTML), or - for stdin.")
    ] = "-",
    model: ModelOpt = "auto",
    length: LengthOpt = DEFAULT_LENGTH,
    max_words: MaxWordsOpt = None,
    min_words: MinWordsOpt = None,
    format: FormatOpt = DEFAULT_FORMAT,
    language: LanguageOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
    device: DeviceOpt = "auto",
    threads: ThreadsOpt = None,
    num_beams: BeamsOpt = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Summarize one article. The engine and model that wrote the summary are always reported."""
    setup_logging(verbose)
    options = summary_options(ctx)
    raw = read_input(source)
    load = LoadOptions(device=device, threads=threads, num_beams=num_beams)
    summarizer = Summarizer.load(model, load)
    doc = summarizer.prepare(raw, input_format_of(source), language=options.language)
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
