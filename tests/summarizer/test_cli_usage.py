"""The first hour with ``summarizer``: every help screen readable at 80 columns, flags shown as
flags, usage errors as one ``error:`` line, and ``models list`` readable on a narrow terminal."""

from __future__ import annotations

import fnmatch

import click
import pytest
import typer
from typer.testing import CliRunner

from summarizer.cli import _register, app, one_line
from tests.conftest import ROOT
from tests.subprocesses import run_python

_register()
ROOT_COMMAND = typer.main.get_command(app)


def command_paths(group=ROOT_COMMAND, path=()):
    """Every command and group of the tree, as the words a user types."""
    yield path, group
    for name, command in getattr(group, "commands", {}).items():
        yield from command_paths(command, (*path, name))


PATHS = {" ".join(path) or "(root)": (path, command) for path, command in command_paths()}


def squeeze(text: str) -> str:
    """Text without any whitespace: wrapping cannot hide or fake a match."""
    return "".join(text.split())


@pytest.mark.parametrize("name", sorted(PATHS))
def test_help_fits_80_columns_and_shows_every_option_whole(name):
    path, command = PATHS[name]
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    text = result.output
    assert max(map(len, text.splitlines())) <= 80, text
    assert "…" not in text, text  # nothing cut
    assert "<bool>" not in text, text  # a flag is shown as one: no value after its name
    for param in command.params:
        names = [*param.opts, *param.secondary_opts]
        if isinstance(param, click.Argument):
            names = [param.name]
        for option in names:
            assert option in text.split() or f"{option}," in text.split(), (option, text)
        help_text = getattr(param, "help", None)
        if help_text:
            assert squeeze(help_text) in squeeze(text), (param.name, text)
    for sub in getattr(command, "commands", {}).values():  # a group lists its commands' first
        first = sub.get_short_help_str(limit=10_000)  # sentences whole, wrapped, not cut
        assert squeeze(first) in squeeze(text) and "..." not in first, text


def test_a_flag_is_a_flag_and_a_value_after_it_is_a_usage_error():
    article = ROOT / "samples" / "article.txt"
    bad = run_python("-m", "summarizer", "summarize", article, "--json", "true", timeout=300)
    assert bad.returncode == 1
    assert bad.stderr.decode().strip().splitlines() == [
        "error: got unexpected extra argument(s) (true); "
        "see 'python -m summarizer summarize --help'"
    ]


HELP = "; see 'python -m summarizer {}--help'"
USAGE_ERRORS = {  # the line each prints (the middle of the wrong type's is Typer's own words)
    "mistyped option": (
        ["summarize", "-", "--lenght", "short"],
        "error: no such option: --lenght (Possible options: --length)" + HELP.format("summarize "),
    ),
    "missing argument": (
        ["batch", "-o", "out.jsonl"],
        "error: missing argument 'input'" + HELP.format("batch "),
    ),
    "value of the wrong type": (
        ["batch", "in.jsonl", "-o", "out.jsonl", "--workers", "two"],
        "error: invalid value for '--workers': *" + HELP.format("batch "),
    ),
    "unknown command": (
        ["sumarize"],
        "error: no such command 'sumarize'. Did you mean 'summarize'?" + HELP.format(""),
    ),
}


@pytest.mark.parametrize("case", sorted(USAGE_ERRORS))
def test_usage_errors_are_one_line_naming_the_help_with_status_1(case):
    args, line = USAGE_ERRORS[case]
    result = run_python("-m", "summarizer", *args, env={"COLUMNS": "80"})
    assert result.returncode == 1, result.stderr  # as every other error (batch's 2: re-run)
    [printed] = result.stderr.decode().splitlines()
    assert fnmatch.fnmatchcase(printed, line), printed
    assert result.stdout == b""


def test_a_group_without_a_command_shows_its_help():
    result = run_python("-m", "summarizer", "models")
    assert result.returncode == 2  # Click's status for a command line without a command
    assert "Usage: python -m summarizer models [OPTIONS] COMMAND" in result.stderr.decode()
    assert "error:" not in result.stderr.decode()


def test_an_error_line_escapes_what_could_drive_the_terminal():
    result = run_python("-m", "summarizer", "summarize", "in\x1b[2J\nput.txt")
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == ["error: no such file: in\\x1b[2J put.txt"]
    assert one_line("a\u202eb\x00") == "a\\u202eb\\x00"


def test_models_list_is_a_table_when_wide_and_blocks_at_80_columns():
    env = {"SUMMARIZER_MODELS_DIR": str(ROOT / "models")}
    wide = CliRunner().invoke(app, ["models", "list"], env={**env, "COLUMNS": "200"})
    narrow = CliRunner().invoke(app, ["models", "list"], env={**env, "COLUMNS": "80"})
    assert wide.exit_code == narrow.exit_code == 0, narrow.output
    assert "┃ name" in wide.output and "hub id" in wide.output
    lines = narrow.output.splitlines()
    assert max(map(len, lines)) <= 80 and "…" not in narrow.output, narrow.output
    for name, hub_id in [
        ("distilbart-cnn-12-6", "sshleifer/distilbart-cnn-12-6"),
        ("pegasus-cnn_dailymail", "google/pegasus-cnn_dailymail"),
    ]:
        assert any(line.startswith(f"{name}: seq2seq engine") for line in lines), lines
        assert hub_id in narrow.output.split() or f"{hub_id}," in narrow.output.split()
        assert f"  available: no: summarizer models pull {name}" in lines
    assert "extractive: extractive engine, licence Apache-2.0" in lines
