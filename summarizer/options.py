"""Summary options: length presets, word limits and output format, validated in one place.

``SummaryOptions`` is the one carrier of summary settings: every entry point builds one
(``SummaryOptions.of``) and hands it to the library, and its one serialisation (``as_dict`` /
``key``) is what cache keys, request fingerprints and ``Summary.options`` are made of. The
allowed values below are the one source the HTTP schema and the CLI help are derived from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any, Literal, get_args

from summarizer.errors import OptionsError
from summarizer.text.language import LANGUAGE_HELP, NOT_A_LANGUAGE, language_code

Length = Literal["short", "medium", "long"]
Format = Literal["paragraph", "bullets"]

LENGTHS: tuple[str, ...] = get_args(Length)
FORMATS: tuple[str, ...] = get_args(Format)
DEFAULT_LENGTH: Length = "medium"
DEFAULT_FORMAT: Format = "paragraph"

MIN_WORDS_FLOOR = 1
MAX_WORDS_CEILING = 1000


@dataclass(frozen=True)
class LengthPreset:
    """What a preset means: a sentence budget (extractive) and a word range (abstractive)."""

    sentences: int
    min_words: int
    max_words: int


# "short" is one sentence: the teaser under a headline. "medium" is the usual three-highlight
# news summary, "long" a paragraph for readers who want more.
PRESETS: dict[str, LengthPreset] = {
    "short": LengthPreset(sentences=1, min_words=8, max_words=40),
    "medium": LengthPreset(sentences=3, min_words=25, max_words=90),
    "long": LengthPreset(sentences=5, min_words=50, max_words=160),
}


@dataclass(frozen=True)
class SummaryOptions:
    """How long the summary should be and how to lay it out.

    ``max_words`` (and ``min_words``) override the preset's word range. Summaries always end at a
    sentence end: ``max_words`` is honoured by dropping whole sentences, so the one exception is a
    first sentence that alone is longer than ``max_words``, which is kept whole rather than cut.
    Words are counted the same way in every script (``summarizer.text.tokens.count_words``).
    ``language`` is the article's language as the caller knows it (stored as its ISO 639-1
    code); without it the language is detected when the article is prepared.
    """

    length: Length = DEFAULT_LENGTH
    max_words: int | None = None
    min_words: int | None = None
    format: Format = DEFAULT_FORMAT
    language: str | None = None

    @classmethod
    def of(cls, options: SummaryOptions | None = None, /, **values: Any) -> SummaryOptions:
        """``options`` as given, or built from ``values`` by option name: the one way an entry
        point turns what it was given (a request's fields, CLI flags, keyword shorthand such as
        ``summarize(text, length="short")``) into options. Values are checked here, whatever
        their type; a name that is not an option is an ``OptionsError``, giving both a
        ``TypeError``."""
        if options is not None:
            if values:
                raise TypeError(f"give either options or {', '.join(values)}, not both")
            if not isinstance(options, SummaryOptions):
                raise TypeError(f"options must be SummaryOptions, not {type(options).__name__}")
            return options
        unknown = sorted(set(values) - set(OPTION_NAMES))
        if unknown:
            raise OptionsError(
                f"unknown summary option {', '.join(unknown)}: the options are "
                f"{', '.join(OPTION_NAMES)}"
            )
        return cls(**values)

    def __post_init__(self) -> None:
        if self.language is not None:
            code = language_code(self.language)
            if code is None:
                raise OptionsError(f"language must be {LANGUAGE_HELP}, not {self.language!r}")
            if code in NOT_A_LANGUAGE:  # "und": the caller does not know it
                raise OptionsError(
                    f"language {self.language!r} names no language: leave it out to have the "
                    "article's language detected"
                )
            object.__setattr__(self, "language", code)
        if self.length not in PRESETS:
            raise OptionsError(f"length must be one of {', '.join(LENGTHS)}, not {self.length!r}")
        if self.format not in FORMATS:
            raise OptionsError(f"format must be one of {', '.join(FORMATS)}, not {self.format!r}")
        for name in ("max_words", "min_words"):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise OptionsError(f"{name} must be a whole number, not {value!r}")
            if not MIN_WORDS_FLOOR <= value <= MAX_WORDS_CEILING:
                raise OptionsError(
                    f"{name} must be between {MIN_WORDS_FLOOR} and {MAX_WORDS_CEILING}, not {value}"
                )
        if (
            self.min_words is not None
            and self.max_words is not None
            and self.min_words > self.max_words
        ):
            raise OptionsError(
                f"min_words ({self.min_words}) is above max_words ({self.max_words})"
            )

    def as_dict(self) -> dict[str, Any]:
        """Every option by name, in sorted order: the one serialisation of options."""
        return {name: getattr(self, name) for name in OPTION_NAMES}

    def key(self) -> str:
        """The options as canonical text (sorted, compact JSON): equal options give equal keys
        however they were built, and any option that differs gives a different one."""
        return json.dumps(self.as_dict(), separators=(",", ":"), ensure_ascii=False)

    def applied(self, language: str | None) -> dict[str, Any]:
        """What one article was summarized with: :meth:`as_dict` with the article's language
        (the caller's, else the detected one: it decides the sentence splitting). A summary's
        cache key holds it and ``Summary.options`` records it."""
        return {**self.as_dict(), "language": language}

    @property
    def preset(self) -> LengthPreset:
        return PRESETS[self.length]

    @property
    def word_range(self) -> tuple[int, int]:
        """The (min, max) words to aim for, explicit limits winning over the preset: a
        ``max_words`` below the preset's minimum lowers it, a ``min_words`` above the preset's
        maximum raises it, to twice ``min_words`` (room for whole sentences past it; at most
        ``MAX_WORDS_CEILING``): ``short`` with ``min_words=100`` aims at 100-200 words, not 40."""
        preset = self.preset
        if self.max_words is not None:
            high = self.max_words
        elif self.min_words is not None and self.min_words > preset.max_words:
            high = min(MAX_WORDS_CEILING, 2 * self.min_words)
        else:
            high = preset.max_words
        low = self.min_words if self.min_words is not None else preset.min_words
        return min(low, high), high

    @property
    def sentence_budget(self) -> int:
        """Sentences an extractive summary may use; an explicit max_words lifts the preset cap."""
        if self.max_words is not None:
            return max(1, self.max_words // 8)
        return self.preset.sentences


OPTION_NAMES: tuple[str, ...] = tuple(sorted(f.name for f in fields(SummaryOptions)))
