"""Every setting of the HTTP service, in one place: environment variables with a ``SUMMARIZER_``
prefix (``SUMMARIZER_CACHE_URL=redis://...``). Lists are comma-separated."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from summarizer import registry
from summarizer.load_options import ENGINE_SEQ2SEQ, LoadOptions
from summarizer.text import MAX_INPUT_CHARS


def _split(value: Any) -> Any:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class Settings(BaseSettings):
    """Settings of ``summarizer serve``; the table in docs/deployment.md is generated from here."""

    model_config = SettingsConfigDict(env_prefix="SUMMARIZER_", extra="ignore")

    model: str = Field(
        "auto", description="auto | extractive | a name from models/ | a checkpoint folder."
    )
    models_dir: str | None = Field(
        None,
        description="Folder of checkpoints and manifests (default: ./models if it exists, else "
        "models/ of the checkout, else ~/.local/share/summarizer/models).",
    )
    device: str = Field("auto", description="auto | cpu | cuda | cuda:N.")
    threads: int | None = Field(
        None, ge=1, description="CPU threads for the model (default: all cores)."
    )
    replicas: int = Field(
        1,
        ge=1,
        le=64,
        description="Copies of a CTranslate2 model in this process, sharing its weights and "
        "threads, each running its own batches: more articles/s under bursts, a lone request "
        "slower.",
    )
    model_process: bool | None = Field(
        None,
        description="Run the model in one child process, so its generate() never shares the "
        "GIL with the event loop (goodput under a flood of requests); this process holds no "
        "weights. Unset: yes for PyTorch (seq2seq engine) models, whose generate() holds the GIL "
        "between its many small steps; no for the extractive engine (fast) and CTranslate2 "
        "(it releases the GIL for a whole generate).",
    )

    def runs_model_process(self, engine: str) -> bool:
        """Whether a model of ``engine`` (a ModelSpec's) runs in a child process."""
        if self.model_process is not None:
            return self.model_process
        return engine == ENGINE_SEQ2SEQ

    def models_folder(self) -> Path:
        """The models folder: ``models_dir``, else the registry's default (this object read
        SUMMARIZER_MODELS_DIR already; the registry is not asked to read it again)."""
        return registry.models_dir(self.models_dir, env=False)

    compute_type: str = Field(
        "default",
        description="CTranslate2 models: the type to run the weights as (default: as converted; "
        "int8, int8_float32, float16, float32, ...).",
    )
    num_beams: int | None = Field(
        None,
        ge=1,
        le=16,
        description="Beam size of a seq2seq model (default: the model's own); 1 is fastest.",
    )
    cache_url: str = Field(
        "sqlite:///state/summaries.sqlite3",
        description="sqlite:///PATH (one machine; a relative PATH is from the working "
        "directory: by default ./state/, the service's state folder), redis://HOST:PORT/DB "
        "(shared), or none.",
    )
    cache_ttl_seconds: int | None = Field(
        7 * 24 * 3600, ge=1, description="How long a cached summary is served."
    )
    max_body_bytes: int = Field(
        2_000_000, ge=1024, description="Largest request body; beyond it 413 before parsing."
    )
    max_article_chars: int = Field(
        MAX_INPUT_CHARS, ge=100, description="Longest article text after HTML extraction (422)."
    )
    batch_max_items: int = Field(
        32, ge=1, description="Most articles in one POST /v1/summaries/batch."
    )
    microbatch_wait_ms: float = Field(
        5.0, ge=0, description="How long the first waiting request waits for others to join."
    )
    microbatch_max_size: int = Field(8, ge=1, description="Most articles in one model call.")
    queue_max_depth: int = Field(
        64, ge=1, description="Requests waiting for the model; beyond it 503 + Retry-After."
    )
    max_concurrent_requests: int = Field(
        512, ge=1, description="Summary requests in the service at once (hits included)."
    )
    request_deadline_seconds: float = Field(
        30.0, gt=0, description="A summary request that waits longer gets 504."
    )
    retry_after_seconds: int = Field(2, ge=1, description="Retry-After sent with 503.")
    body_timeout_seconds: float = Field(
        30.0,
        gt=0,
        description="A client gets this long to send a request's whole body; then 408 and the "
        "connection is closed.",
    )
    max_header_bytes: int = Field(
        65_536,
        ge=4096,
        description="Largest request head (request line + headers), read by uvicorn's h11 "
        "parser (its h11_max_incomplete_event_size); beyond it the connection is refused.",
    )
    keep_alive_seconds: int = Field(
        5, ge=1, description="An idle keep-alive connection is closed after this long."
    )
    max_connections: int = Field(
        1000,
        ge=16,
        description="Connections and requests uvicorn holds at once (its limit_concurrency); "
        "beyond it uvicorn answers 503 itself. Behind nginx, its own limits come first.",
    )
    http_parser: Literal["h11", "httptools"] = Field(
        "h11",
        description="uvicorn's HTTP parser. h11 bounds a request's head (max_header_bytes) "
        "and is the safe choice facing clients directly; httptools is faster and has no such "
        "bound: only behind nginx (deploy/nginx), which bounds headers itself.",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Origins allowed to call the API from a browser."
    )
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list,
        description="If set, /v1/* needs one of them in X-API-Key. Never logged.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="Log level."
    )
    log_json: bool = Field(True, description="One JSON object per log line (else plain text).")

    _split_lists = field_validator("cors_origins", mode="before")(_split)

    @field_validator("api_keys", mode="before")
    @classmethod
    def _keys(cls, value: Any) -> Any:
        # Set but holding no key (" , "): refuse, rather than silently serving without auth.
        keys = _split(value)
        if isinstance(value, str) and value.strip() and not keys:
            raise ValueError("is set but holds no key (comma-separated keys, or leave it unset)")
        if isinstance(keys, list) and any(not str(k).strip() for k in keys):
            raise ValueError("holds an empty key")
        if isinstance(keys, list) and any(not str(k).isprintable() for k in keys):
            # A control character cannot be sent in a header: no client could ever match it.
            raise ValueError("holds a key with a control character, which no header can carry")
        return keys

    def load_options(self) -> LoadOptions:
        """The model's load settings: every setting named like a ``LoadOptions`` field
        (``device``, ``threads``, ``replicas``, ``num_beams``, ...), so a new load setting is one
        field here and nothing else in the service."""
        names = LoadOptions.__dataclass_fields__.keys() & type(self).model_fields.keys()
        return LoadOptions(**{name: getattr(self, name) for name in names})

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value


def settings_table() -> str:
    """A markdown table of every setting, its variable and default (for docs/deployment.md)."""
    rows = ["| Variable | Default | Meaning |", "| --- | --- | --- |"]
    prefix = Settings.model_config["env_prefix"]
    for name, field in Settings.model_fields.items():
        default = field.get_default(call_default_factory=True)
        if isinstance(default, list):
            shown = "(empty)" if not default else ",".join(map(str, default))
        elif default is None:
            shown = "(unset)"
        else:
            shown = str(default)
        text = (field.description or "").replace("|", "\\|")
        rows.append(f"| `{prefix}{name.upper()}` | `{shown}` | {text} |")
    return "\n".join(rows)
