"""``summarizer models``: what is known, what is local, and fetching checkpoints."""

from __future__ import annotations

import textwrap
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from summarizer import registry
from summarizer.cli import app, command_group

models_app = command_group(help="List, download and convert models.")
app.add_typer(models_app, name="models")

UNBOUNDED = 10_000  # columns: measures the table's natural width
COLUMNS = ("name", "engine", "hub id", "family", "max input", "licence", "available")


@models_app.command("list")
def list_models() -> None:
    """Known models (manifests in models/) and whether a checkpoint is available here."""
    directory = registry.models_dir()
    rows = [_cells(m) for m in registry.available_models(directory)]
    console = Console()
    table = Table(title=f"models in {directory}")
    for column in COLUMNS:
        table.add_column(column)
    for cells in rows:
        table.add_row(*cells)
    # The table where all of it fits on one line a row; else one short block a model, wrapped
    # at word boundaries (a table squeezed to 80 columns cuts every name to "bart-lar…").
    unbounded = console.options.update_width(UNBOUNDED)
    if Measurement.get(console, unbounded, table).maximum <= console.width:
        console.print(table)
        return
    typer.echo(f"models in {directory}")
    for cells in rows:
        typer.echo(_block(dict(zip(COLUMNS, cells, strict=True)), console.width))


def _cells(m: dict[str, Any]) -> list[str]:
    if m["available"]:
        where = f"yes ({m['path'] or m['where']})"
    else:
        where = f"no: {m['where'].removeprefix('not local: ')}"
    return [
        m["name"],
        m["engine"],
        m["hub_id"] or "-",
        m["family"] or "-",
        str(m["max_input_tokens"] or "-"),
        m["license"] or "-",
        where,
    ]


def _block(row: dict[str, str], width: int) -> str:
    """One model in a few lines: its name and facts, then whether it is here."""
    phrases = {
        "engine": "{} engine",
        "hub id": "hub id {}",
        "family": "{} family",
        "max input": "input up to {} tokens",
        "licence": "licence {}",
    }
    facts = [phrase.format(row[key]) for key, phrase in phrases.items() if row[key] != "-"]
    lines = [f"{row['name']}: {', '.join(facts)}", f"available: {row['available']}"]
    return "\n".join(
        textwrap.fill(
            line,
            width,
            initial_indent="" if i == 0 else "  ",
            subsequent_indent="    ",
            break_long_words=False,  # a path or hub id stays whole, to copy
            break_on_hyphens=False,
        )
        for i, line in enumerate(lines)
    )


@models_app.command("pull")
def pull(
    name: Annotated[str, typer.Argument(help="A manifest name, e.g. distilbart-cnn-12-6.")],
) -> None:
    """Download a checkpoint (safetensors only) into models/NAME/. Needs the Hugging Face hub:
    run it on a connected machine, then copy the folder to offline ones."""
    target = registry.pull(name)
    typer.echo(f"downloaded {name} to {target}")
