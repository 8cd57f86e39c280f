"""What the service relies on in its pinned server stack (pyproject.toml bounds it, the lock
files in requirements/ pin it): a release that changes one of these fails here, in a second,
not as a hung connection in production."""

from __future__ import annotations

import h11
import orjson
import uvicorn
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.testclient import TestClient
from swagger_ui_bundle import swagger_ui_path

from api.server import uvicorn_options
from api.settings import Settings


def test_uvicorn_takes_the_services_limits_as_its_own_options():
    settings = Settings(max_header_bytes=8192, keep_alive_seconds=3, max_connections=77)
    config = uvicorn.Config(app=FastAPI(), **uvicorn_options(settings))
    assert config.http == "h11"
    assert config.h11_max_incomplete_event_size == 8192
    assert config.timeout_keep_alive == 3
    assert config.limit_concurrency == 77
    assert config.timeout_graceful_shutdown == int(settings.request_deadline_seconds) + 5


def test_h11_refuses_an_incomplete_head_beyond_its_bound():
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=4096)
    conn.receive_data(b"GET / HTTP/1.1\r\nHost: x\r\nX-Flood: " + b"a" * 5000)
    try:
        conn.next_event()
    except h11.RemoteProtocolError as exc:
        assert exc.error_status_hint == 431
    else:
        raise AssertionError("h11 buffered a head beyond max_incomplete_event_size")


def test_starlette_and_fastapi_behave_as_the_service_expects():
    """Header values decoded as Latin-1 (api.keys), scope["state"] is request.state (the
    admission ticket), a returned Response is sent as it is (no response_model validation),
    and a router's routes hold its prefix in their path (api.app's metrics labels)."""
    router = APIRouter(prefix="/v1")
    seen: dict[str, object] = {}

    @router.post("/things", response_model=dict)
    async def things(request: Request) -> Response:
        seen["key"] = request.headers["x-api-key"]
        seen["ticket"] = request.state.ticket
        return Response(b'{"raw": true}', media_type="application/json")

    app = FastAPI()
    app.include_router(router)

    async def with_ticket(scope, receive, send):
        scope.setdefault("state", {})["ticket"] = "t-1"
        await inner(scope, receive, send)

    inner = app.build_middleware_stack()
    with TestClient(with_ticket) as client:
        r = client.post("/v1/things", headers={"X-API-Key": "clé".encode()})
    assert r.json() == {"raw": True}
    assert seen["key"] == "clé".encode().decode("latin-1")
    assert seen["ticket"] == "t-1"
    assert [route.path for route in router.routes] == ["/v1/things"]


def test_orjson_escapes_control_characters():
    assert orjson.dumps("a\nb\x1b") == b'"a\\nb\\u001b"'


def test_the_swagger_ui_package_holds_the_assets_docs_serves():
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"):
        assert (swagger_ui_path / name).is_file(), name
