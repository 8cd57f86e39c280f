"""A linear pre-pass over HTML that bounds the work of the real parser.

libxml2 (lxml, inside trafilatura) is quadratic in some shapes of markup: a tag with 30,000
attributes takes seconds, 100,000 takes minutes. None of those shapes carries article text, so
before parsing we cap what reaches the parser, in one left-to-right scan with regular expressions:

* attributes per tag (``MAX_ATTRIBUTES``): the excess is dropped, the tag kept;
* nesting depth (``MAX_DEPTH``): deeper start tags and their end tags are dropped, their text kept;
* tags in the page (``MAX_TAGS``): later tags are dropped, their text kept.

A page within the caps comes out byte for byte as it went in. Comments, doctypes and the content
of raw-text elements (``<script>``, ``<style>``, ...) are copied as they are.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

MAX_ATTRIBUTES = 64
MAX_DEPTH = 512
MAX_TAGS = 100_000

# Elements without content, and elements whose end tag is optional (the parser closes them
# implicitly), do not count towards the depth.
_VOID = frozenset(
    "area base basefont bgsound br col embed frame hr image img input keygen link meta param "
    "source track wbr".split()
)
_IMPLIED_END = frozenset(
    "p li dt dd option optgroup tr td th thead tbody tfoot colgroup caption rb rt rtc rp "
    "html head body".split()
)
_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes noscript".split())

_MARKUP = re.compile(r"<(?:!--|[!?/]|[A-Za-z])")
_COMMENT_END = re.compile(r"--!?>")
_TAG_NAME = re.compile(r"[A-Za-z][^\s/>]*")
# One attribute, as the HTML tokenizer reads it; a run of them is matched by one regex call (in
# C, no backtracking: a repetition that may match nothing always succeeds at once).
_ATTRIBUTE = r"""[\s/]*[^\s/>][^\s/>=]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?"""
_ATTRIBUTE_ONE = re.compile(_ATTRIBUTE)
_ATTRIBUTES_ALL = re.compile(f"(?:{_ATTRIBUTE})*")
_TAG_CLOSE = re.compile(r"[\s/]*>")


@dataclass
class SanitizeReport:
    """What the pre-pass dropped (all zero for an ordinary page)."""

    attributes_dropped: int = 0
    tags_dropped: int = 0
    deep_tags_dropped: int = 0
    tags: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.attributes_dropped or self.tags_dropped or self.deep_tags_dropped)


def sanitize_html(
    html: str,
    *,
    max_attributes: int = MAX_ATTRIBUTES,
    max_depth: int = MAX_DEPTH,
    max_tags: int = MAX_TAGS,
    report: SanitizeReport | None = None,
) -> str:
    """``html`` with at most ``max_attributes`` attributes per tag, ``max_depth`` levels of
    nesting and ``max_tags`` tags; unchanged when it is within those caps. Linear time."""
    if report is None and _within_caps(html, max_attributes, max_depth, max_tags):
        return html  # what the scan below returns for it, found with far less work
    report = report if report is not None else SanitizeReport()
    out: list[str] = []
    pos, end = 0, len(html)
    depth = 0
    dropped_open = 0  # start tags dropped for depth whose end tags are still to come
    while pos < end:
        m = _MARKUP.search(html, pos)
        if m is None:
            out.append(html[pos:])
            break
        start = m.start()
        out.append(html[pos:start])
        lead = m.group()
        if lead == "<!--":
            close = _COMMENT_END.search(html, start + 4)
            pos = close.end() if close else end
            out.append(html[start:pos])
            continue
        if lead in ("<!", "<?"):
            close = html.find(">", start)
            pos = close + 1 if close >= 0 else end
            out.append(html[start:pos])
            continue
        closing = lead == "</"
        name_match = _TAG_NAME.match(html, start + (2 if closing else 1))
        if name_match is None:  # "</" or "</ " not followed by a name: text to the parser
            out.append(lead)
            pos = start + len(lead)
            continue
        name = name_match.group().lower()
        tag_end, keep_end, attributes = _scan_tag(html, name_match.end(), max_attributes)
        report.tags += 1
        pos = tag_end
        raw_end = pos
        if not closing and name in _RAW_TEXT:
            # Its content is not markup: it goes (or is dropped) with the tag, up to its end tag.
            close = _raw_text_end(name).search(html, pos)
            raw_end = close.start() if close else end
        if report.tags > max_tags:
            report.tags_dropped += 1
            pos = raw_end
            continue
        counts = name not in _VOID and name not in _IMPLIED_END
        if closing:
            if counts and dropped_open:
                dropped_open -= 1
                report.deep_tags_dropped += 1
                continue
            if counts and depth:
                depth -= 1
            out.append(html[start:tag_end])
            continue
        self_closing = html[keep_end:tag_end].rstrip(">").strip().endswith("/")
        if counts and not self_closing:
            if depth >= max_depth:
                dropped_open += 1
                report.deep_tags_dropped += 1
                pos = raw_end
                continue
            depth += 1
        if attributes > max_attributes:
            report.attributes_dropped += attributes - max_attributes
            out.append(html[start:keep_end] + ("/>" if self_closing else ">"))
        else:
            out.append(html[start:tag_end])
        out.append(html[pos:raw_end])
        pos = raw_end
    return "".join(out)


# The scan above, one step a match (``_step``), for a page that reaches no cap: a comment, a
# doctype or processing instruction, a "</" without a name, or a tag. Each alternative ends
# where the scan moves on; atomic groups take the greedy first match, as the scan's own
# patterns do (they are only ever matched, never made to backtrack).
@functools.cache
def _step(max_attributes: int) -> re.Pattern[str]:
    """One step of the scan; a tag's ``more`` group holds its attributes beyond
    ``max_attributes`` (dropped from a start tag, kept in an end tag)."""
    return re.compile(
        r"<!--(?:.*?--!?>|.*)"
        r"|<[!?][^>]*>?"
        r"|</(?![A-Za-z])"
        rf"|<(?P<slash>/?)(?P<name>[A-Za-z][^\s/>]*+)(?>{_ATTRIBUTE}){{0,{max_attributes}}}+"
        rf"(?P<more>(?>{_ATTRIBUTE})++)?(?:(?P<close>[\s/]*>)|.*)",
        re.DOTALL,
    )


@functools.cache
def _raw_text_end(name: str) -> re.Pattern[str]:
    """The end tag of the raw-text element ``name`` (lowercase)."""
    return re.compile(rf"</{re.escape(name)}[\s/>]", re.IGNORECASE)


def _within_caps(html: str, max_attributes: int, max_depth: int, max_tags: int) -> bool:
    """True only when the scan would return ``html`` unchanged: at most ``max_tags`` "<" in
    all, and no tag with more than ``max_attributes`` attributes or nested ``max_depth`` deep
    (the scan's own counts, over ``_step``'s matches: one regex call a tag)."""
    if html.count("<") > max_tags:
        return False
    pattern = _step(max_attributes)
    depth, pos = 0, 0
    while (step := pattern.search(html, pos)) is not None:
        pos = step.end()
        name = step["name"]
        if name is None:
            continue  # a comment, a doctype, a stray "</": no nesting
        closing = bool(step["slash"])
        if step["more"] is not None and not closing:
            return False
        name = name.lower()
        if not closing and name in _RAW_TEXT:
            close = _raw_text_end(name).search(html, pos)
            pos = close.start() if close else len(html)
        if name in _VOID or name in _IMPLIED_END:
            continue
        if closing:
            depth -= 1 if depth else 0
        elif step["close"] is None or not step["close"][:-1].strip().endswith("/"):
            if depth >= max_depth:
                return False
            depth += 1
    return True


@functools.cache
def _attributes_up_to(n: int) -> re.Pattern[str]:
    return re.compile(f"(?:{_ATTRIBUTE}){{0,{n}}}")


def _scan_tag(html: str, pos: int, max_attributes: int) -> tuple[int, int, int]:
    """From just after a tag's name: (end of the tag, end of the last attribute kept, number of
    attributes; counted exactly only beyond the cap). An unterminated tag runs to the end of
    the input, as for the parser."""
    kept = _attributes_up_to(max_attributes).match(html, pos)
    keep_end = kept.end() if kept else pos
    close = _TAG_CLOSE.match(html, keep_end)
    if close is not None:
        return close.end(), keep_end, 0
    rest = _ATTRIBUTES_ALL.match(html, keep_end)
    rest_end = rest.end() if rest else keep_end
    dropped = len(_ATTRIBUTE_ONE.findall(html, keep_end, rest_end))
    close = _TAG_CLOSE.match(html, rest_end)
    tag_end = close.end() if close else len(html)
    if not dropped:  # only the end of the input, or junk the tokenizer would skip, follows
        return tag_end, (keep_end if close else len(html)), 0
    return tag_end, keep_end, max_attributes + dropped
