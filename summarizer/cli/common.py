"""Options shared by several commands."""

from typing import Annotated

import typer

ModelOpt = Annotated[
    str,
    typer.Option(
        "--model",
        "-m",
        help="auto | extractive | a name from models/ | a checkpoint folder | a hub id.",
    ),
]
DeviceOpt = Annotated[str, typer.Option(help="auto | cpu | cuda | cuda:N")]
ThreadsOpt = Annotated[int | None, typer.Option(help="Torch CPU threads (default: all cores).")]
