"""Cache keys: one summary's key from its article, the engine that wrote it and its options.

Stable across processes, machines and releases (``KEY_VERSION`` changes when the payload does),
so an SQLite file or a Redis shared by the service and batch jobs keeps serving after an upgrade.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

KEY_VERSION = "v1"


def cache_key(text: str, model: str, options: dict[str, Any]) -> str:
    """The key of a summary of ``text`` (normalized) by ``model`` (the engine's fingerprint)
    with ``options`` (``SummaryOptions.applied``: every option by name, the article's language
    included): the same article, engine and options give the same key everywhere."""
    payload = json.dumps(
        {"text": text, "model": model, "options": options, "v": KEY_VERSION},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
