"""The widget on a real article page (tests/data/pages/, attribution in its README) in Chromium:
it sends the article element's HTML, and the summary shown is the article's own sentences."""

from __future__ import annotations

import json
import re

import pytest

from tests.real_pages import in_body, load_page, starts_with_title
from tests.web.test_widget import BUTTON, WIDGET, wait_state


def _send(page, allowed, service, path: str, html: str) -> tuple[list[dict], dict]:
    """Load ``html`` on the allowed host site, press the button; (the requests sent, the reply).
    Nothing leaves the machine: the page's own images, fonts and scripts are never fetched."""
    allowed.pages[path] = html.encode()
    local = (allowed.url, service.url)
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(local) else route.abort(),
    )
    sent = []
    page.on(
        "request",
        lambda r: sent.append(json.loads(r.post_data)) if r.url.endswith("/v1/summaries") else None,
    )
    page.goto(allowed.url + path)
    with page.expect_response(lambda r: r.url.endswith("/v1/summaries")) as reply:
        page.get_by_role("button", name=BUTTON).click()
    wait_state(page, "done")
    return sent, reply.value.json()


@pytest.mark.slow
def test_widget_on_a_real_page_sends_the_article_html_and_shows_its_own_sentences(
    service, sites, page
):
    allowed, _ = sites
    real = load_page("sh-05844573ca")  # ctpost: an <article> with headline, byline, gallery
    tag = f"<script src='{service.url}/widget.js' data-article-selector='article' defer></script>"
    html = real["html"].replace("</body>", tag + "</body>", 1)
    assert tag in html
    sent, reply = _send(page, allowed, service, "/real", html)
    assert len(sent) == 1 and set(sent[0]) >= {"html"} and "text" not in sent[0]
    assert sent[0]["html"].startswith("<article")
    assert "<script" not in sent[0]["html"].lower()
    summary = page.locator(f"{WIDGET} .result .text").inner_text()
    sentences = reply["sentences"]
    assert " ".join(sentences) == summary
    assert all(in_body(s, real["body"]) for s in sentences), sentences
    assert not starts_with_title(sentences[0], real)


# A teaser card before the story, as many templates write them: the first <article> on the page.
TEASER = (
    "<article class='card'><h2><a href='/other'>Council votes to close the old pier</a></h2>"
    "<p>The harbour council voted on Tuesday to close the pier for a year of repairs.</p>"
    "</article>"
)


def _with_teaser_card(real: dict, tag: str) -> str:
    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + TEASER, real["html"], count=1)
    html = html.replace("</body>", tag + "</body>", 1)
    assert TEASER in html and tag in html
    return html


def test_widget_without_a_selector_sends_the_article_holding_the_headline_not_a_teaser_card(
    service, sites, page
):
    allowed, _ = sites
    real = load_page("sh-05844573ca")  # ctpost: its story <article> holds the <h1>
    tag = f"<script src='{service.url}/widget.js' defer></script>"
    sent, reply = _send(page, allowed, service, "/cards", _with_teaser_card(real, tag))
    assert len(sent) == 1 and "text" not in sent[0]
    html = sent[0]["html"]
    assert html.startswith("<article") and "<h1" in html
    assert "harbour council" not in html  # the first <article> on the page is not sent
    assert all(in_body(s, real["body"]) for s in reply["sentences"]), reply["sentences"]
    assert not starts_with_title(reply["sentences"][0], real)


def test_widget_sends_the_element_the_site_names_even_before_its_rule(service, sites, page):
    allowed, _ = sites
    real = load_page("sh-05844573ca")
    tag = f"<script src='{service.url}/widget.js' data-article-selector='.card' defer></script>"
    sent, _ = _send(page, allowed, service, "/named", _with_teaser_card(real, tag))
    assert len(sent) == 1 and sent[0]["html"].startswith('<article class="card">')
    assert "harbour council" in sent[0]["html"] and "<h1" not in sent[0]["html"]


def test_widget_on_a_page_without_article_or_main_sends_the_body_and_sits_at_its_end(
    service, sites, page, articles
):
    allowed, _ = sites
    paragraphs = "".join(f"<p>{s}.</p>" for s in articles[5].split(". ")[:8])
    html = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Plain</title></head>"
        f"<body><div id='story'><h1>Plain page headline</h1>{paragraphs}</div>"
        f"<script src='{service.url}/widget.js' defer></script></body></html>"
    )
    sent, reply = _send(page, allowed, service, "/plain", html)
    assert len(sent) == 1 and sent[0]["html"].startswith("<body")
    assert "data-summarizer-widget" not in sent[0]["html"]  # never its own button
    assert reply["sentences"]
    # The widget is the body's last element, not outside it.
    assert page.evaluate("document.body.lastElementChild.hasAttribute('data-summarizer-widget')")
