"""docs/reliability.md, written from the tests marked ``@pytest.mark.hostile(surface, guarantee)``.

Regenerate (collects the suite, runs nothing)::

    python -m pytest --collect-only -q --reliability-doc=docs/reliability.md

tests/test_reliability_doc.py fails when the file and the tests disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

SURFACES = {
    "http": "HTTP service",
    "batch": "Batch runs",
    "library": "Library",
    "cli": "Command line",
    "cache": "Summary cache",
    "eval": "Evaluation",
}
COMMAND = "python -m pytest --collect-only -q --reliability-doc=docs/reliability.md"
DOC = Path(__file__).resolve().parent.parent / "docs" / "reliability.md"


@dataclass(frozen=True, order=True)
class Guarantee:
    surface: str
    test: str  # node id without the parameters
    guarantee: str


def guarantee_of(item: pytest.Item) -> Guarantee | None:
    """The item's hostile mark as a Guarantee; a UsageError when the mark is malformed."""
    mark = item.get_closest_marker("hostile")
    if mark is None:
        return None
    args = list(mark.args) + [mark.kwargs[k] for k in ("surface", "guarantee") if k in mark.kwargs]
    if len(args) != 2 or not all(isinstance(a, str) and a.strip() for a in args):
        raise pytest.UsageError(f"{item.nodeid}: use @pytest.mark.hostile(surface, guarantee)")
    surface, text = args
    if surface not in SURFACES:
        raise pytest.UsageError(
            f"{item.nodeid}: hostile surface {surface!r} is not one of {', '.join(SURFACES)}"
        )
    return Guarantee(surface, item.nodeid.split("[", 1)[0], " ".join(text.split()))


def render(guarantees: Iterable[Guarantee]) -> str:
    """The markdown page: one section per surface, one row per test (parameters folded)."""
    cases: dict[Guarantee, int] = {}
    for g in guarantees:
        cases[g] = cases.get(g, 0) + 1
    lines = [
        "# Reliability: hostile input and faults",
        "",
        f"<!-- Generated from the tests; do not edit. Regenerate: {COMMAND} -->",
        "",
        "Every row is a test in this repository that feeds the system a hostile input or a "
        "fault and checks what a user sees. The guarantee is the test's own "
        '`@pytest.mark.hostile("<surface>", "<guarantee>")` mark; the test name is its pytest '
        "node id (run it with `python -m pytest '<node id>'`).",
        "",
        f"{len(cases)} tests, {sum(cases.values())} cases.",
    ]
    for surface, title in SURFACES.items():
        rows = sorted(g for g in cases if g.surface == surface)
        if not rows:
            continue
        lines += ["", f"## {title} (`{surface}`)", "", "| Guarantee | Test |", "| --- | --- |"]
        for g in rows:
            n = cases[g]
            suffix = f" ({n} cases)" if n > 1 else ""
            text = g.guarantee.replace("|", "\\|")
            lines.append(f"| {text} | `{g.test}`{suffix} |")
    return "\n".join(lines) + "\n"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--reliability-doc",
        metavar="PATH",
        default=None,
        help="write the reliability page (docs/reliability.md) from the collected hostile tests",
    )


def pytest_collection_modifyitems(session: pytest.Session, config, items) -> None:
    guarantees = [g for g in map(guarantee_of, items) if g is not None]
    out = config.getoption("--reliability-doc")
    if out:
        Path(out).write_text(render(guarantees) + complexity_section(), encoding="utf-8")


# Where the complexity table starts: written by its own command (python -m benchmarks.complexity),
# kept as it is when the rest of the page is written from the tests.
COMPLEXITY_MARK = "<!-- complexity table: python -m benchmarks.complexity -->"


def complexity_section() -> str:
    """The page's complexity table as it stands (empty before it is first written)."""
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    at = doc.find(COMPLEXITY_MARK)
    return "" if at < 0 else "\n" + doc[at:]
