"""The ``summarizer`` command. Each sub-command lives in a module of its own, found at start.

Every error ends in one line on stderr, ``error: ...``, and exit status 1: bad input, an
unusable option value or model, and usage errors too (an unknown option, a missing argument, a
value of the wrong type or out of range), whose line then names the command's ``--help``. One
status, not Click's 2 for usage errors: ``summarizer batch`` uses 2 for "a worker died, re-run
to continue", which a mistyped option is not. A group called without a command prints its
help (status 2, as Click).
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from summarizer.errors import SummarizerError
from summarizer.log_setup import quiet_noisy_loggers

# Help widths: Click's plain layout wraps every column to the terminal (rich's panels cut option
# names such as --fail-on-errors to "--fail-on-erro…" at 80 columns, and show a flag as taking a
# <bool> value), and stops at this many columns on a wide one.
HELP_MAX_WIDTH = 100


class WrappedCommandList(TyperGroup):
    """A group whose list of commands gives each one's first sentence whole, wrapped; Click
    cuts it to what fits on one line ("re-run the same command to resume...")."""

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=sys.maxsize)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


GROUP_SETTINGS: dict[str, Any] = {
    "cls": WrappedCommandList,
    "rich_markup_mode": None,
    "context_settings": {"max_content_width": HELP_MAX_WIDTH},
    "no_args_is_help": True,
    "add_completion": False,
    "pretty_exceptions_enable": False,
}


def command_group(**settings: Any) -> typer.Typer:
    """A ``typer.Typer`` with the settings every group of this command shares."""
    return typer.Typer(**{**GROUP_SETTINGS, **settings})


app = command_group(
    name="summarizer",
    help="Summarize news articles: one article, a backlog, an HTTP service, or an evaluation.",
)

# C0/C1 controls and the bidirectional overrides: a message may quote what a user typed.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def one_line(message: str) -> str:
    """``message`` as one line a terminal shows as it is: line breaks become spaces and other
    control characters escapes (``\\x1b``), so a quoted file name cannot move the cursor."""
    flat = " ".join(message.split("\n")).strip()
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), flat)


def fail(message: str, status: int = 1) -> NoReturn:
    """The one way a command reports an error: ``error: ...`` on stderr, then exit."""
    typer.echo(f"error: {one_line(message)}", err=True)
    sys.exit(status)


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


def _usage_error(exc: typer.TyperException) -> NoReturn:
    """Click's usage errors (unknown option, missing argument, bad value) as one line that
    names the command's help, instead of usage text and a boxed panel."""
    ctx = getattr(exc, "ctx", None)
    # A group called without a command shows its help (no_args_is_help), as Typer itself does.
    if type(exc).__name__ == "NoArgsIsHelpError":
        exc.show()
        sys.exit(exc.exit_code)
    message = exc.format_message()
    if message[:1].isupper() and message[1:2].islower():
        message = message[0].lower() + message[1:]  # "No such option" -> as our own errors
    if ctx is not None:
        message = f"{message.rstrip('.')}; see '{ctx.command_path} --help'"
    fail(message)


def main() -> None:
    """Console entry point: every error ends in one ``error:`` line on stderr and status 1."""
    _register()
    try:
        # standalone_mode=False: Click raises its errors here instead of printing them its way.
        status = app(standalone_mode=False)
    except SummarizerError as exc:
        fail(str(exc))
    except typer.TyperException as exc:  # Click's own errors, usage errors among them
        _usage_error(exc)
    except typer.Abort:
        fail("aborted")
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    sys.exit(status if isinstance(status, int) else 0)
