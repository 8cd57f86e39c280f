"""``summarizer serve``: the HTTP service (uvicorn). Settings come from ``SUMMARIZER_*``
environment variables (see docs/deployment.md); the flags here override them."""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Annotated

import typer

from summarizer.cli import app
from summarizer.errors import SummarizerError


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="Overrides SUMMARIZER_MODEL.")
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (each loads the model).")
    ] = 1,
    log_level: Annotated[str | None, typer.Option(help="Overrides SUMMARIZER_LOG_LEVEL.")] = None,
) -> None:
    """Serve POST /v1/summaries and friends. Offline by default (model auto)."""
    from pydantic import ValidationError

    if not 1 <= port <= 65535:
        raise SummarizerError(f"--port must be between 1 and 65535, not {port}")
    if model is not None:
        os.environ["SUMMARIZER_MODEL"] = model
    if log_level is not None:
        os.environ["SUMMARIZER_LOG_LEVEL"] = log_level

    from api import logs
    from api.settings import Settings
    from summarizer import registry

    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"SUMMARIZER_{'.'.join(map(str, e['loc'])).upper()}: "
            f"{e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise SummarizerError(f"invalid settings: {problems}") from None
    logs.setup(settings.log_level, settings.log_json)
    settings.load_options()  # bad load settings: fail now, not in the model loader
    # A model asked for by name that is not here: fail now. With one worker the app runs in
    # this process and loads this very spec; each --workers process resolves it once itself.
    spec = registry.resolve(settings.model, settings.models_folder())
    from api.app import create_app
    from api.server import serve as run_server

    shared_metrics = None
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Each worker writes its metrics here and /metrics sums them (api.metrics). A folder of
        # this run's own: values of an earlier run must not be counted again.
        shared_metrics = tempfile.mkdtemp(prefix="summarizer-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = shared_metrics
    try:
        # One worker runs the app in this process, with the spec resolved above; each
        # --workers process builds its own from the environment.
        app_here = create_app(settings, model=spec, freeze_heap=True) if workers == 1 else None
        run_server(app_here, settings, host, port, workers)
    finally:
        if shared_metrics is not None:
            shutil.rmtree(shared_metrics, ignore_errors=True)
