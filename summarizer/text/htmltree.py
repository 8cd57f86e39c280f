"""An HTML page parsed into the lxml tree that trafilatura reads.

trafilatura's loader (``trafilatura.utils.load_html``) parses with ``lxml.html``'s parser, whose
element classes are chosen by a Python method (``HtmlElementClassLookup.lookup``) each time lxml
hands an element to Python: about 2,000 calls a page during extraction, a few percent of the
time it takes to prepare one. ``parse_page`` follows the loader's steps for a string (repair,
parse, the bytes fallback, the same rejections) with the same parser settings, but lets lxml pick
the classes in C: every element is an ``HtmlElement``, as trafilatura requires; only the form
classes (``FormElement``, ``InputElement``...), which nothing downstream uses, are not used.
"""

from __future__ import annotations

import lxml.html
from lxml import etree
from trafilatura.utils import is_dubious_html, repair_faulty_html

# trafilatura's HTML_PARSER settings (trafilatura/utils.py), with a lookup that runs in C.
_PARSER = lxml.html.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)


def parse_page(html: str) -> lxml.html.HtmlElement | None:
    """The page's tree, or None where trafilatura's loader gives none (a string it does not take
    for HTML, or one lxml cannot parse)."""
    beginning = html[:50].lower()
    dubious = is_dubious_html(beginning)
    html = repair_faulty_html(html, beginning)
    tree = None
    from_bytes = False
    try:
        tree = lxml.html.fromstring(html, parser=_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree, from_bytes = _parse_bytes(html), True
    except (etree.LxmlError, TypeError):
        tree = None
    if (tree is None or len(tree) < 1) and not from_bytes:
        tree = _parse_bytes(html)
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree


def _parse_bytes(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.fromstring(html.encode("utf8", "surrogatepass"), parser=_PARSER)
    except (etree.LxmlError, ValueError, TypeError):
        return None
