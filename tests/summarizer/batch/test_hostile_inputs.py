"""Folders and CSV files that try to smuggle in, hide or swallow records."""

from __future__ import annotations

import os

import pytest

from summarizer.batch.readers.reader import Reader
from summarizer.batch.readers.records import Item, RecordError


def _records(source) -> dict[str, Item | RecordError]:
    reader = Reader(str(source))
    records = {r.key: r for r in reader}
    assert reader.count() == len(records)  # the progress bar counts what is read
    return records


@pytest.mark.hostile("batch", "Links out of a folder, loops, broken links and FIFOs go to ERRORS.")
def test_folder_links_loops_and_fifos_end_in_errors_never_followed_out(tmp_path, articles):
    outside = tmp_path / "secret.txt"
    outside.write_text("Private words that must not be summarized. " * 5)
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(articles[0])
    (root / "sub" / "b.txt").write_text(articles[1])
    (root / "inside.txt").symlink_to(root / "a.txt")  # a link inside the folder: read
    (root / "escape.txt").symlink_to(outside)
    (root / "broken.txt").symlink_to(root / "nothing.txt")
    (root / "loop.txt").symlink_to(root / "loop.txt")
    (root / "up").symlink_to(tmp_path, target_is_directory=True)  # would walk out and loop
    (root / "again").symlink_to(root, target_is_directory=True)
    os.mkfifo(root / "pipe.txt")  # reading it would block forever
    records = _records(root)
    items = {k for k, r in records.items() if isinstance(r, Item)}
    reasons = {k: r.reason for k, r in records.items() if isinstance(r, RecordError)}
    assert items == {"a", "sub/b", "inside"}
    assert reasons == {
        "escape.txt": "symbolic link to outside the folder: not followed",
        "broken.txt": "broken symbolic link",
        "loop.txt": "symbolic link loop: not followed",
        "up": "symbolic link to outside the folder: not followed",
        "again": "symbolic link to a folder: not followed",
        "pipe.txt": "not a regular file (a FIFO)",
    }
    assert all("Private words" not in str(r) for r in records.values())


@pytest.mark.hostile("batch", "A CSV quote never closed is one error naming the lines it took.")
def test_an_unterminated_csv_quote_is_an_error_not_a_swallowed_backlog(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        'id,text\n1,First article text.\n2,"Quote never closed, text\n3,Third.\n4,Fourth.\n'
    )
    records = list(Reader(str(source)))
    assert [r.key for r in records] == ["1", "line:3"]
    assert records[1].reason == (
        "malformed CSV: a quote opened at line 3 is never closed (lines 3-5 were read as one field)"
    )


def test_a_stray_quote_inside_a_csv_field_is_an_error_not_a_mangled_text(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text('id,text\n1,"Quoted" and more words.\n2,Fine text.\n')
    records = list(Reader(str(source)))
    assert [r.key for r in records] == ["line:2", "2"]
    assert "malformed CSV" in records[0].reason
