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
import operator
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


@functools.cache
def _raw_text_end(name: str) -> re.Pattern[str]:
    """The end tag of the raw-text element ``name`` (lowercase)."""
    return re.compile(rf"</{re.escape(name)}[\s/>]", re.IGNORECASE)


def _lowercasing_to(name: str) -> str:
    """A pattern for the tag names whose ``str.lower()`` is ``name``, a raw-text element's name
    (ASCII letters, no "k": no other character lowercases to one of them)."""
    return "".join(f"[{char}{char.upper()}]" for char in name)


# Possessive, so atomic as a whole: the attributes the scan reads, one after the other.
_ATTRIBUTES = rf"(?:{_ATTRIBUTE})*+"
_RAW_NAMES = sorted(_RAW_TEXT)
_COUNTED_NOT = _VOID | _IMPLIED_END
assert not _RAW_TEXT & _COUNTED_NOT  # a raw-text element is a level of nesting
assert not any("k" in name for name in _RAW_TEXT)


@functools.cache
def _tokens(max_attributes: int) -> tuple[re.Pattern[str], operator.itemgetter]:
    """The steps of the scan that matter for the caps, all found by one ``findall`` (in C),
    each alternative ending where the scan moves on; and a getter for the groups that tell
    them apart: ``end`` (an end tag's name), ``start`` (a start tag's name; none for a
    raw-text element's), ``opens`` (a start tag's closing ">", "/>"...), ``many`` (a start
    tag's first attribute beyond ``max_attributes``) and ``unterminated`` (a tag without its
    ">", which the scan runs to the end of the input)."""
    # The raw-text names grouped by their first letter, so a start tag costs one test of it.
    first_letters: dict[str, list[str]] = {}
    for n, name in enumerate(_RAW_NAMES):
        first_letters.setdefault(name[0], []).append(f"(?P<raw{n}>{_lowercasing_to(name[1:])})")
    branches = "|".join(
        f"{_lowercasing_to(letter)}(?:{'|'.join(rests)})" for letter, rests in first_letters.items()
    )
    raw_starts = rf"(?:{branches})(?![^\s/>])"
    # A raw-text element's content runs to its end tag (as ``_raw_text_end`` finds it) or to
    # the end of the input, unrolled so that it costs one step a "<".
    content = ""
    for n, name in reversed(list(enumerate(_RAW_NAMES))):
        content = rf"(?(raw{n})[^<]*+(?:<(?!/(?i:{name})[\s/>])[^<]*+)*+|{content})"
    pattern = re.compile(
        r"<!--(?:.*?--!?>|.*)"
        r"|<[!?][^>]*>?"
        r"|</(?![A-Za-z])"
        rf"|<(?:/(?P<end>[A-Za-z][^\s/>]*+){_ATTRIBUTES}[\s/]*>"
        rf"|(?:{raw_starts}|(?P<start>[A-Za-z][^\s/>]*+))"
        rf"(?:{_ATTRIBUTE}){{0,{max_attributes}}}+(?P<many>{_ATTRIBUTE})?+{_ATTRIBUTES}"
        rf"(?P<opens>[\s/]*>){content}"
        # Runs to the end, as the scan does: the tag alternatives above failed only there, and
        # findall must not try them again from the next "<" (quadratic on "<a <a <a ...").
        r"|(?P<unterminated>/?[A-Za-z].*))",
        re.DOTALL,
    )
    names = ("end", "start", "opens", "many", "unterminated")
    return pattern, operator.itemgetter(*(pattern.groupindex[name] - 1 for name in names))


def _within_caps(html: str, max_attributes: int, max_depth: int, max_tags: int) -> bool:
    """True only when the scan would return ``html`` unchanged: at most ``max_tags`` "<" in
    all, no start tag with more than ``max_attributes`` attributes, and no start tag nested
    ``max_depth`` deep (the scan's own counts over its own steps, found by ``_tokens``). A tag
    that the scan runs to the end of the input answers False: the scan decides it."""
    if html.count("<") > max_tags:
        return False
    pattern, pick = _tokens(max_attributes)
    depth = 0
    for end, start, opens, many, unterminated in map(pick, pattern.findall(html)):
        if opens:
            if many:
                return False
            if "/" in opens or (start and start.lower() in _COUNTED_NOT):
                continue  # "<br/>", "<br>", "<p>": no level of nesting
            if depth >= max_depth:
                return False
            depth += 1
        elif end:
            if depth and end.lower() not in _COUNTED_NOT:
                depth -= 1
        elif unterminated:
            return False
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
