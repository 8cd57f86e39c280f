"""``GET /v1/models``: what is loaded, and what could be."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi import APIRouter, Request

from api import errors
from api.deps import SettingsDep
from api.schemas import ModelInfo, ModelsResponse
from summarizer import registry

router = APIRouter(prefix="/v1", tags=["models"])


def _available(loaded_model: str | None, folder: Path) -> list[ModelInfo]:
    # ``where`` names the kind of place, never a server path.
    return [
        ModelInfo(
            name=m["name"],
            engine=m["engine"],
            available=m["available"],
            loaded=loaded_model == m["name"],
            source=m["where"],
        )
        for m in registry.available_models(folder)
    ]


@router.get(
    "/models", response_model=ModelsResponse, responses=errors.responses(401), summary="Models"
)
async def list_models(request: Request, settings: SettingsDep) -> ModelsResponse:
    """The loaded engine (null while loading) and the models this server could load."""
    service = request.app.state.service
    loaded = service.summarizer.describe() if service is not None else None
    name = service.summarizer.model_name if service is not None else None
    return ModelsResponse(
        loaded=loaded, models=await asyncio.to_thread(_available, name, settings.models_folder())
    )
