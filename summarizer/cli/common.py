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
ThreadsOpt = Annotated[
    int | None, typer.Option(help="CPU threads for the model (default: all cores).")
]
BeamsOpt = Annotated[
    int | None,
    typer.Option(
        "--num-beams",
        min=1,
        max=16,
        help="Beam size of a seq2seq model (default: the model's own, usually 4); "
        "2 is about as good and faster, 1 (greedy) the fastest.",
    ),
]
