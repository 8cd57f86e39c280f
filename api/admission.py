"""The one admission decision of the service: whether a summary request may go on.

:class:`Admission` holds the only counters (summary requests in the service, flights waiting
for the model) and the only formula (:meth:`Admission.refusal`). It is consulted twice with
that same formula: before a request's body is read (:class:`AdmissionMiddleware`, so a flood
costs no reading or parsing) and when a miss is put in the model's queue
(``api.batcher.ModelQueue.join_or_enqueue``). Behind the documented deployment nginx sheds most of a
flood before it reaches Python (deploy/nginx/summarizer.conf); this is the service's own bound.
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import ApiError, NotReady, ServiceBusy, error_body
from api.metrics import Metrics

# The routes whose requests are admitted here (a batch is one request, its items queued alone).
SUMMARY_PATHS = frozenset({"/v1/summaries", "/v1/summaries/batch"})
TICKET = "admission"  # the key of a request's Ticket in scope["state"] (request.state.admission)


@dataclass(eq=False)
class Ticket:
    """One admitted request: in the service from before its body is read until its response,
    and *heading* for the model's queue until it is settled (queued, joined to a flight in
    progress, answered from a cache, or failed): a burst of new requests fills the queue the
    moment it arrives, not only once its articles have been prepared."""

    admission: Admission
    open: bool = True
    heading: bool = True

    def settle(self) -> None:
        if self.heading:
            self.heading = False
            self.admission.heading -= 1

    def close(self) -> None:
        self.settle()
        if self.open:
            self.open = False
            self.admission.in_service -= 1


class Admission:
    """Counters and the formula; one per app (every worker process has its own)."""

    def __init__(
        self, max_in_service: int, queue_depth: int, retry_after: int, metrics: Metrics
    ) -> None:
        self.max_in_service = max_in_service
        self.queue_depth = queue_depth
        self.retry_after = {"Retry-After": str(retry_after)}
        self.metrics = metrics
        self.in_service = 0  # admitted summary requests, body being read included
        self.heading = 0  # of those, the ones not settled yet (see Ticket)
        self.waiting = 0  # flights in the model's queue, not yet handed to the model
        self.closing = False

    def refusal(self, ticket: Ticket | None = None, *, door: bool = False) -> ApiError | None:
        """Why a summary request would be refused now (counted in the metrics), or None: the
        one formula, at the door (``door``: before the body is read, where the number of
        requests in the service is bounded too) and at the model's queue. The queue counts the
        flights waiting and the requests heading for it, but for ``ticket``'s own request."""
        if self.closing:
            self.metrics.rejected.labels("not_ready").inc()
            return NotReady("the service is shutting down", headers=self.retry_after)
        if door and self.in_service >= self.max_in_service:
            self.metrics.rejected.labels("overloaded").inc()
            return ServiceBusy(
                "too many requests in progress; retry later", headers=self.retry_after
            )
        others = self.heading - (ticket is not None and ticket.heading)
        if self.waiting + others >= self.queue_depth:
            self.metrics.rejected.labels("overloaded").inc()
            return ServiceBusy(
                f"the summary queue is full ({self.queue_depth} waiting); retry later",
                headers=self.retry_after,
            )
        return None

    def admit(self) -> Ticket | ApiError:
        """Before the body is read: a ticket, or the refusal."""
        refusal = self.refusal(door=True)
        if refusal is not None:
            return refusal
        self.in_service += 1
        self.heading += 1
        return Ticket(self)

    def queued(self, count: int) -> None:
        """``count`` flights entered (positive) or left (negative) the model's queue."""
        self.waiting += count
        self.metrics.queue_depth.set(self.waiting)


class AdmissionMiddleware:
    """Pure ASGI, before the body limits: a summary request the service cannot take now is
    answered 503 + ``Retry-After`` (the service's JSON error) with its body unread and the
    connection closed; an admitted one carries its :class:`Ticket` to the route in
    ``request.state.admission`` and gives it back when the response is done.

    Until the model is loaded (``admission`` is None) requests go on: the route says 503
    ``not_ready``. A wrong API key is the route's 401 (the one key check)."""

    def __init__(self, app: ASGIApp, state: object) -> None:
        self.app = app
        self.state = state  # the FastAPI app's state: .admission once the model is loaded

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        admission: Admission | None = getattr(self.state, "admission", None)
        if (
            admission is None
            or scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"] not in SUMMARY_PATHS
        ):
            await self.app(scope, receive, send)
            return
        ticket = admission.admit()
        if isinstance(ticket, ApiError):
            await refuse(ticket, send)
            return
        scope.setdefault("state", {})[TICKET] = ticket
        try:
            await self.app(scope, receive, send)
        finally:
            ticket.close()


async def refuse(error: ApiError, send: Send) -> None:
    """The service's JSON error for ``error``, its body unread, so the connection closes."""
    body = orjson.dumps(error_body(error.code, error.message))
    headers = [(k.lower().encode(), v.encode()) for k, v in error.headers.items()]
    headers += [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
