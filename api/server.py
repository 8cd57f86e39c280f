"""How ``summarizer serve`` runs the app on uvicorn: only uvicorn's own, public options.
What only a reverse proxy gives is in deploy/nginx; docs/deployment.md says which is which."""

from __future__ import annotations

from typing import Any

import uvicorn

from api.settings import Settings


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """The keyword arguments of ``uvicorn.Config`` that come from the settings."""
    return {
        "http": settings.http_parser,
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "timeout_keep_alive": settings.keep_alive_seconds,
        "limit_concurrency": settings.max_connections,
        # uvicorn finishes open requests on SIGTERM; give them the request deadline.
        "timeout_graceful_shutdown": int(settings.request_deadline_seconds) + 5,
        "log_config": None,  # api.logs configured the root logger
        "access_log": False,  # api.middleware writes the access log
        # X-Forwarded-For from the proxy on loopback (deploy/nginx) names the client
        "proxy_headers": True,
        "forwarded_allow_ips": "127.0.0.1",
    }


def serve(app: Any, settings: Settings, host: str, port: int, workers: int = 1) -> None:
    """Run ``app`` (one worker) or ``api.app:app_from_env`` in ``workers`` processes."""
    options = {**uvicorn_options(settings), "host": host, "port": port}
    if workers == 1:
        uvicorn.Server(uvicorn.Config(app, **options)).run()
    else:  # uvicorn's supervisor: each worker builds its own app from the environment
        uvicorn.run("api.app:app_from_env", factory=True, workers=workers, **options)
