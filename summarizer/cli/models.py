"""``summarizer models``: what is known, what is local, and fetching checkpoints."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from summarizer import registry
from summarizer.cli import app

models_app = typer.Typer(help="List, download and convert models.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list")
def list_models() -> None:
    """Known models (manifests in models/) and whether a checkpoint is available here."""
    directory = registry.models_dir()
    table = Table(title=f"models in {directory}")
    for column in ("name", "engine", "hub id", "family", "max input", "licence", "available"):
        table.add_column(column)
    for m in registry.available_models(directory):
        if m["available"]:
            where = f"yes ({m['path'] or m['where']})"
        else:
            where = f"no: {m['where'].removeprefix('not local: ')}"
        table.add_row(
            m["name"],
            m["engine"],
            m["hub_id"] or "-",
            m["family"] or "-",
            str(m["max_input_tokens"] or "-"),
            m["license"] or "-",
            where,
        )
    Console().print(table)


@models_app.command("pull")
def pull(
    name: Annotated[str, typer.Argument(help="A manifest name, e.g. distilbart-cnn-12-6.")],
) -> None:
    """Download a checkpoint (safetensors only) into models/NAME/. Needs the Hugging Face hub:
    run it on a connected machine, then copy the folder to offline ones."""
    target = registry.pull(name)
    typer.echo(f"downloaded {name} to {target}")
