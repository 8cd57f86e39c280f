"""The default backend: one table in an SQLite file (survives restarts, safe with several
worker processes), and how a file that cannot be used is set aside or turned off."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from summarizer.cache.base import Cache, DisabledCache
from summarizer.paths import free_aside_name

log = logging.getLogger("summarizer.cache")

PURGE_EVERY_WRITES = 1000


class SQLiteCache(Cache):
    """One table in a WAL-mode SQLite file; each thread gets its own connection.

    Opening raises ``sqlite3.DatabaseError`` for a file that is not a usable database and
    ``OSError`` when the folder cannot be made; :func:`open_sqlite` turns both into something
    the service can start with."""

    backend = "sqlite"

    def __init__(self, path: str | Path, ttl_seconds: int | None = None) -> None:
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.ttl = ttl_seconds
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._writes = 0
        try:
            with self._conn() as conn:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS summaries "
                    "(key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL NOT NULL)"
                )
                conn.execute("CREATE INDEX IF NOT EXISTS summaries_created ON summaries (created)")
            self.purge_expired()
        except BaseException:
            self.close()
            raise

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def get(self, key: str) -> dict[str, Any] | None:
        row = (
            self._conn()
            .execute("SELECT value, created FROM summaries WHERE key = ?", (key,))
            .fetchone()
        )
        if row is None:
            return None
        if self.ttl is not None and time.time() - row[1] > self.ttl:
            return None
        return json.loads(row[0])

    def set(self, key: str, value: dict[str, Any]) -> None:
        self._conn().execute(
            "INSERT OR REPLACE INTO summaries (key, value, created) VALUES (?, ?, ?)",
            (key, json.dumps(value, ensure_ascii=False), time.time()),
        )
        with self._lock:
            self._writes += 1
            due = self._writes % PURGE_EVERY_WRITES == 0
        if due:
            self.purge_expired()

    def purge_expired(self) -> int:
        """Delete entries past their time to live (reads skip them anyway); returns how many.
        Runs at open and every ``PURGE_EVERY_WRITES`` writes, so the file stops growing."""
        if self.ttl is None:
            return 0
        cursor = self._conn().execute(
            "DELETE FROM summaries WHERE created < ?", (time.time() - self.ttl,)
        )
        return cursor.rowcount

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                try:
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.Error:
                    pass  # closed already, owned by a finished thread, or a broken file
                finally:
                    conn.close()
            self._connections.clear()
        self._local = threading.local()


def sqlite_path(url: str) -> Path:
    path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else urlparse(url).path
    return Path(path).expanduser()


def open_sqlite(path: Path, ttl_seconds: int | None) -> Cache:
    """The SQLite cache at ``path``, never an exception: a file that is not a database is moved
    aside and a fresh one started; a path that cannot be used gives a :class:`DisabledCache`."""
    try:
        return SQLiteCache(path, ttl_seconds)
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") not in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
            return _disabled(path, f"cannot open {path}: {exc}")
        try:
            aside = _move_aside(path)
        except OSError as move_exc:
            return _disabled(
                path,
                f"{path} is not a usable database ({exc}) and cannot be "
                f"moved aside: {move_exc.strerror or move_exc}",
            )
        log.error(
            "cache file %s is not a usable database (%s): moved it aside to %s and started "
            "a fresh cache",
            path,
            exc,
            aside,
        )
        try:
            return SQLiteCache(path, ttl_seconds)
        except (sqlite3.Error, OSError) as again:
            return _disabled(path, f"cannot start a fresh cache at {path}: {again}")
    except OSError as exc:
        return _disabled(path, f"cannot use {path}: {exc.strerror or exc} ({exc.filename})")


def _move_aside(path: Path) -> Path:
    """Rename ``path`` (and its -wal/-shm files) to a free ``<name>.broken-<time>`` name."""
    aside = free_aside_name(path, "broken")
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            os.replace(extra, aside.with_name(aside.name + suffix))
    return aside


def _disabled(path: Path, reason: str) -> DisabledCache:
    log.error("cache disabled: %s; summarizing without a cache", reason)
    return DisabledCache("sqlite", reason)
