"""The linear HTML pre-pass: caps attributes, nesting and tags; leaves ordinary pages alone."""

from __future__ import annotations

import gzip
import json
import random
import time

import pytest

from summarizer.text.sanitize import SanitizeReport, sanitize_html
from tests.conftest import SHARED_EVAL

PAGE = (
    "<!doctype html><html><head><title>A <b>title</b></title>"
    "<script>if (a < b && c > d) { x = '<p a=1 b=2>'; }</script>"
    "<style>p > a { color: red }</style></head>"
    "<body><!-- a <div> comment --><article class=\"story\" data-x='1>2'>"
    '<p>First paragraph.<p>Second <br/> one <img src=x.png alt="a > b">.</p>'
    "<ul><li>one<li>two</ul></article></body></html>"
)


def test_an_ordinary_page_comes_out_unchanged():
    report = SanitizeReport()
    assert sanitize_html(PAGE, report=report) == PAGE
    assert not report.changed


@pytest.mark.skipif(not (SHARED_EVAL / "web" / "dev.jsonl.gz").exists(), reason="no dev pages")
def test_real_pages_come_out_unchanged():
    with gzip.open(SHARED_EVAL / "web" / "dev.jsonl.gz", "rt", encoding="utf-8") as f:
        pages = [json.loads(line)["html"] for _, line in zip(range(40), f, strict=False)]
    for html in pages:
        assert sanitize_html(html) == html


@pytest.mark.hostile(
    "library",
    "A tag with 200,000 attributes is cut to 64 in linear time; the text around it is kept.",
)
def test_excess_attributes_are_dropped_in_linear_time():
    attrs = " ".join(f"a{i}=x" for i in range(200_000))
    html = f"<div><p {attrs} />Words here.</p></div>"
    report = SanitizeReport()
    start = time.perf_counter()
    out = sanitize_html(html, report=report)
    assert time.perf_counter() - start < 1.0
    assert out == "<div><p " + " ".join(f"a{i}=x" for i in range(64)) + "/>Words here.</p></div>"
    assert report.attributes_dropped == 200_000 - 64


@pytest.mark.hostile(
    "library",
    "Unterminated tags, quotes, comments or scripts by the thousand are checked in linear time.",
)
@pytest.mark.parametrize(
    "piece", ["<a ", "</a ", "<a b='", '<p x="', "<!--", "<script>", "<!x", "<br/ <i "]
)
def test_the_quick_check_is_linear_on_unterminated_markup(piece):
    html = piece * 100_000
    start = time.perf_counter()
    sanitize_html(html, max_tags=1_000_000)  # no report: the quick check runs first
    assert time.perf_counter() - start < 2.0


def test_quoted_values_may_hold_markup_characters():
    html = "<p title=\"a > b\" data-y='<i>' " + " ".join(f"k{i}" for i in range(100)) + ">T</p>"
    out = sanitize_html(html, max_attributes=2)
    assert out == "<p title=\"a > b\" data-y='<i>'>T</p>"


@pytest.mark.hostile(
    "library",
    "Markup nested 300,000 levels deep reaches the parser at most 512 levels deep, text kept.",
)
def test_nesting_beyond_the_cap_is_flattened():
    html = "<div>" * 300_000 + "Deep words." + "</div>" * 300_000
    report = SanitizeReport()
    out = sanitize_html(html, report=report, max_tags=1_000_000)
    assert out == "<div>" * 512 + "Deep words." + "</div>" * 512
    assert report.deep_tags_dropped == 2 * (300_000 - 512)


def test_optional_end_tags_and_void_elements_do_not_count_as_nesting():
    html = "<div>" + "<p>para<br><li>item<img src=x>" * 2000 + "</div><div>after</div>"
    assert sanitize_html(html, max_depth=4) == html


def test_tags_beyond_the_cap_are_dropped_with_their_raw_content_text_kept():
    html = "<p>a</p><b>bold</b><script>var x = 1;</script><i>tail</i>"
    assert sanitize_html(html, max_tags=2) == "<p>a</p>boldtail"


def test_unterminated_tag_and_stray_brackets():
    assert sanitize_html("a < b and </ c <p x=1") == "a < b and </ c <p x=1"
    assert sanitize_html("<p " + "a " * 10, max_attributes=3) == "<p a a a>"


def test_the_quick_check_skips_the_scan_only_for_markup_the_scan_leaves_unchanged():
    """``sanitize_html`` without a report returns a page unscanned when a cheaper pass finds it
    within the caps; on random markup-like strings, at small caps so that each cap is reached
    often, it must return exactly what the full scan (forced by passing a report) returns."""
    pieces = [
        "<", ">", "/", "!", "<!--", "-->", '"', "'", "=", " ", "\n", "a", "div", "p", "br",
        "<script>", "</script>", "</SCRIPT >", "<style>", "<div", "</div", "<p", "<br/>", "<?",
        "<img", " x=1", " y='>'", "<title>", "</", "< ", "K", "ſ",
        # names the quick check must classify as the scan does (str.lower()): optional end
        # tags and void elements in any case, raw-text elements, look-alike letters
        "<li", "</LI>", "<Td", "</td", "<LINK", "<lin\u212a", "</lin\u212a>", "ı", "İ",
        "<noscript>", "</noscript>", "<ſcript>", "</ſcript>", "</scrıpt>", "<xmp>", "</XMP>",
        "<textarea", "<iframe/>", "<scripts>", "<titles ", "<col", "<colgroup>", "<pre>", "</pre>",
    ]  # fmt: skip
    rng = random.Random(15)
    reached = 0
    for _ in range(20_000):
        html = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        caps = {"max_attributes": rng.randint(0, 2), "max_depth": rng.randint(0, 3)}
        report = SanitizeReport()
        scanned = sanitize_html(html, report=report, **caps)
        reached += report.changed
        assert sanitize_html(html, **caps) == scanned, (html, caps)
    assert reached > 2_000  # the caps were reached often enough for the check to matter
