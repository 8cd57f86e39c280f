"""Photo captions written as sentences, inside the body: told by the credit that closes them.

A caption may be a full sentence ("The core stage of the first SLS at Michoud after the
installation of its four engines."), so its shape alone does not set it apart from prose; the
photo credit after its last sentence does: "(credit: NASA/Jane Doe)", "(AP Photo/Evan Vucci)",
"(Joshua Roberts/Reuters)": a name and an agency or a label and a name, joined by a slash, in
parentheses right after a sentence mark. Checked against every true body line of the dev pages
and CNN/DM (``tests/summarizer/text/test_captions.py``): none ends so.
"""

from __future__ import annotations

import re

from summarizer.text.blocks import Block
from summarizer.text.furniture import size_in_words

# A sentence mark, then one parenthesised credit holding a slash between two word characters.
_CREDIT_AFTER_SENTENCE = re.compile(r"[.!?…。！？]\s*\([^()\n]{0,60}\w/\w[^()\n]{0,60}\)\s*$")
_TAIL_CHARS = 200
# A caption is at most this many words (a wire photo's caption names everyone and the place).
MAX_CAPTION_WORDS = 60


def credited_caption(text: str) -> bool:
    """A label- or caption-sized line closed by a photo credit after its last sentence."""
    tail = text[-_TAIL_CHARS:]  # the credit is at the end: the search reads no more
    return bool(_CREDIT_AFTER_SENTENCE.search(tail)) and size_in_words(text) <= MAX_CAPTION_WORDS


def mark_captions(blocks: list[Block]) -> list[Block]:
    """The blocks with each body block that is a credited caption marked "caption"."""
    return [
        Block("caption", block.text) if block.is_body and credited_caption(block.text) else block
        for block in blocks
    ]
