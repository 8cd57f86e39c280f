"""Probes and metrics: ``/healthz`` (alive), ``/readyz`` (model loaded and warm), ``/metrics``."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from api import errors
from api.schemas import CacheHealth, Health, Readiness

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=Health, summary="Liveness")
async def healthz() -> Health:
    """The process is alive and its event loop answers (never touches the model)."""
    return Health(status="ok")


def cache_health(app) -> CacheHealth | None:
    """The serving cache's health (None without a cache); the reason stays in the log."""
    service = app.state.service
    if service is not None:
        health = service.summarizer.cache_health()
        health = health if health["state"] != "off" else None
    else:  # still loading: the cache the app opened for it
        health = app.state.cache.health() if app.state.cache is not None else None
    return CacheHealth.model_validate(health) if health is not None else None


@router.get(
    "/readyz", response_model=Readiness, responses=errors.responses(503), summary="Readiness"
)
async def readyz(request: Request) -> Response:
    """200 once the model is loaded and warmed up; 503 before, after a failed load and while
    shutting down (and while a model process that died is replaced), so a load balancer only
    sends traffic to replicas that can serve it.

    A cache fault never makes a replica unready: it serves without the cache, and ``cache``
    in the body says so (``state``: ok, open or disabled)."""
    state = request.app.state
    restarting = state.service is not None and not state.service.summarizer.engine_ready
    if state.service is not None and not state.closing and not restarting:
        ready = Readiness(status="ready", cache=cache_health(request.app))
        return JSONResponse(ready.model_dump())
    reason = state.load_error or (
        "shutting down"
        if state.closing
        else "model process restarting"
        if restarting
        else "model loading"
    )
    return errors.error_response(503, "not_ready", reason, headers={"Retry-After": "1"})


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    m = request.app.state.metrics
    service = request.app.state.service
    if service is not None:
        m.queue_depth.set(service.queue_depth)
    m.set_cache_health(cache_health(request.app))
    return Response(m.render(), media_type=m.content_type)
