"""Real pages over HTTP: the demo page, a CNN-sized page, a page with no article text."""

from __future__ import annotations

import json

import pytest

from summarizer.sentence_fit import ends_sentence, near_duplicate
from tests.real_pages import in_body, load_page, starts_with_title


def test_the_demo_page_gets_a_clean_summary(client):
    html = client.get("/").text
    headline = "Divorce can wreck retirement years after the break-up, survey finds"
    assert headline in html
    article = html[html.index("<article>") : html.index("</article>") + len("</article>")]
    for body in ({"html": html}, {"html": article}):
        for length in ("short", "medium", "long"):
            r = client.post("/v1/summaries", json={**body, "length": length})
            assert r.status_code == 200, r.text
            sentences = r.json()["sentences"]
            assert not r.json()["summary"].startswith(headline[:30])
            assert all(ends_sentence(s) for s in sentences)
            pairs = [(a, b) for i, a in enumerate(sentences) for b in sentences[i + 1 :]]
            assert not any(near_duplicate(a, b) for a, b in pairs), sentences
            assert sentences[0].startswith("People who have never been divorced can expect")


def test_a_cnn_sized_page_is_accepted_and_summarized(client):
    page = load_page("sh-ef4e67b66d")
    body = json.dumps({"html": page["html"], "length": "medium"})
    assert len(body.encode()) > 1_400_000
    r = client.post("/v1/summaries", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.text[:300]
    sentences = r.json()["sentences"]
    assert all(in_body(s, page["body"]) for s in sentences)
    assert not starts_with_title(sentences[0], page)


@pytest.mark.hostile("http", "A page with no article text gets 422 and a reason, never a summary.")
def test_a_page_with_only_an_unfilled_template_is_422(client):
    html = (
        "<!doctype html><html><head><title>News</title></head><body><article>"
        "<h1>{{article.title}}</h1><p>{{nrco.contentDetailController.content.body}}</p>"
        "<p>{{nrco.contentDetailController.content.lastUpdateUser.fullName}}</p>"
        "</article></body></html>"
    )
    r = client.post("/v1/summaries", json={"html": html})
    assert r.status_code == 422
    assert "no article text" in r.text
