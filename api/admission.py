"""The one admission decision: whether a summary request may go on.

:class:`Admission` holds the only counters and the only formula (:meth:`Admission.refusal`),
consulted before a request's body is read (:class:`AdmissionMiddleware`: a flood costs no
reading) and when a miss enters the model's queue (``api.batcher``). Behind nginx
(deploy/nginx) most of a flood is shed before Python; this is the service's own bound."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import ApiError, NotReady, ServiceBusy, send_error
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
    """Pure ASGI, before the body limits: a refused summary request gets 503 + ``Retry-After``,
    its body unread; an admitted one carries its :class:`Ticket` in ``request.state.admission``
    until its response is done. Before the model is loaded, requests go on (the route's 503)."""

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
            # Its body unread: the connection is closed after the answer.
            await send_error(ticket, scope, receive, send, close=True)
            return
        scope.setdefault("state", {})[TICKET] = ticket
        try:
            await self.app(scope, receive, send)
        finally:
            ticket.close()
