"""Every regular expression the package runs on a client's text, found by walking its modules.

A module-level ``re.Pattern`` (or one made by a cached factory, as ``sanitize`` makes its scan)
in any module that reads an article is checked; a new pattern in those modules is checked
without being listed anywhere. ``findall`` is the probe: it tries the pattern at every position,
which is the most work any of ``search``, ``sub``, ``split`` or ``finditer`` can do.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from dataclasses import dataclass

# The packages and modules whose code reads a client's text (the article, its options' text):
# the text pipeline, the engines and what they call, the service's request handling.
CLIENT_TEXT_PACKAGES = ("summarizer.text",)
CLIENT_TEXT_MODULES = (
    "summarizer.engines.extractive",
    "summarizer.engines.abstractive",
    "summarizer.sentence_fit",
    "summarizer.chunking",
    "summarizer.summary",
    "summarizer.options",
    "api.schemas",
    "api.middleware",
    "api.hotpath",
    "api.early",
)


@dataclass(frozen=True)
class Regex:
    name: str  # module:attribute
    pattern: re.Pattern[str]


def _modules() -> Iterator[str]:
    for package in CLIENT_TEXT_PACKAGES:
        module = importlib.import_module(package)
        yield package
        for info in pkgutil.iter_modules(module.__path__, f"{package}."):
            yield info.name
    yield from CLIENT_TEXT_MODULES


def client_text_regexes() -> list[Regex]:
    """Every compiled text pattern of the modules above, by module and name."""
    found: dict[int, Regex] = {}
    for module_name in _modules():
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # an optional extra that is not installed
            continue
        for attribute, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.setdefault(id(value), Regex(f"{module_name}:{attribute}", value))
    from summarizer.text import sanitize

    made = {
        "summarizer.text.sanitize:_tokens(MAX_ATTRIBUTES)": sanitize._tokens(
            sanitize.MAX_ATTRIBUTES
        )[0],
        "summarizer.text.sanitize:_attributes_up_to(MAX_ATTRIBUTES)": sanitize._attributes_up_to(
            sanitize.MAX_ATTRIBUTES
        ),
        "summarizer.text.sanitize:_raw_text_end(script)": sanitize._raw_text_end("script"),
    }
    for name, pattern in made.items():
        found.setdefault(id(pattern), Regex(name, pattern))
    return sorted(found.values(), key=lambda regex: regex.name)
