"""The ``summarizer`` command. Each sub-command lives in a module of its own, found at start."""

from __future__ import annotations

import logging
import sys

import typer

from summarizer.errors import SummarizerError
from summarizer.log_setup import quiet_noisy_loggers

app = typer.Typer(
    name="summarizer",
    help="Summarize news articles: one article, a backlog, an HTTP service, or an evaluation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    """Import every module of this package: each adds its commands to ``app``."""
    import importlib
    import pkgutil

    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        importlib.import_module(f"{__name__}.{module}")


def setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    quiet_noisy_loggers()


def main() -> None:
    """Console entry point: user errors end in one line on stderr and exit status 1."""
    _register()
    try:
        app()
    except SummarizerError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
