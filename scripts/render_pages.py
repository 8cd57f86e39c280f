"""Render web evaluation pages in headless Chromium and record what a site would send.

For each page, Chromium loads the page's stored HTML at the page's own address, with every other
request (scripts, styles, images, fonts, frames) blocked, so nothing reaches the network; inline
scripts run. It records the ``innerText`` of the element a site integrating the widget would
name as its article, by the widget's own rule when a site names none (``--rule site``: the
function ``articleElement`` in api/static/widget.js, evaluated here as it is written there): the
element the page marks as its article body (``[itemprop=articleBody]``), else the ``<article>``
that holds the page's ``<h1>`` (not a teaser card or a comment), else ``<main>``, else
``<body>``. ``--rule first-article`` records the widget's default selector instead: the first
``<article>``, or ``<body>`` when the page has none. The output (JSONL of ``{id, element,
text}``) is what ``summarizer eval --rendered`` sends as ``text`` requests, to compare a page's
HTML with its rendered text.

    python scripts/render_pages.py                               # dev pages -> artifacts/
    python scripts/render_pages.py --limit 10 --out /tmp/rendered.jsonl

Needs playwright and a Chromium (``/usr/bin/chromium``, or ``--chromium``).
"""

from __future__ import annotations

import argparse
import json
import re
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
WIDGET = ROOT / "api" / "static" / "widget.js"
# Which element's text is recorded: the first candidate (see CANDIDATES) with visible text.
RULES = {
    # The widget's old default data-article-selector ("article"), the whole body without one.
    "first-article": ("article", "body"),
    # The widget's rule (articleElement in widget.js): the element a page marks as its article
    # body (schema.org), else the article element that holds the page's headline, else the
    # page's main part, else the body. Its names are the rules articleElement reports.
    "site": ("[itemprop=articleBody]", "article with the h1", "main", "body"),
}
MAX_CHARS = 200_000  # the widget's maxChars


def widget_rule(widget: Path = WIDGET) -> str:
    """The source of the widget's ``articleElement`` function, between its begin/end markers."""
    found = re.search(
        r"// article-element: begin[^\n]*\n(.*?)// article-element: end",
        widget.read_text(encoding="utf-8"),
        re.S,
    )
    if not found or "function articleElement(" not in found.group(1):
        raise SystemExit(f"{widget}: no articleElement function between its markers")
    return found.group(1)


# The visible text of every element a site could name as its article (data-article-selector),
# and the one the widget's own rule chooses ("widget rule").
CANDIDATES = (
    """() => {
"""
    + widget_rule()
    + """
  const text = (node) => (node ? node.innerText : null);
  const articles = [...document.querySelectorAll("article")];
  const sizes = articles.map((a) => a.innerText.trim().length);
  const largest = sizes.length ? articles[sizes.indexOf(Math.max(...sizes))] : null;
  const h1 = document.querySelector("h1");
  return {
    "[itemprop=articleBody]": text(document.querySelector('[itemprop="articleBody"]')),
    "article with the h1": text(h1 ? h1.closest("article") : null),
    "largest article": text(largest),
    "article": text(articles[0] || null),
    "main": text(document.querySelector('main, [role="main"]')),
    "body": text(document.body),
    "widget rule": articleElement(document).rule,
  };
}"""
)


def choose(candidates: dict[str, str | None], rule: str) -> tuple[str, str]:
    """The (element, text) that ``rule`` records from a page's candidate texts."""
    if rule == "site":
        element = candidates["widget rule"] or "body"
        return element, (candidates.get(element) or "").strip()[:MAX_CHARS]
    for element in RULES[rule]:
        text = (candidates.get(element) or "").strip()
        if text:
            return element, text[:MAX_CHARS]
    return RULES[rule][-1], ""


def _candidates(tab, url: str, error: type[Exception]) -> dict[str, str | None]:
    """The page's candidate texts, loading it once more when one of its scripts navigated away
    while it loaded or while they were read (a page may send itself elsewhere at once)."""
    try:
        tab.goto(url, wait_until="domcontentloaded")
        return tab.evaluate(CANDIDATES)
    except error as exc:
        if "navigation" not in str(exc):
            raise
    tab.goto(url, wait_until="domcontentloaded")
    return tab.evaluate(CANDIDATES)


def render(
    pages: list[WebPage], chromium: str, timeout_s: float, rule: str, keep_candidates: bool
) -> list[dict]:
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
                    candidates = _candidates(tab, page.url, PlaywrightError)
                    element, text = choose(candidates, rule)
                    row: dict = {"id": page.id, "element": element, "text": text}
                    if keep_candidates:
                        row["candidates"] = {
                            k: v.strip()[:MAX_CHARS]
                            for k, v in candidates.items()
                            if v and k != "widget rule"
                        }
                    rows.append(row)
                    status = element
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
    parser.add_argument(
        "--rule", choices=sorted(RULES), default="site", help="which element's text to record"
    )
    parser.add_argument(
        "--candidates", action="store_true", help="also record every candidate element's text"
    )
    args = parser.parse_args(argv)
    if not Path(args.chromium).exists():
        parser.error(f"no Chromium at {args.chromium} (give --chromium)")
    if not 1 <= args.timeout <= 120:
        parser.error("--timeout must be between 1 and 120 seconds")
    try:
        pages = load_pages(args.pages, limit=args.limit)
    except InputError as exc:
        parser.error(str(exc))
    rows = render(pages, args.chromium, args.timeout, args.rule, args.candidates)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    elements = {e: sum(r["element"] == e for r in rows) for e in {r["element"] for r in rows}}
    print(f"{len(rows)} of {len(pages)} pages rendered to {args.out}: {elements}")
    return 0 if len(rows) == len(pages) else 1


if __name__ == "__main__":
    raise SystemExit(main())
