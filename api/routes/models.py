"""``GET /v1/models``: what is loaded, and what could be."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request

from api import errors
from api.schemas import ModelInfo, ModelsResponse
from summarizer import registry

router = APIRouter(prefix="/v1", tags=["models"])


def _available(loaded_model: str | None) -> list[ModelInfo]:
    directory = registry.models_dir()
    known = registry.manifests(directory)
    models = [
        ModelInfo(
            name="extractive",
            engine="extractive",
            available=True,
            loaded=loaded_model == "extractive",
            source="built in",
        )
    ]
    folders = sorted(p for p in directory.iterdir() if p.is_dir()) if directory.is_dir() else []
    for folder in folders:
        engine = registry.folder_engine(folder)
        if engine and folder.name not in known:
            models.append(
                ModelInfo(
                    name=folder.name,
                    engine=engine,
                    available=True,
                    loaded=loaded_model == folder.name,
                    source="models folder",
                )
            )
    for name, manifest in known.items():
        local = directory / name
        if local.is_dir() and registry.folder_engine(local):
            source = "models folder"
        elif registry.hf_cached_snapshot(manifest.hub_id):
            source = "Hugging Face cache"
        else:
            source = None
        models.append(
            ModelInfo(
                name=name,
                engine="seq2seq",
                available=source is not None,
                loaded=loaded_model == name,
                source=source or f"not local: summarizer models pull {name}",
            )
        )
    return models


@router.get(
    "/models", response_model=ModelsResponse, responses=errors.responses(401), summary="Models"
)
async def list_models(request: Request) -> ModelsResponse:
    """The loaded engine (null while loading) and the models this server could load."""
    service = request.app.state.service
    loaded = service.summarizer.describe() if service is not None else None
    name = service.summarizer.model_name if service is not None else None
    return ModelsResponse(loaded=loaded, models=await asyncio.to_thread(_available, name))
