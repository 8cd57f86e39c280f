"""Render web evaluation pages in headless Chromium and record what the widget would send.

For each page, Chromium loads the page's stored HTML at the page's own address, with every other
request (scripts, styles, images, fonts, frames) blocked, so nothing reaches the network; inline
scripts run. It records the ``innerText`` of the first ``<article>`` element (what the widget
sends by default, ``data-article-selector="article"``), or of ``<body>`` when the page has none.
The output (JSONL of ``{id, element, text}``) is what ``summarizer eval --rendered`` sends as
``text`` requests, to compare a page's HTML with its rendered text.

    python scripts/render_pages.py                               # dev pages -> artifacts/
    python scripts/render_pages.py --limit 10 --out /tmp/rendered.jsonl

Needs playwright and a Chromium (``/usr/bin/chromium``, or ``--chromium``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.errors import InputError  # noqa: E402
from summarizer.evaluation.web.pages import WebPage, load_pages  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "web" / "dev.jsonl.gz"
OUT = ROOT / "artifacts" / "rendered" / "dev.rendered.jsonl"
SELECTOR = "article"  # the widget's default data-article-selector
MAX_CHARS = 200_000  # the widget's maxChars
INNER_TEXT = """(selector) => {
  const element = document.querySelector(selector);
  const node = element || document.body;
  return {element: element ? selector : "body", text: node ? node.innerText : ""};
}"""


def render(pages: list[WebPage], chromium: str, timeout_s: float) -> list[dict[str, str]]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            headless=True,
            # No name resolves: a request the routes below do not fulfil can reach nothing.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND",
            ],
        )
        try:
            for page in pages:
                context = browser.new_context(
                    viewport={"width": 1280, "height": 1000}, service_workers="block"
                )
                context.set_default_timeout(timeout_s * 1000)
                tab = context.new_page()

                def route(route, request, page=page, tab=tab):
                    # Only the page itself is served, from the file; everything else is blocked.
                    if request.is_navigation_request() and request.frame == tab.main_frame:
                        route.fulfill(
                            status=200,
                            content_type="text/html; charset=utf-8",
                            body=page.html.encode("utf-8", "surrogatepass"),
                        )
                    else:
                        route.abort()

                context.route("**/*", route)
                began = time.perf_counter()
                try:
                    tab.goto(page.url, wait_until="domcontentloaded")
                    found = tab.evaluate(INNER_TEXT, SELECTOR)
                    text = (found["text"] or "").strip()[:MAX_CHARS]
                    rows.append({"id": page.id, "element": found["element"], "text": text})
                    status = found["element"]
                except PlaywrightError as exc:
                    status = f"not rendered ({str(exc).splitlines()[0]})"
                finally:
                    context.close()
                print(f"{page.id}: {time.perf_counter() - began:.1f} s, {status}", file=sys.stderr)
        finally:
            browser.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEV, help="web page file (gzip JSONL)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--out", type=Path, default=OUT, help="JSONL to write")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per page")
    args = parser.parse_args(argv)
    if not Path(args.chromium).exists():
        parser.error(f"no Chromium at {args.chromium} (give --chromium)")
    if not 1 <= args.timeout <= 120:
        parser.error("--timeout must be between 1 and 120 seconds")
    try:
        pages = load_pages(args.pages, limit=args.limit)
    except InputError as exc:
        parser.error(str(exc))
    rows = render(pages, args.chromium, args.timeout)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    elements = {e: sum(r["element"] == e for r in rows) for e in {r["element"] for r in rows}}
    print(f"{len(rows)} of {len(pages)} pages rendered to {args.out}: {elements}")
    return 0 if len(rows) == len(pages) else 1


if __name__ == "__main__":
    raise SystemExit(main())
