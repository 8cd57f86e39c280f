"""The widget on a real article page (tests/data/pages/, attribution in its README) in Chromium:
it sends the article element's HTML, and the summary shown is the article's own sentences."""

from __future__ import annotations

import json

from tests.real_pages import in_body, load_page, starts_with_title
from tests.web.test_widget import BUTTON, WIDGET, wait_state


def test_widget_on_a_real_page_sends_the_article_html_and_shows_its_own_sentences(
    service, sites, page
):
    allowed, _ = sites
    real = load_page("sh-05844573ca")  # ctpost: an <article> with headline, byline, gallery
    tag = f"<script src='{service.url}/widget.js' data-article-selector='article' defer></script>"
    html = real["html"].replace("</body>", tag + "</body>", 1)
    assert tag in html
    allowed.pages["/real"] = html.encode()
    local = (allowed.url, service.url)
    # Nothing leaves the machine: the page's own images, fonts and scripts are never fetched.
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(local) else route.abort(),
    )
    sent = []
    page.on(
        "request",
        lambda r: sent.append(json.loads(r.post_data)) if r.url.endswith("/v1/summaries") else None,
    )
    page.goto(allowed.url + "/real")
    with page.expect_response(lambda r: r.url.endswith("/v1/summaries")) as reply:
        page.get_by_role("button", name=BUTTON).click()
    wait_state(page, "done")
    assert len(sent) == 1 and set(sent[0]) >= {"html"} and "text" not in sent[0]
    assert sent[0]["html"].startswith("<article")
    assert "<script" not in sent[0]["html"].lower()
    summary = page.locator(f"{WIDGET} .result .text").inner_text()
    sentences = reply.value.json()["sentences"]
    assert " ".join(sentences) == summary
    assert all(in_body(s, real["body"]) for s in sentences), sentences
    assert not starts_with_title(sentences[0], real)
