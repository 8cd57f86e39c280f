"""The "Get a summary" widget end to end: real browser, real service, real origins."""

from __future__ import annotations

import re

import pytest

from tests.api.conftest import start_serve, stop
from tests.web.conftest import host_page

BUTTON = "No time to read? Get a summary"
WIDGET = "[data-summarizer-widget] .box"


def wait_state(page, state: str, timeout: float = 30_000) -> None:
    page.locator(f"{WIDGET}[data-state={state}]").wait_for(timeout=timeout)


def no_csp_violations(page) -> None:
    assert page.evaluate("window.__csp") == []


@pytest.mark.slow
def test_demo_page_button_shows_the_summary_in_place(service, page):
    page.goto(service.url + "/")
    button = page.get_by_role("button", name=BUTTON)
    assert button.is_visible()
    button.focus()
    page.keyboard.press("Enter")  # keyboard use: a real button
    wait_state(page, "done")
    summary = page.locator(f"{WIDGET} .result .text").inner_text()
    article = " ".join(page.locator("article").inner_text().split())
    assert len(summary.split()) > 10
    assert summary[:60] in article
    assert page.get_by_role("status").inner_text().startswith("Summary ready")
    assert not button.is_visible()
    no_csp_violations(page)  # the demo page has a strict CSP


@pytest.mark.slow
def test_service_stopped_shows_an_error_and_leaves_the_page_intact(page, tmp_path):
    server = start_serve(tmp_path, env={"SUMMARIZER_LOG_JSON": "false"})
    try:
        page.goto(server.url + "/")
        page.get_by_role("button", name=BUTTON).wait_for()
    finally:
        stop(server.process)
    page.get_by_role("button", name=BUTTON).click()
    wait_state(page, "error")
    assert "could not be loaded" in page.locator(f"{WIDGET} .status").inner_text()
    assert page.get_by_role("button", name="Try again", exact=True).is_enabled()
    assert page.locator("article h1").inner_text().startswith("Divorce can wreck")


def test_allowed_origin_gets_a_summary_and_host_styles_do_not_leak(service, sites, page, articles):
    allowed, _ = sites
    allowed.pages["/story"] = host_page(service.url, articles[3].split(". "))
    page.goto(allowed.url + "/story")
    button = page.get_by_role("button", name=BUTTON)
    # the host's `button { background: red !important }` does not reach into the widget
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") != "rgb(255, 0, 0)"
    button.click()
    wait_state(page, "done")
    assert page.locator(f"{WIDGET} .result .text").inner_text()
    assert page.locator("#after").is_visible()
    no_csp_violations(page)


def test_origin_not_on_the_allowlist_is_refused_cleanly(service, sites, page, articles):
    _, refused = sites
    refused.pages["/story"] = host_page(service.url, articles[4].split(". "))
    page.goto(refused.url + "/story")
    page.get_by_role("button", name=BUTTON).click()
    wait_state(page, "error")
    assert page.locator(f"{WIDGET} .result").is_hidden()
    assert page.locator("article h1").inner_text() == "Host headline"
    assert page.locator("#after").is_visible()


def test_a_summary_with_markup_is_shown_as_text(service, sites, page):
    allowed, _ = sites
    payload = '<img src=x onerror="window.__xss = 1">'
    sentences = [
        f"Reporters found the string {payload} in a council document number {i} on Monday."
        for i in range(6)
    ]
    allowed.pages["/xss"] = host_page(service.url, sentences)
    page.goto(allowed.url + "/xss")
    page.get_by_role("button", name=BUTTON).click()
    wait_state(page, "done")
    text = page.locator(f"{WIDGET} .result .text").inner_text()
    assert payload in text
    assert page.locator("[data-summarizer-widget] img").count() == 0
    assert page.evaluate("window.__xss") is None


def test_busy_service_honours_retry_after(service, sites, page, articles):
    allowed, _ = sites
    allowed.pages["/busy"] = host_page(service.url, articles[5].split(". "))
    calls = []

    def busy_once(route):
        calls.append(route.request.method)
        if len(calls) == 1:
            route.fulfill(
                status=503,
                headers={
                    "Retry-After": "2",
                    "Access-Control-Allow-Origin": allowed.url,
                    "Access-Control-Expose-Headers": "Retry-After",
                },
                content_type="application/json",
                body='{"error": {"code": "overloaded", "message": "queue full"}}',
            )
        else:
            route.continue_()

    page.route(re.compile(r".*/v1/summaries$"), busy_once)
    page.goto(allowed.url + "/busy")
    page.get_by_role("button", name=BUTTON).click()
    wait_state(page, "busy")
    retry = page.locator(f"{WIDGET} button.retry")
    assert retry.is_disabled() and "2 s" in retry.inner_text()
    page.get_by_role("button", name="Try again", exact=True).wait_for(timeout=5000)
    assert retry.is_enabled()
    retry.click()
    wait_state(page, "done")


def test_slow_service_shows_loading_then_gives_up(service, sites, page, articles):
    allowed, _ = sites
    allowed.pages["/slow"] = host_page(service.url, articles[6].split(". "), timeout_ms=1500)
    page.route(re.compile(r".*/v1/summaries$"), lambda route: None)  # never answers
    page.goto(allowed.url + "/slow")
    page.get_by_role("button", name=BUTTON).click()
    wait_state(page, "loading", timeout=1400)
    assert "Summarizing" in page.locator(f"{WIDGET} .status").inner_text()
    wait_state(page, "slow", timeout=5000)
    assert "taking too long" in page.locator(f"{WIDGET} .status").inner_text()
    assert page.get_by_role("button", name="Try again", exact=True).is_enabled()
