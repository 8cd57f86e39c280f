"""The result type every engine returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from summarizer.text.tokens import count_words


@dataclass(frozen=True)
class Coverage:
    """How the input was covered, so no truncation can hide.

    ``chunks`` is the number of windows the article was split into (1 when it fit the model);
    ``reduce_rounds`` how many times partial summaries were summarized again;
    ``truncated`` is always ``False`` for the shipped engines: every sentence reaches the model.
    """

    input_chars: int
    input_words: int
    input_sentences: int
    chunks: int = 1
    reduce_rounds: int = 0
    input_tokens: int | None = None
    truncated: bool = False


@dataclass(frozen=True)
class Summary:
    """A summary and where it came from."""

    text: str
    sentences: list[str]
    engine: str
    model: str
    coverage: Coverage
    options: dict[str, Any] = field(default_factory=dict)
    cached: bool = False
    # The article's language (ISO 639-1): the caller's, else detected.
    language: str | None = None

    @property
    def words(self) -> int:
        return count_words(self.text)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["summary"] = data.pop("text")
        data["words"] = self.words
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Summary:
        return cls(
            text=data["summary"],
            sentences=list(data["sentences"]),
            engine=data["engine"],
            model=data["model"],
            coverage=Coverage(**data["coverage"]),
            options=dict(data.get("options", {})),
            cached=bool(data.get("cached", False)),
            language=data.get("language"),
        )

    def __str__(self) -> str:
        return self.text
