"""``POST /v1/summaries`` and ``POST /v1/summaries/batch``: parse, call the service, shape."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from api import errors
from api.deps import Admitted, AdmittedDep, SettingsDep
from api.fastpath import FINGERPRINT
from api.schemas import (
    BatchItem,
    BatchRequest,
    BatchResponse,
    ErrorInfo,
    SummaryRequest,
    SummaryResponse,
    Timing,
    is_printable_id,
)
from api.service import ClientGone

router = APIRouter(prefix="/v1", tags=["summaries"])


def _elapsed_ms(request: Request) -> float:
    started = getattr(request.state, "started", None) or time.perf_counter()
    return (time.perf_counter() - started) * 1000


def disconnected(request: Request) -> Callable[[], Awaitable[object]]:
    """What the service awaits beside a summary in the model's queue: the request's next ASGI
    message, which once the body is read is ``http.disconnect`` when the client goes away."""
    return request.receive


def gone(request: Request) -> Response:
    """The client went away: its place in the queue is given up; nothing is sent (the
    connection is gone), and it is counted as nginx's 499, not as a server error."""
    request.state.client_gone = True
    return Response(status_code=499)


@router.post(
    "/summaries",
    response_model=SummaryResponse,
    responses=errors.responses(400, 401, 408, 413, 415, 422, 503, 504),
    summary="Summarize one article",
)
async def create_summary(body: SummaryRequest, request: Request, admitted: AdmittedDep) -> Response:
    """Summarize an article given as `text` or `html`. The same article with the same options
    is served from the cache (`cached: true`)."""
    try:
        summary = await admitted.service.summarize(
            body.raw,
            body.input_format,
            body.to_options(),
            admitted.ticket,
            disconnected(request),
            getattr(request.state, FINGERPRINT, None),
        )
    except ClientGone:
        return gone(request)
    response = SummaryResponse.build(summary, body.id, _elapsed_ms(request))
    # Validated when built: written as it is (no second validation by the response_model).
    return Response(response.model_dump_json(), media_type="application/json")


def _message(first: dict) -> str:
    where = ".".join(str(p) for p in first.get("loc", ()))
    text = first["msg"].removeprefix("Value error, ")
    return f"{where}: {text}" if where else text


async def _one(index: int, item: object, request: Request, admitted: Admitted) -> BatchItem:
    given = item.get("id") if isinstance(item, dict) else None
    given_id = given if is_printable_id(given) else None  # never echo unvalidated input
    try:
        body = SummaryRequest.model_validate(item)
        summary = await admitted.service.summarize(
            body.raw, body.input_format, body.to_options(), admitted.ticket
        )
    except ValidationError as exc:
        return BatchItem(
            index=index,
            id=given_id,
            status=422,
            error=ErrorInfo(code="invalid_request", message=_message(exc.errors()[0])),
        )
    except Exception as exc:
        err = errors.from_exception(exc)
        if err.status >= 500 and not isinstance(exc, errors.ApiError):
            errors.log.exception("batch item %d failed", index)
        return BatchItem(
            index=index,
            id=given_id,
            status=err.status,
            error=ErrorInfo(code=err.code, message=err.message),
        )
    return BatchItem(
        index=index,
        id=body.id,
        status=200,
        result=SummaryResponse.build(summary, body.id, _elapsed_ms(request)),
    )


@router.post(
    "/summaries/batch",
    response_model=BatchResponse,
    responses=errors.responses(400, 401, 408, 413, 415, 422, 503),
    summary="Summarize several articles",
)
async def create_summaries(
    body: BatchRequest, request: Request, admitted: AdmittedDep, settings: SettingsDep
) -> BatchResponse:
    """Up to `SUMMARIZER_BATCH_MAX_ITEMS` articles. Each item gets its own result or its own
    error (with the status it would have had alone); one bad item never fails the others."""
    if len(body.items) > settings.batch_max_items:
        raise errors.InvalidRequest(
            f"items: at most {settings.batch_max_items} per batch, got {len(body.items)}"
        )
    items = await asyncio.gather(
        *(_one(i, item, request, admitted) for i, item in enumerate(body.items))
    )
    ok = sum(1 for item in items if item.error is None)
    return BatchResponse(
        items=list(items),
        succeeded=ok,
        failed=len(items) - ok,
        timing=Timing(total_ms=round(_elapsed_ms(request), 3)),
    )
