"""``summarizer batch``: summarize a backlog (JSONL, CSV, a folder, or JSONL on stdin).

Exit status: 0 when every record is in OUTPUT or ERRORS (see the summary line for failures),
1 when the input, the options or the model are unusable or another run holds OUTPUT (nothing
is written), 2 when a worker process died, 3 with ``--fail-on-errors`` when some records failed
in this run, 4 when OUTPUT or ERRORS could not be written (disk full, file too large: the message
names the file and the cause), 130 when stopped by Ctrl-C, SIGTERM or SIGHUP (any number of
them). After 2, 4 or 130, everything written is kept: re-run the same command to continue.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer

from summarizer.cli import app, setup_logging
from summarizer.cli.common import (
    BeamsOpt,
    DeviceOpt,
    FormatOpt,
    LengthOpt,
    MaxWordsOpt,
    MinWordsOpt,
    ModelOpt,
    ThreadsOpt,
    summary_options,
)
from summarizer.errors import OptionsError
from summarizer.load_options import LoadOptions
from summarizer.options import DEFAULT_FORMAT, DEFAULT_LENGTH

log = logging.getLogger("summarizer.batch")


@app.command()
def batch(
    ctx: typer.Context,
    input: Annotated[
        str,
        typer.Argument(
            help="A .jsonl or .csv file, a folder of .txt/.html/.md files, or - (JSONL on stdin)."
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Summaries, one JSON line each.")],
    errors: Annotated[
        Path | None,
        typer.Option(help="Records that failed (default: OUTPUT with .errors.jsonl)."),
    ] = None,
    model: ModelOpt = "auto",
    length: LengthOpt = DEFAULT_LENGTH,
    max_words: MaxWordsOpt = None,
    min_words: MinWordsOpt = None,
    format: FormatOpt = DEFAULT_FORMAT,
    language: Annotated[
        str | None,
        typer.Option(help="The articles' language (e.g. de), if all share one; else detected."),
    ] = None,
    id_field: Annotated[str, typer.Option(help="Field (or CSV column) with the id.")] = "id",
    text_field: Annotated[
        str | None, typer.Option(help="Field with the article (default: text, article or body).")
    ] = None,
    workers: Annotated[int, typer.Option(help="Processes (local) or actors (ray).")] = 1,
    batch_size: Annotated[int, typer.Option(help="Articles per model call.")] = 16,
    engine: Annotated[str, typer.Option(help="local | ray")] = "local",
    ray_address: Annotated[
        str | None, typer.Option(help="Ray cluster to join (default: start a local one).")
    ] = None,
    ray_cpus: Annotated[
        int | None, typer.Option(help="CPUs for a local Ray instance (default: all).")
    ] = None,
    cache: Annotated[
        str | None, typer.Option(help="Summary cache: sqlite:///PATH or redis://HOST:PORT/DB.")
    ] = None,
    device: DeviceOpt = "auto",
    threads: ThreadsOpt = None,
    num_beams: BeamsOpt = None,
    replicas: Annotated[
        int,
        typer.Option(
            min=1,
            help="CTranslate2 models: replicas per worker sharing its weights and threads, each "
            "running its own batches (more articles/s, less memory than more workers).",
        ),
    ] = 1,
    log_every: Annotated[
        float, typer.Option(help="Seconds between progress lines when not on a terminal.")
    ] = 30.0,
    report_json: Annotated[
        Path | None, typer.Option(help="Also write the final report as JSON here.")
    ] = None,
    retry_errors: Annotated[
        bool,
        typer.Option(
            help="Try the records in ERRORS again (the old ERRORS is kept beside it, renamed)."
        ),
    ] = False,
    mixed_options: Annotated[
        bool,
        typer.Option(
            help="Resume an OUTPUT written with other summary options (--length, ...): its "
            "lines would then mix both; refused without this."
        ),
    ] = False,
    fail_on_errors: Annotated[
        bool, typer.Option(help="Exit with status 3 when some records failed in this run.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Summarize many articles; re-run the same command to resume after a crash."""
    from summarizer.batch import signals

    # SIGTERM (a scheduler), SIGINT (Ctrl-C) and SIGHUP stop the run; finished windows are
    # flushed first, and any number of them end it the same way (batch.signals).
    signals.install()
    try:
        _batch(ctx, **ctx.params)  # every option by name
    except KeyboardInterrupt:  # stopped before the run began (loading, reading OUTPUT back)
        from summarizer.batch.report import Report

        typer.echo(Report(interrupted=True).line(), err=True)
        raise typer.Exit(130) from None
    finally:
        signals.ignore_from_now()


def _batch(
    ctx: typer.Context,
    input: str,
    output: Path,
    errors: Path | None,
    model: str,
    id_field: str,
    text_field: str | None,
    workers: int,
    batch_size: int,
    engine: str,
    ray_address: str | None,
    ray_cpus: int | None,
    cache: str | None,
    device: str,
    threads: int | None,
    num_beams: int | None,
    replicas: int,
    log_every: float,
    report_json: Path | None,
    retry_errors: bool,
    mixed_options: bool,
    fail_on_errors: bool,
    verbose: bool,
    **_summary_options: object,  # read from ctx by summary_options
) -> None:
    from concurrent.futures.process import BrokenProcessPool

    from summarizer.batch.config import check_writable
    from summarizer.batch.runner import BatchConfig, run_local
    from summarizer.batch.writer import WriteError

    setup_logging(verbose)
    if engine not in ("local", "ray"):
        raise OptionsError(f"--engine must be local or ray, not {engine!r}")
    options = summary_options(ctx)
    config = BatchConfig(
        input=input,
        output=output,
        errors=errors,
        model=model,
        options=options,
        id_field=id_field,
        text_field=text_field,
        load=LoadOptions(
            device=device,
            threads=threads,
            batch_size=batch_size,
            num_beams=num_beams,
            replicas=replicas,
        ),
        workers=workers,
        cache_url=cache,
        retry_errors=retry_errors,
        log_every=log_every,
        report=report_json,
        mixed_options=mixed_options,
    )
    if report_json is not None:
        check_writable("--report-json", report_json)  # before the run, not after it
    try:
        if engine == "ray":
            from summarizer.batch.ray_runner import run_ray

            report = run_ray(config, address=ray_address, cpus=ray_cpus)
        else:
            report = run_local(config)
    except BrokenProcessPool:
        typer.echo(
            "error: a worker process died; everything written so far is kept: "
            "re-run the same command to continue",
            err=True,
        )
        raise typer.Exit(2) from None
    except WriteError as exc:
        typer.echo(
            f"error: {exc}; everything written before is kept: make room and re-run the same "
            "command to continue (a half-written last line is repaired)",
            err=True,
        )
        raise typer.Exit(4) from None
    if report_json:
        report_json.write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
    if report.input_error and not report.interrupted:
        typer.echo(f"error: {report.input_error}", err=True)
    typer.echo(report.line(), err=True)
    if report.interrupted:
        raise typer.Exit(130)
    if report.input_error:
        raise typer.Exit(1)
    if fail_on_errors and report.failed:
        raise typer.Exit(3)
