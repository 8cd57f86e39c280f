"""Every error the API returns, mapped to ``{"error": {"code", "message"}}`` in this one module.

Handlers here turn typed exceptions, request validation errors, Starlette HTTP errors and the
library's ``SummarizerError`` into that shape. Anything unexpected becomes a 500 with the same
shape and no traceback; client input never reaches that branch (tests/api/test_malformed.py).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Receive, Scope, Send

from api.schemas import ErrorResponse
from summarizer.errors import (
    ModelLoadError,
    ModelNotFoundError,
    ModelProcessError,
    SummarizerError,
    UnsafeCheckpointError,
)

log = logging.getLogger("api.errors")


class ApiError(Exception):
    """An error with an HTTP status, a stable code and a message a client developer can act on."""

    status = 500
    code = "internal_error"

    def __init__(
        self, message: str, *, headers: dict[str, str] | None = None, code: str | None = None
    ):
        super().__init__(message)
        self.message = message
        self.headers = headers or {}
        if code:
            self.code = code


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"


class BodyTooLarge(ApiError):
    status, code = 413, "body_too_large"


class InvalidEncoding(ApiError):
    status, code = 400, "invalid_json"


class RequestTimeout(ApiError):
    status, code = 408, "request_timeout"


class UnsupportedMediaType(ApiError):
    status, code = 415, "unsupported_media_type"


class InvalidRequest(ApiError):
    status, code = 422, "invalid_request"


class ServiceBusy(ApiError):
    status, code = 503, "overloaded"


class NotReady(ApiError):
    status, code = 503, "not_ready"


class DeadlineExceeded(ApiError):
    status, code = 504, "deadline_exceeded"


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict:
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = details
    return {"error": error}


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    headers: dict[str, str] | None = None,
    details: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


async def send_error(
    err: ApiError, scope: Scope, receive: Receive, send: Send, *, close: bool = False
) -> None:
    """Answer ``err`` from ASGI middleware; ``close``: then close the connection (a body that
    was not read, or not all of it)."""
    headers = {**err.headers, **({"Connection": "close"} if close else {})}
    await error_response(err.status, err.code, err.message, headers=headers)(scope, receive, send)


# The server's model, not the client's request: missing, unsafe, or failing to load or run.
MODEL_ERRORS = (ModelNotFoundError, ModelLoadError, ModelProcessError, UnsafeCheckpointError)


def from_exception(exc: BaseException) -> ApiError:
    """Any exception as the ``ApiError`` a client sees: the one mapping from library errors to
    HTTP statuses, for a single request, a batch item and a failed model call alike.

    A model error (``MODEL_ERRORS``) is 500 with its code; any other ``SummarizerError`` is
    about the article or the options (the caller's to fix): 422 with its code; anything else
    is a bare 500 whose detail only the server log has."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, MODEL_ERRORS):
        return ApiError(str(exc), code=exc.code)
    if isinstance(exc, SummarizerError):
        return InvalidRequest(str(exc), code=exc.code)
    return ApiError("internal error; see the server log for this request id")


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Only where and what: never echo the client's input back (it may be a whole article).
    return [
        {
            "field": ".".join(str(p) for p in err.get("loc", ()) if p != "body"),
            "message": err["msg"].removeprefix("Value error, "),
        }
        for err in exc.errors()[:20]
    ]


def install(app: FastAPI) -> None:
    """Register the handlers that produce every error response of the app."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, headers=exc.headers)

    @app.exception_handler(SummarizerError)
    async def _library_error(request: Request, exc: SummarizerError) -> JSONResponse:
        err = from_exception(exc)
        return error_response(err.status, err.code, err.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(err.get("type") == "json_invalid" for err in errors):
            return error_response(400, "invalid_json", "the request body is not valid JSON")
        if any(
            err.get("type") == "missing" and tuple(err.get("loc", ())) == ("body",)
            for err in errors
        ):
            return error_response(
                400, "invalid_json", "the request body is empty: send a JSON object"
            )
        details = _validation_details(exc)
        first = details[0] if details else {"field": "", "message": "invalid request"}
        where = f"{first['field']}: " if first["field"] else ""
        return error_response(422, "invalid_request", f"{where}{first['message']}", details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}
        message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        if exc.status_code == 400:
            # FastAPI's one message for a body it could not decode (e.g. invalid UTF-8).
            message = "the request body could not be decoded as UTF-8 JSON"
        return error_response(
            exc.status_code,
            codes.get(exc.status_code, "http_error"),
            message,
            headers=dict(exc.headers or {}),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return error_response(500, "internal_error", "internal error; see the server log")


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` for the declared error statuses of a route."""
    text = {
        400: "Body is not valid JSON or not UTF-8",
        408: "The body did not arrive within SUMMARIZER_BODY_TIMEOUT_SECONDS",
        401: "Missing or wrong X-API-Key",
        413: "Body larger than the configured limit",
        415: "Content-Type is not application/json",
        422: "Invalid fields, or an article that cannot be summarized",
        503: "Queue full or model not ready; retry after Retry-After seconds",
        504: "The request waited longer than its deadline",
    }
    return {s: {"model": ErrorResponse, "description": text.get(s, "Error")} for s in statuses}
