"""What a cache entry must be before it is believed: a shared cache (a Redis other programs
write to, a file copied from elsewhere) can hold anything under a key.

Every entry is *sealed* when written: it carries ``for_key``, a digest of the key it was stored
under (the key itself is a digest of the article, the engine and the options, ``keys``). An entry
read back under another key (article B's key holding article A's summary), without a seal (made
by an older release: it is refilled once), or whose known fields have the wrong types (a
``"summary": null``) is not used: ``SafeCache`` treats it as a miss. The key is unchanged.
"""

from __future__ import annotations

import hashlib
from typing import Any

SEAL_FIELD = "for_key"

_STR_FIELDS = ("summary", "engine", "model")
_COVERAGE_INTS = ("input_chars", "input_words", "input_sentences", "chunks", "reduce_rounds")


def key_digest(key: str) -> str:
    return hashlib.sha256(b"summary-cache-entry\0" + key.encode("utf-8")).hexdigest()[:32]


def seal(key: str, value: dict[str, Any]) -> dict[str, Any]:
    """``value`` as stored under ``key``."""
    return {**value, SEAL_FIELD: key_digest(key)}


def unseal(key: str, value: object) -> tuple[dict[str, Any] | None, str | None]:
    """``(value, None)`` for a good entry read under ``key`` (without its seal), else
    ``(None, why)``."""
    if not isinstance(value, dict):
        return None, f"not a JSON object ({type(value).__name__})"
    seal_value = value.get(SEAL_FIELD)
    if seal_value is None:
        return None, "no seal (written by an older release, or not by this program)"
    if seal_value != key_digest(key):
        return None, "sealed for another key (another article's entry)"
    problem = type_problem(value)
    if problem:
        return None, problem
    return {k: v for k, v in value.items() if k != SEAL_FIELD}, None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def type_problem(value: dict[str, Any]) -> str | None:
    """Why the fields a summary entry has are not of their types, or None."""
    for name in _STR_FIELDS:
        if name in value and not isinstance(value[name], str):
            return f"{name!r} is {type(value[name]).__name__}, not a string"
    sentences = value.get("sentences", [])
    if not isinstance(sentences, list) or not all(isinstance(s, str) for s in sentences):
        return "'sentences' is not a list of strings"
    if "language" in value and not isinstance(value["language"], str | None):
        return "'language' is not a string"
    if "options" in value and not isinstance(value["options"], dict):
        return "'options' is not an object"
    if "words" in value and not _is_int(value["words"]):
        return "'words' is not an integer"
    coverage = value.get("coverage", {})
    if not isinstance(coverage, dict):
        return "'coverage' is not an object"
    for name, field in coverage.items():
        if name in _COVERAGE_INTS and not _is_int(field):
            return f"'coverage.{name}' is not an integer"
        if name == "input_tokens" and not (field is None or _is_int(field)):
            return "'coverage.input_tokens' is not an integer"
        if name == "truncated" and not isinstance(field, bool):
            return "'coverage.truncated' is not a boolean"
        if name not in (*_COVERAGE_INTS, "input_tokens", "truncated"):
            return f"'coverage' has an unknown field {name!r}"
    return None
