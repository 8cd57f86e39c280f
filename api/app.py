"""The application factory: ``create_app(settings)``, and ``app_from_env()`` for uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from api import errors, logs
from api.admission import Admission, AdmissionMiddleware
from api.deps import require_api_key
from api.fastpath import RecentHitMiddleware
from api.metrics import Metrics
from api.middleware import BodyLimitMiddleware, RequestContextMiddleware
from api.routes import docs, health, models, summaries, web
from api.schemas import CacheHealth
from api.service import SummaryService
from api.settings import Settings
from summarizer import registry
from summarizer.cache import SafeCache, open_cache
from summarizer.cache.sqlite import sqlite_path
from summarizer.cache.urls import redact_url
from summarizer.core import Summarizer
from summarizer.load_options import ModelSpec

log = logging.getLogger("api.app")


def cache_name(url: str) -> str:
    """The cache as the start-up lines name it: a SQLite file by its absolute path (a relative
    one is from the working directory), any other URL with its secrets masked."""
    if url.startswith("sqlite:"):
        return f"sqlite:///{sqlite_path(url).resolve()}"
    return redact_url(url) if url and url != "none" else "none"


async def _load(app: FastAPI, given: Summarizer | None, model: ModelSpec | None) -> None:
    """Open the cache, load the model and warm it up, then mark the app ready."""
    settings: Settings = app.state.settings
    metrics: Metrics = app.state.metrics
    start = time.perf_counter()
    summarizer: Summarizer | None = None
    try:
        inner = open_cache(settings.cache_url, settings.cache_ttl_seconds)
        cache = SafeCache(inner) if inner is not None else None
        app.state.cache = cache
        if given is not None:
            summarizer = given
            if summarizer.cache is None:
                summarizer.cache = cache
        else:
            if model is None:
                folder = settings.models_folder()
                model = await asyncio.to_thread(registry.resolve, settings.model, folder)
            summarizer = await asyncio.to_thread(
                Summarizer.load,
                model,
                settings.load_options(),
                cache=cache,
                models_dir=str(settings.models_folder()),
                max_input_chars=settings.max_article_chars,
                process=settings.runs_model_process(model.engine),
            )
        admission = Admission(
            settings.max_concurrent_requests,
            settings.queue_max_depth,
            settings.retry_after_seconds,
            metrics,
        )
        service = SummaryService(summarizer, settings, metrics, admission)
        await service.start()
        await asyncio.to_thread(service.warm_up)
        if app.state.freeze_heap:
            # The loaded model and libraries are tens of thousands of long-lived objects: a
            # full collection scanning them took ~100 ms, the p99 of cache hits. Frozen, the
            # collector only looks at what requests allocate.
            gc.collect()
            gc.freeze()
    except Exception:
        # /readyz is unauthenticated: the detail (paths, settings) goes to the log only.
        app.state.load_error = "model failed to load; see the service log"
        log.exception("model failed to load")
        if summarizer is not None and given is None:  # loaded, then failed its warm-up
            await asyncio.to_thread(summarizer.close_engine)
        return
    elapsed = time.perf_counter() - start
    metrics.model_load.set(elapsed)
    metrics.ready.set(1)
    app.state.service = service
    app.state.admission = service.admission
    health = summarizer.cache_health()
    log.info(
        "ready in %.2fs: engine=%s model=%s cache=%s",
        elapsed,
        summarizer.engine_name,
        summarizer.model_name,
        cache_name(settings.cache_url) if health["state"] != "off" else "none",
    )
    if health["state"] != "off":
        metrics.set_cache_health(CacheHealth.model_validate(health))
        if health["state"] != "ok":
            log.error(
                "serving WITHOUT a summary cache (%s %s): %s; every request is summarized anew",
                health["backend"],
                health["state"],
                health["detail"],
            )


def create_app(
    settings: Settings | None = None,
    summarizer: Summarizer | None = None,
    *,
    model: ModelSpec | None = None,
    freeze_heap: bool = False,
) -> FastAPI:
    """Build the app. The model loads in the background after start-up, so ``/healthz`` answers
    at once and ``/readyz`` says 503 until the model is warm. ``summarizer`` (tests, notebooks)
    replaces loading ``settings.model``; ``model`` is ``settings.model`` already resolved
    (``summarizer serve`` resolves it once, to fail before listening). ``freeze_heap`` (a server
    process) moves what start-up allocated out of the garbage collector's sight once the model is
    warm."""
    settings = settings or Settings()
    metrics = Metrics()
    cors: dict[str, Any] = {
        "allow_origins": settings.cors_origins,
        "allow_methods": ["GET", "POST", "OPTIONS"],
        "allow_headers": ["Content-Type", "X-API-Key", "X-Request-ID"],
        "expose_headers": ["X-Request-ID", "Retry-After", "Server-Timing"],
        "max_age": 600,
    }

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        log.info(
            "starting: model=%s cache=%s",
            model.name if model is not None else settings.model,
            cache_name(settings.cache_url),
        )
        loader = asyncio.create_task(_load(app, summarizer, model), name="model-loader")
        try:
            yield {}
        finally:
            # uvicorn has stopped accepting and let open requests finish; finish the queue too.
            app.state.closing = True
            if not loader.done():
                loader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await loader
            if app.state.service is not None:
                await app.state.service.stop(timeout=settings.request_deadline_seconds)
                if summarizer is None:  # the app's own model: stop its process, if it has one
                    await asyncio.to_thread(app.state.service.summarizer.close_engine)
            if app.state.cache is not None:
                app.state.cache.close()
            metrics.worker_exited()
            log.info("stopped; cache flushed")

    app = FastAPI(
        title="Article summarizer",
        version="1",
        summary="Summaries of news articles for a website's 'Get a summary' button.",
        lifespan=lifespan,
        docs_url=None,  # served by api.routes.docs from the service itself (works offline)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.service = None
    app.state.admission = None
    app.state.cache = None
    app.state.load_error = None
    app.state.closing = False
    app.state.freeze_heap = freeze_heap

    errors.install(app)
    keyed = [Depends(require_api_key)]
    app.include_router(summaries.router)  # its one dependency checks the key (api.deps)
    app.include_router(models.router, dependencies=keyed)
    app.include_router(health.router)
    app.include_router(web.router)
    app.include_router(docs.router)
    app.mount("/static", StaticFiles(directory=web.STATIC), name="static")
    app.mount("/docs-assets", StaticFiles(directory=docs.ASSETS), name="docs-assets")

    # Added innermost first: request id + metrics wrap CORS, which wraps admission (503 before
    # the body is read), then the body limits, then the recent hits (api.fastpath). Only
    # requests that reach a route are read (a PUT on a GET route is 405, unread).
    app.add_middleware(RecentHitMiddleware, state=app.state)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        routes=app.router.routes,
        timeout_seconds=settings.body_timeout_seconds,
    )
    app.add_middleware(AdmissionMiddleware, state=app.state)
    app.add_middleware(CORSMiddleware, **cors)
    # Metrics labels: every route's path, also for a request answered before routing (a
    # refusal at the door) and for FastAPI's own /openapi.json.
    routers = (summaries.router, models.router, health.router, web.router, docs.router)
    paths = frozenset({app.openapi_url or "", *(r.path for rt in routers for r in rt.routes)})
    app.add_middleware(RequestContextMiddleware, metrics=metrics, paths=paths)
    return app


def app_from_env() -> FastAPI:
    """Factory for uvicorn (``--factory``), also in each ``--workers`` process."""
    settings = Settings()
    logs.setup(settings.log_level, settings.log_json)
    return create_app(settings, freeze_heap=True)
