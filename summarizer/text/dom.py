"""What a reader never sees as the article, removed from the parsed page before extraction.

Browsers do not show hidden elements (``hidden``, ``display:none``, ``aria-hidden``), print-only
headers, screen-reader-only text, hover cards and tooltips, and a consent or cookie overlay is
not the article. These are recognised by markup conventions (attributes and class names), which
do not depend on the page's language. Captions and credits in ``<figure>``/``<figcaption>`` and
caption-classed elements are taken out too: they describe a picture, not the news.
"""

from __future__ import annotations

import functools
import re

from lxml import etree

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# One class or id token that marks content which is not the article (print-only headers,
# screen-reader text, the pop-up part of hover cards, consent overlays, captions, credits).
# Responsive "hidden-xs" and "no-print" are seen on screen, so they do not match.
_UNSEEN_TOKEN = re.compile(
    r"(?:^|\s)(?:print[-_]\S*|\S*[-_]print[-_]?only|visible[-_]print\S*"
    r"|sr[-_]only|visually[-_]?hidden|screen[-_]?reader\S*|hidden|is[-_]hidden|hide|invisible"
    r"|\S*tool[-_]?tip\S*|\S*popover\S*|\S*hover[-_]?card\S*"
    r"|\S*(?:rollover|hover)\S*[-_](?:block|card|content|panel|box|popup)"
    r"|\S*cookie\S*|\S*consent\S*|\S*gdpr\S*|\S*caption\S*|\S*credit\S*)(?=\s|$)",
    re.IGNORECASE,
)
# Words one of which every matching token holds: a cheap test before the full pattern, on the
# names lowercased (a case-insensitive pattern is several times slower on the hundreds of class
# names of a page). ``_FOLD`` first maps the other characters that Python's case-insensitive
# matching takes for these letters (dotted and dotless i, long s, the Kelvin sign).
_HINT = re.compile(
    r"print|sr[-_]|screen|hid|invisible|tip|popover|hover|rollover|cookie|consent|gdpr|caption|credit"
)
_FOLD = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "K": "k"})
_ALWAYS = ("figcaption", "template", "noscript", "dialog")
# Elements that hold the whole page: never removed, whatever their classes say.
_KEEP = {"html", "body", "main", "article"}
# Only elements that can be unseen by their attributes are looked at (lxml evaluates this in
# C; one pass, where a union with the tags above would walk the tree once for each).
_CANDIDATES = etree.XPath("//*[@class or @id or @style or @hidden or @aria-hidden]")


def drop_unseen(tree: etree._Element) -> None:
    """Remove, in place, the elements a reader does not see as part of the article.

    The order of removal does not change the result: a removed element's tail text goes to
    whatever precedes it when it goes."""
    doomed = [
        element for element in _CANDIDATES(tree) if element.tag not in _KEEP and _unseen(element)
    ]
    doomed.extend(tree.iter(_ALWAYS))
    for element in doomed:
        parent = element.getparent()
        if parent is None:
            continue
        tail, previous = element.tail, element.getprevious()
        parent.remove(element)
        if tail:
            _append_text(parent, previous, tail)


def is_login_form(tree: etree._Element) -> bool:
    """A page whose form asks for a password: a login or sign-up wall."""
    return bool(tree.xpath("//input[translate(@type, 'PASWORD', 'pasword')='password']"))


def _unseen(element: etree._Element) -> bool:
    get = element.get
    if get("hidden") is not None or (get("aria-hidden") or "").lower() == "true":
        return True
    style = get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    names, id_ = get("class") or "", get("id")
    if id_ is not None:
        names = f"{names} {id_}"
    if not names:
        return False
    # A page repeats its class names hundreds of times; short ones are looked up once.
    return _unseen_names(names) if len(names) <= _CACHED_NAMES else _names_say_unseen(names)


# Names up to this long are cached (a bounded cache of bounded keys, whatever the pages hold).
_CACHED_NAMES = 200


def _names_say_unseen(names: str) -> bool:
    """True when one of the class or id tokens marks content that is not the article."""
    folded = names.lower() if names.isascii() else names.translate(_FOLD).lower()
    return bool(_HINT.search(folded)) and _UNSEEN_TOKEN.search(names) is not None


_unseen_names = functools.lru_cache(maxsize=4096)(_names_say_unseen)


def _append_text(parent: etree._Element, previous: etree._Element | None, text: str) -> None:
    """Keep the text that followed a removed element (its tail) in the document."""
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


_META = etree.XPath("//meta[@content][@property or @name or @itemprop]")
_FIRST_H1 = etree.XPath("(//h1)[1]")
_TITLE = etree.XPath("(//title)[1]")
# Which meta tags give what, best first (Open Graph, then Twitter cards, then plain HTML).
_META_FIELDS = {
    "title": ("og:title", "twitter:title", "headline"),
    "description": ("og:description", "description", "twitter:description"),
    "author": ("author", "article:author", "byl"),
    "date": ("article:published_time", "datepublished", "date", "pubdate"),
}


def page_metadata(tree: etree._Element) -> dict[str, str]:
    """Headline, standfirst (description), author and date from the page's own markup: its meta
    tags (Open Graph, Twitter cards, plain HTML), else its first ``<h1>``, else ``<title>``.

    Cheaper than a full metadata extraction (no date search through the text)."""
    found: dict[str, str] = {}
    for element in _META(tree):
        key = element.get("property") or element.get("name") or element.get("itemprop") or ""
        found.setdefault(key.strip().lower(), " ".join(element.get("content", "").split()))
    result = {
        field: next((found[key] for key in keys if found.get(key)), "")
        for field, keys in _META_FIELDS.items()
    }
    if not result["title"]:
        for element in (*_FIRST_H1(tree), *_TITLE(tree)):
            text = " ".join(element.text_content().split())
            if text:
                result["title"] = text
                break
    return result
