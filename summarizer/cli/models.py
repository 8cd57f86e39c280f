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
    known = registry.manifests(directory)
    table = Table(title=f"models in {directory}")
    for column in ("name", "engine", "hub id", "family", "max input", "licence", "available"):
        table.add_column(column)
    table.add_row("extractive", "extractive", "-", "-", "-", "Apache-2.0", "yes (built in)")
    folders = sorted(p for p in directory.iterdir() if p.is_dir()) if directory.is_dir() else []
    for folder in folders:
        engine = registry.folder_engine(folder)
        if engine and folder.name not in known:
            table.add_row(folder.name, engine, "-", "-", "-", "-", f"yes ({folder})")
    for name, manifest in known.items():
        local = directory / name
        if local.is_dir() and registry.folder_engine(local):
            where = f"yes ({local})"
        elif registry.hf_cached_snapshot(manifest.hub_id):
            where = "yes (HF cache)"
        else:
            where = f"no: summarizer models pull {name}"
        table.add_row(
            name,
            "seq2seq",
            manifest.hub_id,
            manifest.family,
            str(manifest.max_input_tokens or "-"),
            manifest.license,
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
