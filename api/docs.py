"""Regenerate the settings table in docs/deployment.md: ``python -m api.docs``.

tests/api/test_settings.py fails when the table and the Settings class disagree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from api.settings import settings_table

DOC = Path(__file__).resolve().parent.parent / "docs" / "deployment.md"
BLOCK = re.compile(r"(<!-- settings:start -->\n)(?:.*?\n)?(<!-- settings:end -->)", re.DOTALL)


def render(text: str) -> str:
    if not BLOCK.search(text):
        raise SystemExit(f"{DOC}: no <!-- settings:start --> ... <!-- settings:end --> block")
    return BLOCK.sub(lambda m: m.group(1) + settings_table() + "\n" + m.group(2), text)


def main() -> int:
    DOC.write_text(render(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated the settings table in {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
