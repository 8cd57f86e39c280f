"""``summarizer models convert``: a checkpoint to a CTranslate2 model for fast CPU inference."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from summarizer.cli import setup_logging
from summarizer.cli.models import models_app
from summarizer.convert import QUANTIZATIONS


@models_app.command("convert")
def convert(
    source: Annotated[str, typer.Argument(help="A name from models/ or a checkpoint folder.")],
    quantization: Annotated[
        str, typer.Option(help=f"Weights type: {' | '.join(QUANTIZATIONS)}.")
    ] = "int8",
    output: Annotated[
        Path | None, typer.Option(help="Output folder (default: models/NAME-ct2-QUANT/).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing output folder.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Convert a seq2seq checkpoint (BART, PEGASUS, T5) to CTranslate2 for fast CPU inference.

    The converted folder carries the tokenizer and the checkpoint's generation settings;
    `--model NAME-ct2-QUANT` (or the folder) then runs it, and `auto` prefers it."""
    from summarizer.convert import convert as run

    setup_logging(verbose)
    target = run(source, output, quantization, force=force)
    typer.echo(f"converted {source} to {target}")
