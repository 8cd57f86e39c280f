"""Structured logs: one JSON object per line (or plain text), each with the request id."""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import time

import orjson

from summarizer.log_setup import quiet_noisy_loggers

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_STANDARD = set(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "request_id",
    "color_message",
}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


# Every C0 and C1 control character, DEL and the Unicode line separators, written as escapes:
# a client's text (a path with %0a or %1b) can neither start a forged line nor colour a terminal.
_ESCAPES = {
    c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
    for c in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]
}


def escape(text: str) -> str:
    """``text`` with its control characters escaped (``\\x0a``), on one line."""
    return text.translate(_ESCAPES)


class TextFormatter(logging.Formatter):
    """Plain text, one line per record (time, level, logger, request id, message), every field
    escaped; a traceback follows on its own lines, each escaped."""

    def format(self, record: logging.LogRecord) -> str:
        request_id = escape(str(getattr(record, "request_id", "-")))
        line = (
            f"{self.formatTime(record)} {record.levelname} {record.name} [{request_id}] "
            + escape(record.getMessage())
        )
        if record.exc_info:
            trace = self.formatException(record.exc_info)
            line += "\n" + "\n".join(escape(part) for part in trace.split("\n"))
        return line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        # Fields given with ``extra=`` (e.g. the access log's method, path, status, ms).
        data.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        try:
            # orjson: several times faster, and this runs for every request's access line
            return orjson.dumps(data, default=str).decode()
        except TypeError:  # e.g. an integer beyond 64 bits in ``extra=``
            return json.dumps(data, ensure_ascii=False, default=str)


def setup(level: str = "INFO", as_json: bool = True) -> None:
    """Configure the root logger once per process (uvicorn's loggers propagate to it). JSON
    escapes control characters by itself (orjson); the text format escapes them here."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if as_json else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True  # replaced by api.access
    quiet_noisy_loggers()  # trafilatura's lines about client input among them
