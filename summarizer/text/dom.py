"""What a reader never sees as the article, removed from the parsed page before extraction.

Browsers do not show hidden elements (``hidden``, ``display:none``, ``aria-hidden``), print-only
headers, screen-reader-only text, hover cards and tooltips, and a consent or cookie overlay is
not the article. These are recognised by markup conventions (attributes and class names), which
do not depend on the page's language. Captions and credits in ``<figure>``/``<figcaption>`` and
caption-classed elements are taken out too: they describe a picture, not the news.
"""

from __future__ import annotations

import re

from lxml import etree

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# One class or id token that marks content which is not the article (print-only headers,
# screen-reader text, hover cards, consent overlays, captions and credits). Responsive
# "hidden-xs" and "no-print" are seen on screen, so they do not match.
_UNSEEN_TOKEN = re.compile(
    r"(?:print[-_].*|.*[-_]print[-_]?only|visible[-_]print.*"
    r"|sr[-_]only|visually[-_]?hidden|screen[-_]?reader.*|hidden|is[-_]hidden|hide|invisible"
    r"|.*tool[-_]?tip.*|.*popover.*|.*hover[-_]?card.*|.*rollover.*"
    r"|.*cookie.*|.*consent.*|.*gdpr.*|.*caption.*|.*credit.*)",
    re.IGNORECASE,
)
_ALWAYS = {"figcaption", "template", "noscript", "dialog"}
# Elements that hold the whole page: never removed, whatever their classes say.
_KEEP = {"html", "body", "main", "article"}


def drop_unseen(tree: etree._Element) -> None:
    """Remove, in place, the elements a reader does not see as part of the article."""
    doomed = []
    for element in tree.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag in _KEEP:
            continue
        if tag in _ALWAYS or _unseen(element):
            doomed.append(element)
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
    attrib = element.attrib
    if "hidden" in attrib or attrib.get("aria-hidden", "").lower() == "true":
        return True
    if _HIDDEN_STYLE.search(attrib.get("style", "")):
        return True
    names = f"{attrib.get('class', '')} {attrib.get('id', '')}"
    return any(_UNSEEN_TOKEN.fullmatch(token) for token in names.split())


def _append_text(parent: etree._Element, previous: etree._Element | None, text: str) -> None:
    """Keep the text that followed a removed element (its tail) in the document."""
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
