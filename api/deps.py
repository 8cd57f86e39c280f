"""Typed dependencies of the routers: the settings, the metrics, the service, the request's
admission ticket and the one API-key check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from api.admission import TICKET, Ticket
from api.errors import NotReady, Unauthorized
from api.keys import key_accepted
from api.metrics import Metrics
from api.service import SummaryService
from api.settings import Settings

_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_metrics(request: Request) -> Metrics:
    return request.app.state.metrics


async def get_service(request: Request) -> SummaryService:
    service: SummaryService | None = request.app.state.service
    if service is None:
        request.app.state.metrics.rejected.labels("not_ready").inc()
        raise NotReady(
            "the model is still loading; retry shortly",
            headers={"Retry-After": str(request.app.state.settings.retry_after_seconds)},
        )
    return service


@dataclass(frozen=True)
class Admitted:
    """A summary request's way in: the service, and its admission ticket (from
    ``api.admission.AdmissionMiddleware``, by ``request.state``)."""

    service: SummaryService
    ticket: Ticket | None


async def get_admitted(
    request: Request, key: Annotated[str | None, Depends(_api_key_header)] = None
) -> Admitted:
    """The summary routes' one dependency (each costs FastAPI time on every request): the API
    key checked (:func:`check_api_key`), the service, the ticket."""
    check_api_key(request, key)
    return Admitted(await get_service(request), getattr(request.state, TICKET, None))


def check_api_key(request: Request, key: str | None) -> None:
    """``X-API-Key`` checked (:func:`api.keys.key_accepted`); 401 if it is refused."""
    if not key_accepted(request.app.state.settings.api_keys, key):
        raise Unauthorized("missing or invalid X-API-Key")


async def require_api_key(
    request: Request, key: Annotated[str | None, Depends(_api_key_header)] = None
) -> None:
    """:func:`check_api_key` as a router's dependency (``GET /v1/models``)."""
    check_api_key(request, key)


SettingsDep = Annotated[Settings, Depends(get_settings)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
AdmittedDep = Annotated[Admitted, Depends(get_admitted)]
