"""The protocol: request, response and error bodies of the HTTP API."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from summarizer.options import (
    DEFAULT_FORMAT,
    DEFAULT_LENGTH,
    MAX_WORDS_CEILING,
    MIN_WORDS_FLOOR,
    OPTION_NAMES,
    Format,
    Length,
    SummaryOptions,
)
from summarizer.summary import Summary

ID_MAX_CHARS = 200


def is_printable_id(value: object) -> bool:
    """An id the API may echo back: a string of printable characters, at most ID_MAX_CHARS.

    Anything else (lone surrogates, control or bidi characters) is never echoed."""
    return isinstance(value, str) and len(value) <= ID_MAX_CHARS and value.isprintable()


class SummaryRequest(BaseModel):
    """One article, as plain text or as HTML (exactly one of the two), and how to summarize it."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [{"text": "Article text ...", "length": "short"}],
            # Exactly one of the two is a string (an empty one counts; null counts as absent).
            "oneOf": [
                {"required": ["text"], "properties": {"text": {"type": "string"}}},
                {"required": ["html"], "properties": {"html": {"type": "string"}}},
            ],
        },
    )

    text: str | None = Field(None, description="The article as plain text (or give html).")
    html: str | None = Field(
        None, description="The article page as HTML; the text is extracted (or give text)."
    )
    id: str | None = Field(
        None,
        max_length=ID_MAX_CHARS,
        description=f"Echoed back as is: printable text, at most {ID_MAX_CHARS} characters.",
    )
    # The summary options: their names, types, allowed values and defaults come from
    # summarizer/options.py (the one source); to_options() passes every field named like one.
    length: Length = Field(DEFAULT_LENGTH, description="The length preset.")
    max_words: int | None = Field(
        None,
        ge=MIN_WORDS_FLOOR,
        le=MAX_WORDS_CEILING,
        description="Upper bound on summary words (overrides the preset's).",
    )
    min_words: int | None = Field(
        None,
        ge=MIN_WORDS_FLOOR,
        le=MAX_WORDS_CEILING,
        description="Lower bound on summary words (overrides the preset's); at most max_words.",
    )
    format: Format = Field(DEFAULT_FORMAT, description="A paragraph, or one bullet a sentence.")
    language: str | None = Field(
        None,
        max_length=35,
        pattern=r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$",
        description="The article's language (ISO 639-1, or a tag like pt-BR); detected if absent.",
    )

    @field_validator("text", "html", "id")
    @classmethod
    def _valid_unicode(cls, value: str | None) -> str | None:
        # JSON may escape lone surrogates ("\\ud800"): valid JSON, but not text anyone can print.
        if value is not None:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("contains invalid Unicode (a lone surrogate)") from None
        return value

    @field_validator("id")
    @classmethod
    def _printable_id(cls, value: str | None) -> str | None:
        if value is not None and not is_printable_id(value):
            raise ValueError(
                f"must be printable text (no control, format or bidi characters), "
                f"at most {ID_MAX_CHARS} characters"
            )
        return value

    @model_validator(mode="after")
    def _exactly_one_source(self) -> SummaryRequest:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of text or html")
        return self

    def to_options(self) -> SummaryOptions:
        """The request's summary options, built once (``SummaryOptions.of``, which checks them:
        min_words above max_words, an unknown language code raise ``OptionsError``, a 422).

        Precedence: a field the request sets wins; one it leaves out takes the library's
        default (the same value, from summarizer/options.py); ``max_words`` and ``min_words``
        override the word range of the ``length`` preset."""
        return SummaryOptions.of(**self.model_dump(include=set(OPTION_NAMES)))

    @property
    def raw(self) -> str:
        return self.text if self.text is not None else self.html or ""

    @property
    def input_format(self) -> Literal["text", "html"]:
        return "text" if self.text is not None else "html"


class InputSize(BaseModel):
    chars: int
    words: int
    sentences: int


class CoverageInfo(BaseModel):
    """How the article was covered: windows (chunks), reduce rounds, whether anything was cut."""

    chunks: int
    reduce_rounds: int
    input_tokens: int | None = None
    truncated: bool


class Timing(BaseModel):
    total_ms: float = Field(description="Server time for this request, parsing to response.")


class SummaryResponse(BaseModel):
    id: str | None = None
    summary: str
    sentences: list[str]
    engine: str
    model: str
    cached: bool
    input: InputSize
    coverage: CoverageInfo
    options: dict[str, Any] = Field(
        description="Every option the summary was made with (length, max_words, min_words, "
        "format, language: the article's, given or detected)."
    )
    language: str | None = Field(None, description="The article's language (ISO 639-1).")
    timing: Timing

    @classmethod
    def build(cls, summary: Summary, request_id: str | None, total_ms: float) -> SummaryResponse:
        cov = summary.coverage
        return cls(
            id=request_id,
            summary=summary.text,
            sentences=summary.sentences,
            engine=summary.engine,
            model=summary.model,
            cached=summary.cached,
            input=InputSize(
                chars=cov.input_chars, words=cov.input_words, sentences=cov.input_sentences
            ),
            coverage=CoverageInfo(
                chunks=cov.chunks,
                reduce_rounds=cov.reduce_rounds,
                input_tokens=cov.input_tokens,
                truncated=cov.truncated,
            ),
            options=summary.options,
            language=summary.language,
            timing=Timing(total_ms=round(total_ms, 3)),
        )


class ErrorInfo(BaseModel):
    code: str = Field(description="Stable, machine-readable: e.g. invalid_request, overloaded.")
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorResponse(BaseModel):
    error: ErrorInfo


class BatchRequest(BaseModel):
    """Several articles. Items are validated one by one, so one bad item fails only itself."""

    model_config = ConfigDict(extra="forbid")

    items: list[Annotated[Any, WithJsonSchema({"$ref": "#/components/schemas/SummaryRequest"})]] = (
        Field(min_length=1)
    )


class BatchItem(BaseModel):
    index: int
    id: str | None = None
    status: int = Field(description="The HTTP status this item would have had on its own.")
    result: SummaryResponse | None = None
    error: ErrorInfo | None = None


class BatchResponse(BaseModel):
    items: list[BatchItem]
    succeeded: int
    failed: int
    timing: Timing


class ModelInfo(BaseModel):
    name: str
    engine: str
    available: bool
    loaded: bool
    source: str | None = None


class ModelsResponse(BaseModel):
    loaded: dict[str, Any] | None = Field(description="The engine serving requests (describe()).")
    models: list[ModelInfo]


class Health(BaseModel):
    status: str


class CacheHealth(BaseModel):
    """The summary cache as seen by this replica; the reason for a fault is in the log only."""

    backend: str = Field(description="sqlite or redis.")
    state: Literal["ok", "open", "disabled"] = Field(
        description="ok; open: failing, skipped for a while (circuit breaker); disabled: could "
        "not be opened at start-up, serving without a cache."
    )
    errors: int = Field(description="Failed cache calls since start-up.")
    skipped: int = Field(0, description="Cache calls skipped while the breaker was open.")


class Readiness(BaseModel):
    status: str
    cache: CacheHealth | None = Field(description="null when no cache is configured.")
