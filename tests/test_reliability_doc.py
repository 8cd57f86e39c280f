"""docs/reliability.md is generated from the hostile-marked tests and must match them."""

from __future__ import annotations

import pytest

from tests.reliability import COMMAND, DOC, Guarantee, guarantee_of, render
from tests.subprocesses import run_python


@pytest.mark.slow
def test_reliability_doc_matches_the_tests(tmp_path):
    out = tmp_path / "reliability.md"
    run = run_python(
        *("-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"),
        f"--reliability-doc={out}",
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert DOC.exists(), f"no {DOC}: run {COMMAND}"
    assert out.read_text(encoding="utf-8") == DOC.read_text(encoding="utf-8"), (
        f"docs/reliability.md is stale: run {COMMAND}"
    )
    assert "tests/api/test_hostile_html.py::test_attribute_flood" in out.read_text()


def test_render_groups_by_surface_and_folds_parameters():
    page = render(
        [
            Guarantee("http", "tests/a.py::test_x", "A bad body gets 400."),
            Guarantee("http", "tests/a.py::test_x", "A bad body gets 400."),
            Guarantee("cli", "tests/b.py::test_y", "A | pipe is escaped."),
        ]
    )
    assert page.index("## HTTP service") < page.index("## Command line")
    assert "| A bad body gets 400. | `tests/a.py::test_x` (2 cases) |" in page
    assert "| A \\| pipe is escaped. | `tests/b.py::test_y` |" in page
    assert "## Batch runs" not in page
    assert "2 tests, 3 cases." in page


class _Item:
    nodeid = "tests/c.py::test_z[1]"

    def __init__(self, mark):
        self.mark = mark

    def get_closest_marker(self, name):
        return self.mark if name == "hostile" else None


def test_a_malformed_hostile_mark_stops_collection():
    good = _Item(pytest.mark.hostile("cache", "  A  broken file is moved aside. ").mark)
    assert guarantee_of(good) == Guarantee(
        "cache", "tests/c.py::test_z", "A broken file is moved aside."
    )
    for mark in (
        pytest.mark.hostile("network", "x").mark,
        pytest.mark.hostile("http").mark,
        pytest.mark.hostile("http", "").mark,
    ):
        with pytest.raises(pytest.UsageError):
            guarantee_of(_Item(mark))
