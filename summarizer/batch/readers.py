"""Input readers for ``summarizer batch``: JSONL (file or stdin), CSV, or a folder of files.

Every record of the input comes out as exactly one :class:`Item` (an article to summarize) or one
:class:`RecordError` (why it cannot be), so nothing is ever dropped silently. Each one carries a
``key``, unique within the input, that the writer uses to resume: the id for articles, and
``line:N`` / the file path for records whose id is unknown or is a duplicate.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from summarizer.errors import InputError
from summarizer.text import MAX_INPUT_CHARS

DEFAULT_TEXT_FIELDS = ("text", "article", "body")
FOLDER_SUFFIXES = {
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
}
# A record (line, row or file) larger than this is refused without being parsed.
MAX_RECORD_BYTES = MAX_INPUT_CHARS * 4 + 65_536
# Raw records copied into ERRORS are cut to this many characters.
MAX_RAW_CHARS = 2_000


@dataclass(frozen=True)
class Item:
    key: str
    id: str
    text: str | bytes
    input_format: str = "auto"
    line: int | None = None
    where: str = ""  # "line 12" or the file's path: for messages


@dataclass(frozen=True)
class RecordError:
    key: str
    reason: str
    id: str | None = None
    line: int | None = None
    raw: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "id": self.id,
            "line": self.line,
            "stage": "input",
            "reason": self.reason,
            "raw": self.raw,
        }


Record = Item | RecordError


def _cut(raw: str) -> str:
    if len(raw) <= MAX_RAW_CHARS:
        return raw
    return raw[:MAX_RAW_CHARS] + f"... [{len(raw) - MAX_RAW_CHARS:,} more characters]"


def detect_kind(source: str) -> str:
    """``jsonl`` | ``csv`` | ``folder``; raises InputError for an input that is not there."""
    if source == "-":
        return "jsonl"
    path = Path(source)
    if path.is_dir():
        return "folder"
    if not path.is_file():
        raise InputError(f"no such file or folder: {source}")
    return "csv" if path.suffix.lower() in (".csv", ".tsv") else "jsonl"


class Reader:
    """Iterates over the records of one input; ``count()`` is a cheap pre-pass for the ETA."""

    def __init__(self, source: str, id_field: str = "id", text_field: str | None = None) -> None:
        self.source = source
        self.kind = detect_kind(source)
        self.id_field = id_field
        self.text_fields = (text_field,) if text_field else DEFAULT_TEXT_FIELDS
        if self.kind != "folder" and source != "-":
            try:
                open(source, "rb").close()
            except OSError as exc:
                raise InputError(f"cannot read {source}: {exc.strerror}") from None
        if self.kind == "csv":
            self._check_csv_header()

    # -- public -------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Record]:
        """Records in input order; later records with an id seen before become errors."""
        seen: dict[str, str] = {}
        for record in self._records():
            if record.id is not None and record.key == record.id:
                first = seen.get(record.id)
                where = _where(record)
                if first is not None:
                    yield RecordError(
                        key=f"{record.id}@{where.replace(' ', ':')}",
                        id=record.id,
                        line=record.line,
                        reason=f"duplicate id {record.id!r} (first seen at {first})",
                    )
                    continue
                seen[record.id] = where
            yield record

    def count(self) -> int | None:
        """How many records there are (for the progress bar); None when unknown.

        Unknown for standard input, and for a CSV that the reader will report rows of as
        malformed (the count would be off anyway).
        """
        if self.source == "-":
            return None
        if self.kind == "folder":
            return sum(1 for _ in self._folder_files())
        if self.kind == "csv":
            try:
                with self._open_text() as f:
                    rows = csv.reader(f, self._dialect(), strict=True)
                    next(rows, None)  # the header
                    # Blank rows are skipped by the reader, so they are not counted either.
                    return sum(1 for row in rows if any(cell.strip() for cell in row))
            except csv.Error:
                return None
        with open(self.source, "rb") as f:
            return sum(1 for line in _bounded_lines(f, self.source) if line is None or line.strip())

    # -- JSONL ----------------------------------------------------------------------------------

    def _records(self) -> Iterator[Record]:
        if self.kind == "folder":
            yield from self._folder()
        elif self.kind == "csv":
            yield from self._csv()
        elif self.source == "-":
            yield from self._jsonl(sys.stdin.buffer)
        else:
            with open(self.source, "rb") as f:
                yield from self._jsonl(f)

    def _jsonl(self, stream: BinaryIO) -> Iterator[Record]:
        for number, line in enumerate(_bounded_lines(stream, self.source), start=1):
            if line is None:
                yield RecordError(
                    f"line:{number}",
                    f"line is too long (over {MAX_RECORD_BYTES:,} bytes)",
                    line=number,
                )
                continue
            if not line.strip():
                continue  # blank lines are not records
            key = f"line:{number}"
            try:
                text = line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raw = line.decode("utf-8", errors="replace")
                yield RecordError(
                    key, f"line is not valid UTF-8 ({exc.reason})", None, number, _cut(raw)
                )
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                yield RecordError(
                    key, f"malformed JSON: {exc.msg}", None, number, _cut(text.rstrip("\n"))
                )
                continue
            except RecursionError:
                reason = "malformed JSON: nested too deeply"
                yield RecordError(key, reason, None, number, _cut(text.rstrip("\n")))
                continue
            except ValueError as exc:  # e.g. an integer of more than 4,300 digits
                yield RecordError(
                    key, f"malformed JSON: {exc}", None, number, _cut(text.rstrip("\n"))
                )
                continue
            if not isinstance(data, dict):
                yield RecordError(key, "not a JSON object", None, number, _cut(text.rstrip("\n")))
                continue
            yield self._from_fields(data, number, text.rstrip("\n"))

    def _from_fields(self, data: dict[str, Any], number: int, raw: str) -> Record:
        key = f"line:{number}"
        raw_id = data.get(self.id_field)
        if raw_id is None or isinstance(raw_id, (dict, list, bool)) or str(raw_id).strip() == "":
            what = "missing" if raw_id is None else "unusable"
            return RecordError(key, f"{what} id field {self.id_field!r}", None, number, _cut(raw))
        ident = str(raw_id).strip()
        if _has_any_surrogate(ident):
            return RecordError(
                key, f"id field {self.id_field!r} is not valid Unicode", None, number, _cut(raw)
            )
        for field in self.text_fields:
            if field in data and data[field] is not None:
                value = data[field]
                break
        else:
            fields = " or ".join(repr(f) for f in self.text_fields)
            return RecordError(ident, f"missing text field {fields}", ident, number)
        if not isinstance(value, str):
            return RecordError(
                ident, f"text field is not a string ({type(value).__name__})", ident, number
            )
        if not value.strip():
            return RecordError(ident, "empty text", ident, number)
        return Item(key=ident, id=ident, text=value, line=number)

    # -- CSV ------------------------------------------------------------------------------------

    def _open_text(self) -> io.TextIOWrapper:
        # surrogateescape: one bad byte spoils one row, not the whole file.
        return open(self.source, encoding="utf-8-sig", errors="surrogateescape", newline="")

    def _dialect(self) -> type[csv.Dialect] | str:
        return "excel-tab" if self.source.lower().endswith(".tsv") else "excel"

    def _check_csv_header(self) -> None:
        csv.field_size_limit(MAX_RECORD_BYTES)
        try:
            with self._open_text() as f:
                header = next(csv.reader(f, self._dialect(), strict=True), None)
        except (OSError, csv.Error) as exc:
            raise InputError(f"cannot read CSV {self.source}: {exc}") from None
        if not header:
            raise InputError(f"CSV {self.source} is empty: it needs a header row")
        if self.id_field not in header:
            raise InputError(f"CSV has no {self.id_field!r} column (columns: {', '.join(header)})")
        if not any(f in header for f in self.text_fields):
            wanted = " or ".join(repr(f) for f in self.text_fields)
            raise InputError(f"CSV has no {wanted} column (columns: {', '.join(header)})")

    def _csv(self) -> Iterator[Record]:
        with self._open_text() as f:
            reader = csv.reader(f, self._dialect(), strict=True)
            header = next(reader)
            start = reader.line_num + 1
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    reason = f"malformed CSV: {exc}"
                    if str(exc) == "unexpected end of data":  # strict: a quote never closed
                        reason = (
                            f"malformed CSV: a quote opened at line {start} is never closed "
                            f"(lines {start}-{reader.line_num} were read as one field)"
                        )
                    yield RecordError(f"line:{start}", reason, line=start)
                    start = reader.line_num + 1
                    continue
                number, start = start, reader.line_num + 1
                if not row or not any(cell.strip() for cell in row):
                    continue
                raw = _cut(
                    ",".join(row).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                )
                if len(row) != len(header):
                    yield RecordError(
                        f"line:{number}",
                        f"row has {len(row)} fields, header has {len(header)}",
                        line=number,
                        raw=raw,
                    )
                    continue
                if any(_has_surrogates(cell) for cell in row):
                    yield RecordError(
                        f"line:{number}", "row is not valid UTF-8", line=number, raw=raw
                    )
                    continue
                yield self._from_fields(dict(zip(header, row, strict=True)), number, raw)

    # -- folder ---------------------------------------------------------------------------------

    def _folder_files(self) -> Iterator[tuple[Path, str | None]]:
        """Every entry under the folder as ``(path, problem)``, in a stable order.

        Hidden names are skipped, as are folders (walked into, never through a link). A
        symbolic link is followed only to a regular file inside the folder; a link out of
        it, a broken one, a loop, a link to a folder, and anything that is not a regular file
        (a FIFO, a socket, a device) come back with the ``problem`` that puts it in ERRORS."""
        root = Path(self.source).resolve()
        found: list[Path] = []
        for top, dirs, files in os.walk(root, followlinks=False):
            here = Path(top)
            links = [d for d in dirs if (here / d).is_symlink()]  # reported, never walked
            dirs[:] = [d for d in dirs if not d.startswith(".") and d not in links]
            found.extend(here / name for name in files + links if not name.startswith("."))
        for path in sorted(found):
            yield path, _problem(path, root)

    def _folder(self) -> Iterator[Record]:
        root = Path(self.source).resolve()
        for path, problem in self._folder_files():
            rel = path.relative_to(root).as_posix()
            ident = rel[: -len(path.suffix)] if path.suffix else rel
            if problem is not None:
                yield RecordError(rel, problem, ident)
                continue
            fmt = FOLDER_SUFFIXES.get(path.suffix.lower())
            if fmt is None:
                yield RecordError(rel, f"unsupported file type {path.suffix or '(none)'!r}", rel)
                continue
            try:
                data = _read_regular(path.resolve(), MAX_RECORD_BYTES)
            except _TooLarge as exc:
                yield RecordError(rel, f"file is too large ({exc.size:,} bytes)", ident)
                continue
            except OSError as exc:
                yield RecordError(rel, f"cannot read file: {exc.strerror or exc}", ident)
                continue
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                yield RecordError(
                    rel, f"file is not valid UTF-8 (byte {exc.start}); convert it to UTF-8", ident
                )
                continue
            if not text.strip():
                yield RecordError(rel, "empty file", ident)
                continue
            yield Item(key=ident, id=ident, text=text, input_format=fmt, where=rel)


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        self.size = size


def _problem(path: Path, root: Path) -> str | None:
    """Why ``path`` (inside ``root``) is not a regular file we may read, or None."""
    try:
        mode = path.lstat().st_mode
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    if stat.S_ISLNK(mode):
        try:
            target = path.resolve(strict=True)
        except RuntimeError:  # Python 3.11 raises this for a loop
            return "symbolic link loop: not followed"
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "symbolic link loop: not followed"
            return "broken symbolic link"
        if not target.is_relative_to(root):
            return "symbolic link to outside the folder: not followed"
        if target.is_dir():
            return "symbolic link to a folder: not followed"
        mode = target.stat().st_mode
    if stat.S_ISREG(mode):
        return None
    kinds = {stat.S_ISFIFO: "a FIFO", stat.S_ISSOCK: "a socket", stat.S_ISCHR: "a device"}
    kind = next((name for test, name in kinds.items() if test(mode)), "a device")
    return f"not a regular file ({kind})"


def _read_regular(path: Path, limit: int) -> bytes:
    """Read at most ``limit`` bytes of a regular file; never blocks on a FIFO swapped in."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        if info.st_size > limit:
            raise _TooLarge(info.st_size)
        data = f.read(limit + 1)
    if len(data) > limit:
        raise _TooLarge(len(data))
    return data


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def _has_any_surrogate(text: str) -> bool:
    return not text.isascii() and any("\ud800" <= ch <= "\udfff" for ch in text)


def _bounded_lines(stream: BinaryIO, source: str) -> Iterator[bytes | None]:
    """The lines of ``stream``, each read with at most ``MAX_RECORD_BYTES + 1`` bytes in memory.

    A line over the limit comes out as ``None`` (one record error); the rest of it is skipped
    in bounded chunks. On standard input the rest may never end (``/dev/zero``), so there an
    over-long line stops the run with an InputError instead of reading on."""
    while True:
        line = stream.readline(MAX_RECORD_BYTES + 1)
        if not line:
            return
        if len(line) <= MAX_RECORD_BYTES:
            yield line
            continue
        if source == "-" and not line.endswith(b"\n"):
            raise InputError(
                f"standard input has a line longer than {MAX_RECORD_BYTES:,} bytes; "
                "stopped reading (split the input or pass it as a file)"
            )
        yield None
        while line and not line.endswith(b"\n"):
            line = stream.readline(1 << 20)


def _where(record: Record) -> str:
    if record.line is not None:
        return f"line {record.line}"
    return record.where if isinstance(record, Item) else record.key
