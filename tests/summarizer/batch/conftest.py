"""Helpers for the batch tests: run the real command, read its files, build inputs."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.subprocesses import run_python


def run_batch(*args, stdin: bytes | None = None, timeout: float = 120, env_extra=None):
    return run_python(
        "-m", "summarizer", "batch", *args, input=stdin, env=env_extra, timeout=timeout
    )


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def keys_of(output: Path, errors: Path) -> Counter:
    """How many times each record key appears across OUTPUT (id) and ERRORS (key)."""
    counts: Counter = Counter(row["id"] for row in read_jsonl(output))
    counts.update(row["key"] for row in read_jsonl(errors))
    return counts


def assert_exactly_once(output: Path, errors: Path, expected: set[str]) -> None:
    counts = keys_of(output, errors)
    twice = {key: n for key, n in counts.items() if n > 1}
    assert not twice, f"written more than once: {twice}"
    missing, extra = sorted(expected - set(counts)), sorted(set(counts) - expected)
    assert not missing and not extra, f"missing: {missing[:5]}, extra: {extra[:5]}"


def build_backlog(rows: list[dict], path: Path, n: int = 1000, bad_every: int = 250) -> set[str]:
    """n distinct articles with varied ids, plus a malformed line every ``bad_every``.

    Returns the key every record must end under: ids, and ``line:N`` for the malformed lines.
    """
    keys: set[str] = set()
    lines: list[str] = []
    for i in range(n):
        if i and i % bad_every == 0:
            lines.append('{"id": "broken-' + str(i) + '", "text": "cut off')
            keys.add(f"line:{len(lines)}")
        row = rows[i % len(rows)]
        ident = f"{row['id'][:12]}-{i:05d}" if i % 3 else f"n{i}"
        article = f"{row['article']} This is backlog item number {i}."
        lines.append(json.dumps({"id": ident, "article": article}))
        keys.add(ident)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return keys


@pytest.fixture(scope="session")
def backlog(tmp_path_factory, sample_rows) -> tuple[Path, set[str]]:
    path = tmp_path_factory.mktemp("backlog") / "backlog.jsonl"
    return path, build_backlog(sample_rows, path)
