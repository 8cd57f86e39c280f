"""Options shared by several commands."""

from typing import Annotated

import typer

from summarizer.options import (
    FORMATS,
    LENGTHS,
    OPTION_NAMES,
    SummaryOptions,
)

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

# The summary options, declared once for every command that summarizes: a flag named like a
# SummaryOptions field reaches the library through summary_options() without more code.
LengthOpt = Annotated[str, typer.Option(help=f"{' | '.join(LENGTHS)} (short: one sentence).")]
MaxWordsOpt = Annotated[int | None, typer.Option(help="Upper bound on summary words.")]
MinWordsOpt = Annotated[int | None, typer.Option(help="Lower bound on summary words.")]
FormatOpt = Annotated[str, typer.Option(help=" | ".join(FORMATS))]
LanguageOpt = Annotated[
    str | None, typer.Option(help="The article's language (e.g. de, pt-BR); else detected.")
]


def summary_options(ctx: typer.Context) -> SummaryOptions:
    """The command's summary options, built once from its flags named like a
    ``SummaryOptions`` field (checked there: a bad value is an ``OptionsError``, exit 1)."""
    return SummaryOptions.of(**{k: v for k, v in ctx.params.items() if k in OPTION_NAMES})
