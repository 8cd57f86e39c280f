"""Rows of the evaluation files (datasets, web pages, rendered text): UTF-8 JSON Lines, each
line bounded, every bad line an ``InputError`` that names ``file:line``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from summarizer.bounded_lines import bounded_lines
from summarizer.errors import InputError


def json_rows(f: TextIO, path: Path, max_chars: int) -> Iterator[tuple[int, Any]]:
    """``(line number, parsed JSON)`` for each line of ``f`` (read from ``path``) that is not
    blank; a line over ``max_chars`` characters is refused without being held whole."""
    try:
        for number, line in enumerate(bounded_lines(f, max_chars), 1):
            where = f"{path}:{number}"
            if line is None:
                raise InputError(f"{where}: row over {max_chars:,} characters")
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{where}: not JSON ({exc.msg})") from None
            except RecursionError:
                raise InputError(f"{where}: not usable JSON text (nested too deeply)") from None
            except ValueError as exc:  # e.g. an integer of more than 4,300 digits
                raise InputError(f"{where}: not usable JSON text ({exc})") from None
            yield number, row
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
