"""Turning what a client sends into clean article text and sentences."""

from summarizer.text.blocks import BODY_KINDS, Block
from summarizer.text.encoding import decode_input
from summarizer.text.extract import Article, extract_article, html_to_text, looks_like_html
from summarizer.text.normalize import decode_bytes, normalize_text
from summarizer.text.prepare import MAX_HTML_CHARS, MAX_INPUT_CHARS, PreparedText, prepare
from summarizer.text.sentences import split_sentences

__all__ = [
    "BODY_KINDS",
    "MAX_HTML_CHARS",
    "MAX_INPUT_CHARS",
    "Article",
    "Block",
    "PreparedText",
    "decode_bytes",
    "decode_input",
    "extract_article",
    "html_to_text",
    "looks_like_html",
    "normalize_text",
    "prepare",
    "split_sentences",
]
