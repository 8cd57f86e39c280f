"""The article's blocks: each piece of its text with the part it plays on the page.

Only body blocks hold summary candidates. The rest (headline, standfirst, captions, bylines,
datelines, subheadings, tables, page furniture) is kept so that callers can see what was set
aside, and why, but no engine reads it as the article.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BlockKind = Literal[
    "headline",  # the page's title
    "standfirst",  # the summary line under the headline (meta description), when not in the body
    "paragraph",  # a body paragraph
    "list",  # a list item of the body
    "quote",  # a block quotation (pull quotes, embedded posts)
    "subheading",  # a heading inside the body
    "caption",  # a short line without final punctuation: caption, credit, label, link text
    "table",  # a table row
    "byline",  # who wrote it
    "dateline",  # when: timestamps, "Updated 2 hours ago"
    "furniture",  # anything else of the page: share labels, notices, template placeholders
]

# Kinds whose sentences are the article's own prose.
BODY_KINDS: frozenset[str] = frozenset({"paragraph", "list"})


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str

    @property
    def is_body(self) -> bool:
        return self.kind in BODY_KINDS
