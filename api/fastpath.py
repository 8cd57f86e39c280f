"""The fast path of a repeated ``POST /v1/summaries``: pure ASGI, inside the body limits.

The request's fingerprint is the hash of its raw body, computed here once and passed down in
``request.state.fingerprint``. A body answered in the last seconds (the service's recent tier,
used only while the shared cache works) gets that answer's bytes, rendered once per entry, with
this request's timing; any other body is replayed to the route. A hit needs no model: its
admission ticket (``api.admission``, taken at the door) is settled here. A refused API key goes
to the route unread, whose answer is the 401 (the one check, ``api.keys.key_accepted``)."""

from __future__ import annotations

import time

import orjson
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from api.admission import TICKET
from api.keys import key_accepted
from api.middleware import replayed
from api.schemas import SummaryRequest, SummaryResponse
from api.service import Recent, SummaryService

SUMMARY_PATH = "/v1/summaries"
FINGERPRINT = "fingerprint"  # its key in scope["state"] (request.state.fingerprint)
_TIMING = b',"timing":'


def response_head(entry: Recent, body: bytes) -> bytes:
    """The route's response to ``body`` for this entry, up to its timing (the last field)."""
    if entry.response_head is None:
        request_id = SummaryRequest.model_validate_json(body).id
        whole = SummaryResponse.build(entry.summary, request_id, 0.0).model_dump_json()
        entry.response_head = whole.encode()[: whole.encode().rindex(_TIMING)]
    return entry.response_head


def render(head: bytes, total_ms: float) -> bytes:
    return head + _TIMING + b'{"total_ms":' + orjson.dumps(round(total_ms, 3)) + b"}}"


class RecentHitMiddleware:
    """Answers a body seen in the last seconds from the recent tier; see the module."""

    def __init__(self, app: ASGIApp, state: object) -> None:
        self.app = app
        self.state = state  # the FastAPI app's state: .service once the model is loaded

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        service: SummaryService | None = getattr(self.state, "service", None)
        if (
            service is None
            or scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"] != SUMMARY_PATH
            or not key_accepted(service.settings.api_keys, Headers(scope=scope).get("x-api-key"))
        ):
            await self.app(scope, receive, send)
            return
        message = await receive()  # the whole body, bounded (api.middleware.BodyLimitMiddleware)
        if message["type"] != "http.request" or message.get("more_body", False):
            await self.app(scope, replayed(message, receive), send)
            return
        body = message.get("body", b"")
        state = scope.setdefault("state", {})
        state[FINGERPRINT] = fingerprint = service.fingerprint(body)
        recent = service.recent_tier()
        entry = recent.entry(fingerprint) if recent is not None else None
        if entry is None:
            await self.app(scope, replayed(message, receive), send)
            return
        service.metrics.cache.labels("hit").inc()
        if (ticket := state.get(TICKET)) is not None:
            ticket.settle()
        started = state.get("started")
        total_ms = 0.0 if started is None else (time.perf_counter() - started) * 1000
        content = render(response_head(entry, body), total_ms)
        await Response(content, media_type="application/json")(scope, receive, send)
