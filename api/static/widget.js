/*
 * "No time to read? Get a summary": an embeddable, dependency-free widget.
 *
 *   <script src="https://summaries.example/widget.js" data-article-selector="article" defer></script>
 *
 * Which element: the one data-article-selector names, else by one generic rule (articleElement
 * below): the page's [itemprop=articleBody], else the <article> that holds the page's <h1> (not
 * a teaser card or a comment), else <main>, else <body>; the first of these with visible text.
 *
 * What it sends: the article element's HTML (scripts, styles, frames and forms left out), which
 * keeps the structure the service needs to tell the article's own sentences from its headline,
 * captions and credits; the element's visible text (innerText) only when that HTML is larger
 * than the service accepts.
 *
 * Optional data- attributes: data-endpoint (default: /v1/summaries on the script's origin),
 * data-length (short|medium|long), data-format (paragraph|bullets), data-api-key,
 * data-timeout-ms (default 20000), data-loading-delay-ms (default 400).
 *
 * Safe by construction: the summary is inserted with textContent (never as HTML), no eval, no
 * inline styles or scripts (works under a strict Content-Security-Policy), styles live in a
 * shadow root so they neither leak into nor inherit from the host page, and the only request
 * is the one to the summary service.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || script.getAttribute("data-summarizer-ready")) return;
  script.setAttribute("data-summarizer-ready", "1");

  function num(value, fallback) {
    var n = parseInt(value, 10);
    return isFinite(n) && n > 0 ? n : fallback;
  }

  var data = script.dataset;
  var config = {
    endpoint: data.endpoint || new URL("/v1/summaries", script.src).href,
    selector: data.articleSelector || "",
    length: data.length || "medium",
    format: data.format || "paragraph",
    apiKey: data.apiKey || "",
    timeoutMs: num(data.timeoutMs, 20000),
    loadingDelayMs: num(data.loadingDelayMs, 400),
    maxChars: 200000,
    // Well under the service's 2 MB request body, JSON escaping included.
    maxHtmlChars: 1000000
  };

  // article-element: begin (scripts/render_pages.py evaluates this same function in Chromium)
  // The element that holds a page's article when the site names none, and which rule chose it:
  // the element the page marks as its article body, else the <article> holding the page's <h1>
  // (many templates also use <article> for teaser cards and comments), else the page's main
  // part, else the body; the first of these with visible text.
  function articleElement(doc) {
    var h1 = doc.querySelector("h1");
    var choices = [
      ["[itemprop=articleBody]", doc.querySelector('[itemprop="articleBody"]')],
      ["article with the h1", h1 ? h1.closest("article") : null],
      ["main", doc.querySelector('main, [role="main"]')],
      ["body", doc.body]
    ];
    for (var i = 0; i < choices.length; i++) {
      var node = choices[i][1];
      if (node && (node.innerText || "").trim()) return { rule: choices[i][0], element: node };
    }
    return { rule: "body", element: doc.body };
  }
  // article-element: end

  var NOT_ARTICLE = "script,style,noscript,template,iframe,object,embed,svg,canvas,form,button," +
    "input,select,textarea,[data-summarizer-widget]";

  // {html} of the article element without what is never article text, or {text} when too big.
  function payload(article) {
    var copy = article.cloneNode(true);
    var drop = copy.querySelectorAll(NOT_ARTICLE);
    for (var i = 0; i < drop.length; i++) drop[i].parentNode.removeChild(drop[i]);
    var html = copy.outerHTML || "";
    if (html && html.length <= config.maxHtmlChars) return { html: html };
    var text = (article.innerText || article.textContent || "").trim().slice(0, config.maxChars);
    return text ? { text: text } : null;
  }

  var TEXT = {
    button: "No time to read? Get a summary",
    loading: "Summarizing the article\u2026",
    label: "Summary",
    ready: "Summary ready: ",
    error: "Sorry, the summary could not be loaded.",
    busy: "The summary service is busy right now.",
    slow: "The summary is taking too long.",
    retry: "Try again",
    retryIn: function (s) { return "Try again in " + s + " s"; }
  };

  var CSS = [
    ":host{all:initial;display:block;margin:1.5em 0;contain:content}",
    ".box{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b}",
    "button{font:inherit;cursor:pointer;border-radius:6px;padding:.55em 1em;",
    "border:1px solid #0b57d0;background:#0b57d0;color:#fff}",
    "button:hover{background:#0842a0}",
    "button:focus-visible{outline:3px solid #f9ab00;outline-offset:2px}",
    "button[disabled]{cursor:default;opacity:.6}",
    "button.retry{background:#fff;color:#0b57d0;margin-top:.5em}",
    ".status{margin:.5em 0;color:#444}",
    ".status[data-kind=error]{color:#b3261e}",
    ".result{margin-top:.75em;padding:1em 1.25em;border-left:4px solid #0b57d0;background:#f3f6fc}",
    ".label{margin:0 0 .25em;font-weight:600;font-size:.85em;text-transform:uppercase;",
    "letter-spacing:.04em;color:#0b57d0}",
    ".result p{margin:0}.result ul{margin:0;padding-left:1.2em}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);",
    "white-space:nowrap}",
    "[hidden]{display:none!important}"
  ].join("");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function mount(article) {
    var host = el("div");
    host.setAttribute("data-summarizer-widget", "");
    if (article === document.body) article.appendChild(host);
    else article.insertAdjacentElement("afterend", host);
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function") {
      try {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        root.adoptedStyleSheets = [sheet];
      } catch (e) { /* unstyled but working */ }
    }

    var box = el("section", "box");
    box.setAttribute("aria-label", TEXT.label);
    var button = el("button", "get", TEXT.button);
    button.type = "button";
    var status = el("p", "status");
    status.hidden = true;
    var result = el("div", "result");
    result.hidden = true;
    var retry = el("button", "retry", TEXT.retry);
    retry.type = "button";
    retry.hidden = true;
    var live = el("div", "sr");
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    box.appendChild(button);
    box.appendChild(status);
    box.appendChild(result);
    box.appendChild(retry);
    box.appendChild(live);
    root.appendChild(box);

    var busy = false;
    var countdown = null;

    function setState(state, message, kind) {
      box.setAttribute("data-state", state);
      status.textContent = message || "";
      status.hidden = !message;
      if (kind) status.setAttribute("data-kind", kind);
      else status.removeAttribute("data-kind");
      if (message) live.textContent = message;
    }

    function show(body) {
      while (result.firstChild) result.removeChild(result.firstChild);
      result.appendChild(el("p", "label", TEXT.label));
      var sentences = Array.isArray(body.sentences) ? body.sentences : [];
      if (config.format === "bullets" && sentences.length) {
        var list = el("ul");
        sentences.forEach(function (s) { list.appendChild(el("li", null, String(s))); });
        result.appendChild(list);
      } else {
        result.appendChild(el("p", "text", String(body.summary)));
      }
      result.hidden = false;
      button.hidden = true;
      retry.hidden = true;
      setState("done", "");
      live.textContent = TEXT.ready + String(body.summary);
    }

    function fail(state, message, retryAfterSeconds) {
      setState(state, message, "error");
      retry.hidden = false;
      button.hidden = true;
      if (countdown) clearInterval(countdown);
      var left = retryAfterSeconds || 0;
      if (left > 0) {
        retry.disabled = true;
        retry.textContent = TEXT.retryIn(left);
        countdown = setInterval(function () {
          left -= 1;
          if (left > 0) {
            retry.textContent = TEXT.retryIn(left);
          } else {
            clearInterval(countdown);
            countdown = null;
            retry.disabled = false;
            retry.textContent = TEXT.retry;
          }
        }, 1000);
      } else {
        retry.disabled = false;
        retry.textContent = TEXT.retry;
      }
    }

    function request() {
      if (busy) return;
      var content = payload(article);
      if (!content) {
        fail("error", TEXT.error);
        return;
      }
      busy = true;
      button.disabled = true;
      retry.disabled = true;
      box.setAttribute("aria-busy", "true");
      box.setAttribute("data-state", "pending");
      var loading = setTimeout(function () {
        setState("loading", TEXT.loading);
      }, config.loadingDelayMs);
      var controller = typeof AbortController === "function" ? new AbortController() : null;
      var timedOut = false;
      var timer = setTimeout(function () {
        timedOut = true;
        if (controller) controller.abort();
      }, config.timeoutMs);
      var headers = { "Content-Type": "application/json" };
      if (config.apiKey) headers["X-API-Key"] = config.apiKey;

      function done() {
        clearTimeout(loading);
        clearTimeout(timer);
        busy = false;
        button.disabled = false;
        box.removeAttribute("aria-busy");
      }

      fetch(config.endpoint, {
        method: "POST",
        mode: "cors",
        credentials: "omit",
        headers: headers,
        body: JSON.stringify({
          html: content.html,
          text: content.text,
          length: config.length,
          format: config.format
        }),
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) {
          return response.json().then(
            function (body) { return { response: response, body: body }; },
            function () { return { response: response, body: null }; }
          );
        })
        .then(function (reply) {
          if (timedOut) throw new Error("timeout");
          done();
          var r = reply.response;
          var body = reply.body;
          if (r.ok && body && typeof body.summary === "string") {
            show(body);
          } else if (r.status === 503) {
            var wait = Math.min(num(r.headers.get("Retry-After"), 5), 300);
            fail("busy", TEXT.busy, wait);
          } else {
            fail("error", TEXT.error);
          }
        })
        .catch(function () {
          done();
          if (timedOut) fail("slow", TEXT.slow);
          else fail("error", TEXT.error);
        });
    }

    button.addEventListener("click", request);
    retry.addEventListener("click", request);
    box.setAttribute("data-state", "idle");
  }

  function init() {
    // A selector the site names and the page lacks: no button (a page without an article).
    var article = config.selector
      ? document.querySelector(config.selector)
      : articleElement(document).element;
    if (article) mount(article);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
