"""The page's tree is the one trafilatura's own loader would build, element for element."""

from __future__ import annotations

import gzip
import json

import lxml.html
import pytest
from lxml import etree
from trafilatura.utils import load_html

from summarizer.text.htmltree import parse_page
from tests.conftest import SHARED_EVAL

PAGES = [
    "<!doctype html><html><head><title>T</title></head><body><p>One.</p><p>Two</p></body></html>",
    # an XML declaration with an encoding: lxml refuses it in a str, so the bytes are parsed
    '<?xml version="1.0" encoding="utf-8"?><html><body><p>Declared.</p></body></html>',
    # control characters (removed), a doctype with a slash, a self-closing <html/>
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN">\n<html><body><p>a\x0bb\x1fc</p></body>',
    "<html/>\n<body><p>After a self-closing html tag.</p></body>",
    "<html><body><form><input name=q><label>L</label><select><option>o</select></form></body>",
    "<html><body><div>{fragment}</div></body></html>",
    "<html><body></body></html>",
    # not taken for HTML: no "html" in the first characters and a single element
    "<p>just a paragraph</p>",
    "plain words, no markup at all",
]


def _same_tree(html: str) -> None:
    expected, got = load_html(html), parse_page(html)
    if expected is None:
        assert got is None
        return
    assert got is not None
    assert etree.tostring(got, encoding="unicode") == etree.tostring(expected, encoding="unicode")
    assert all(isinstance(element, lxml.html.HtmlElement) for element in got.iter(etree.Element))


@pytest.mark.parametrize("html", PAGES)
def test_the_tree_is_the_one_trafilatura_builds(html):
    _same_tree(html)


@pytest.mark.skipif(not (SHARED_EVAL / "web" / "dev.jsonl.gz").exists(), reason="no dev pages")
def test_real_pages_give_the_same_tree():
    with gzip.open(SHARED_EVAL / "web" / "dev.jsonl.gz", "rt", encoding="utf-8") as f:
        pages = [json.loads(line)["html"] for _, line in zip(range(20), f, strict=False)]
    for html in pages:
        _same_tree(html)
