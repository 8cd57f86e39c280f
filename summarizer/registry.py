"""Which model a name means, and how to load it.

``model`` may be ``"auto"``, ``"extractive"``, a manifest name from ``models/`` (whose checkpoint
is ``models/NAME/``), a folder path, a Hugging Face hub id already in the local cache
(``org/name``), or ``hub:org/name`` to allow a download. Nothing here downloads, except an
explicit ``hub:`` id on a machine that has the network, and ``pull``.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.converted import source_name
from summarizer.errors import ModelLoadError, ModelNotFoundError
from summarizer.load_options import (  # noqa: F401  (re-exported: registry.LoadOptions, ...)
    ENGINE_CTRANSLATE2,
    ENGINE_EXTRACTIVE,
    ENGINE_SEQ2SEQ,
    LoadOptions,
    Manifest,
    ModelSpec,
    check_device,
    check_threads,
    max_threads,
)

if TYPE_CHECKING:
    from summarizer.engines.base import Engine

log = logging.getLogger(__name__)

# The checkout this package runs from (an editable install or PYTHONPATH), if it is one: a plain
# install puts the package in site-packages, where there is no models/ to find.
_CHECKOUT = Path(__file__).resolve().parent.parent
REPO_MODELS_DIR = _CHECKOUT / "models"


def user_models_dir() -> Path:
    """The per-user data folder: ``$XDG_DATA_HOME/summarizer/models`` (``~/.local/share/...``)."""
    data = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data) / "summarizer" / "models"


def models_dir(configured: str | None = None, *, env: bool = True) -> Path:
    """Where checkpoints and manifests are looked for, first match wins:

    0. ``configured`` (the service's settings hold it; they pass ``env=False``, having read
       the environment themselves);
    1. ``$SUMMARIZER_MODELS_DIR`` (unless ``env`` is False);
    2. ``models/`` in the current directory, when it exists (a plain install run from a copy of
       the project, or a deployment's working directory);
    3. ``models/`` of the checkout this package runs from (an editable install);
    4. the per-user data folder, :func:`user_models_dir`.
    """
    given = configured or (os.environ.get("SUMMARIZER_MODELS_DIR") if env else None)
    if given:
        return Path(given).expanduser()
    here = Path.cwd() / "models"
    if here.is_dir():
        return here
    if (_CHECKOUT / "pyproject.toml").is_file() and REPO_MODELS_DIR.is_dir():
        return REPO_MODELS_DIR
    return user_models_dir()


def manifests(directory: Path | None = None) -> dict[str, Manifest]:
    directory = directory or models_dir()
    if not directory.is_dir():
        return {}
    return {p.stem: Manifest.read(p) for p in sorted(directory.glob("*.toml"))}


def folder_engine(folder: Path) -> str | None:
    """Which engine can load a checkpoint folder, judged by its files."""
    if (folder / "model.bin").is_file() and any(folder.glob("*vocabulary*")):
        return ENGINE_CTRANSLATE2
    if (folder / "config.json").is_file():
        return ENGINE_SEQ2SEQ
    return None


def hf_cached_snapshot(hub_id: str) -> Path | None:
    """The local snapshot folder of ``hub_id`` if it is already in the Hugging Face cache."""
    from huggingface_hub import try_to_load_from_cache

    cache_dir = os.environ.get("HF_HUB_CACHE")
    if cache_dir is None and os.environ.get("HF_HOME"):
        cache_dir = str(Path(os.environ["HF_HOME"]) / "hub")
    found = try_to_load_from_cache(hub_id, "config.json", cache_dir=cache_dir)
    if isinstance(found, str):
        folder = Path(found).parent
        if any(folder.glob("*.safetensors")):
            return folder
    return None


def _local_spec(name: str, folder: Path, manifest: Manifest | None) -> ModelSpec | None:
    engine = folder_engine(folder) if folder.is_dir() else None
    return ModelSpec(engine, str(folder), name, manifest) if engine else None


def find_local(directory: Path | None = None) -> ModelSpec | None:
    """What ``auto`` picks: a converted (CTranslate2) model in ``models/``, then a PyTorch one,
    then a manifest's hub id already in the HF cache."""
    directory = directory or models_dir()
    known = manifests(directory)
    found = []
    if directory.is_dir():
        for folder in sorted(p for p in directory.iterdir() if p.is_dir()):
            manifest = known.get(folder.name) or known.get(source_name(folder.name))
            spec = _local_spec(folder.name, folder, manifest)
            if spec:
                found.append(spec)
    found.sort(key=lambda s: s.engine != "ctranslate2")
    if found:
        return found[0]
    for manifest in known.values():
        snapshot = hf_cached_snapshot(manifest.hub_id)
        if snapshot:
            return ModelSpec("seq2seq", str(snapshot), manifest.name, manifest)
    return None


def resolve(model: str, directory: Path | None = None) -> ModelSpec:
    """Turn what a user typed into a ModelSpec, or explain why it cannot be loaded. For ``auto``
    the choice is logged."""
    directory = directory or models_dir()
    if model == "extractive":
        return ModelSpec("extractive", "extractive", "extractive")
    if model == "auto":
        spec = find_local(directory)
        if spec is None:
            log.info(
                "model=auto: no local seq2seq checkpoint in %s or the Hugging Face cache; "
                "using the extractive engine (offline default)",
                directory,
            )
            return ModelSpec("extractive", "extractive", "extractive")
        log.info(
            "model=auto: using %s engine with %s (%s)",
            spec.engine,
            spec.name,
            spec.source,
        )
        return spec

    known = manifests(directory)
    path = Path(model).expanduser()
    if path.exists():
        if not path.is_dir():
            raise ModelNotFoundError(f"{model} is a file; a model is a checkpoint folder")
        spec = _local_spec(path.name, path, known.get(path.name))
        if spec is None:
            raise ModelNotFoundError(f"{model} is not a model folder (no config.json)")
        return spec
    if model in known:
        manifest = known[model]
        spec = _local_spec(model, directory / model, manifest)
        if spec:
            return spec
        snapshot = hf_cached_snapshot(manifest.hub_id)
        if snapshot:
            return ModelSpec("seq2seq", str(snapshot), model, manifest)
        raise ModelNotFoundError(
            f"model {model!r} has no local checkpoint: expected {directory / model}/ or "
            f"{manifest.hub_id} in the Hugging Face cache. On a connected machine run "
            f"`summarizer models pull {model}` and copy models/{model}/ here."
        )
    if "/" not in model and (directory / model).is_dir():  # e.g. a converted NAME-ct2-int8
        manifest = known.get(source_name(model))
        spec = _local_spec(model, directory / model, manifest)
        if spec:
            return spec
    if model.startswith(HUB_PREFIX):
        return _hub_spec(model[len(HUB_PREFIX) :])
    if HUB_ID.fullmatch(model):
        snapshot = hf_cached_snapshot(model)  # a local copy: no network needed
        if snapshot:
            return ModelSpec("seq2seq", str(snapshot), model)
    offline = " (HF_HUB_OFFLINE is set)" if _hub_offline() else ""
    if "/" in model or model.startswith((".", "~")):
        raise ModelNotFoundError(
            f"model {model!r} not found locally: no such folder, and not in the Hugging Face "
            f"cache{offline}. A path is relative to {Path.cwd()}; to download a hub model "
            f"give hub:ORG/NAME on a machine with the network."
        )
    names = ", ".join(["auto", "extractive", *known]) or "auto, extractive"
    raise ModelNotFoundError(
        f"unknown model {model!r}: not a folder, a manifest in {directory}, or a hub id "
        f"(org/name). Known models: {names}"
    )


# A hub id is tried on the network only when asked for explicitly: ``hub:ORG/NAME``. A bare
# ``org/name`` is a local folder or a model already in the Hugging Face cache, never a
# download, so that a typo in a path (``models/foo``) is reported as not found.
HUB_PREFIX = "hub:"
HUB_ID = re.compile(r"[A-Za-z0-9](?:[\w.-]{0,95})/[A-Za-z0-9](?:[\w.-]{0,95})")


def _hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes")


def _hub_spec(hub_id: str) -> ModelSpec:
    if not HUB_ID.fullmatch(hub_id) or ".." in hub_id:
        raise ModelNotFoundError(f"{HUB_PREFIX}{hub_id!r} is not a hub id (ORG/NAME)")
    snapshot = hf_cached_snapshot(hub_id)
    if snapshot:
        return ModelSpec("seq2seq", str(snapshot), hub_id)
    if _hub_offline():
        raise ModelNotFoundError(
            f"{hub_id!r} is not in the Hugging Face cache and HF_HUB_OFFLINE is set"
        )
    return ModelSpec("seq2seq", hub_id, hub_id, local_files_only=False)


# One line per engine: the name a ModelSpec carries → the class that runs it (imported only when
# needed: a converted model never imports torch). Each class builds itself from the spec and the
# load options with its own ``from_spec``.
ENGINES: dict[str, str] = {
    ENGINE_EXTRACTIVE: "summarizer.engines.extractive:ExtractiveEngine",
    ENGINE_SEQ2SEQ: "summarizer.engines.seq2seq:Seq2SeqEngine",
    ENGINE_CTRANSLATE2: "summarizer.engines.ctranslate2:CTranslate2Engine",
}


def load_engine(spec: ModelSpec, options: LoadOptions | None = None) -> Engine:
    where = ENGINES.get(spec.engine)
    if where is None:
        raise ModelLoadError(
            f"{spec.source} needs the {spec.engine!r} engine, which is not installed "
            f"(try: pip install 'article-summarizer[ct2]')"
        )
    module, _, name = where.partition(":")
    engine_class: type[Engine] = getattr(importlib.import_module(module), name)
    return engine_class.from_spec(spec, options or LoadOptions())


def pull(name: str, directory: Path | None = None) -> Path:
    """Download a manifest's checkpoint (safetensors and tokenizer files only) to models/NAME/."""
    from huggingface_hub import snapshot_download

    directory = directory or models_dir()
    known = manifests(directory)
    if name not in known:
        raise ModelNotFoundError(f"no manifest {name!r} in {directory}; known: {', '.join(known)}")
    target = directory / name
    try:
        snapshot_download(
            repo_id=known[name].hub_id,
            local_dir=target,
            allow_patterns=["*.json", "*.safetensors", "*.model", "*.txt", "tokenizer*"],
        )
    except Exception as exc:  # network errors come in many types; all mean the same here
        raise ModelLoadError(
            f"could not download {known[name].hub_id}: {type(exc).__name__}: {exc}. "
            "This needs a machine that reaches the Hugging Face hub; copy the folder over after."
        ) from None
    return target


def _model_row(name: str, engine: str, where: str, path: Path | None, **info: Any) -> dict:
    return {
        "name": name,
        "engine": engine,
        "hub_id": info.get("hub_id"),
        "family": info.get("family"),
        "max_input_tokens": info.get("max_input_tokens"),
        "license": info.get("license"),
        "available": not where.startswith("not local"),
        "where": where,
        "path": str(path) if path else None,
    }


def available_models(directory: Path | None = None) -> list[dict[str, Any]]:
    """Every model this machine knows of, for ``summarizer models list`` and ``GET /v1/models``.

    One dict per model: ``name``, ``engine``, ``hub_id``, ``family``, ``max_input_tokens``,
    ``license``, ``available`` (a checkpoint is here), ``where`` ("built in", "models folder",
    "Hugging Face cache", or "not local: ..." with how to get it) and ``path`` (the local
    folder, else None). Rows: the extractive engine, checkpoint folders without a manifest,
    then the manifests.
    """
    directory = directory or models_dir()
    known = manifests(directory)
    models = [_model_row("extractive", "extractive", "built in", None, license="Apache-2.0")]
    folders = sorted(p for p in directory.iterdir() if p.is_dir()) if directory.is_dir() else []
    for folder in folders:
        engine = folder_engine(folder)
        if engine and folder.name not in known:
            models.append(_model_row(folder.name, engine, "models folder", folder))
    for name, manifest in known.items():
        local = directory / name
        engine = folder_engine(local) if local.is_dir() else None
        if engine:
            where, path = "models folder", local
        elif hf_cached_snapshot(manifest.hub_id):
            where, path = "Hugging Face cache", None
        else:
            where, path = f"not local: summarizer models pull {name}", None
        models.append(
            _model_row(
                name,
                engine or "seq2seq",
                where,
                path,
                hub_id=manifest.hub_id,
                family=manifest.family,
                max_input_tokens=manifest.max_input_tokens,
                license=manifest.license,
            )
        )
    return models
