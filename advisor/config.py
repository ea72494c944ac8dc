"""One typed settings object: ADVISOR_* environment variables, an optional advisor.toml, defaults."""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from advisor import registry
from advisor.bundled import KNOWLEDGE_DIR
from advisor.errors import ConfigError

ENV_PREFIX = "ADVISOR_"
CONFIG_FILE_ENV = "ADVISOR_CONFIG"
DEFAULT_CONFIG_FILE = "advisor.toml"
APP_NAME = "sales-structure-advisor"


def default_home() -> Path:
    """The per-user data folder (e.g. ~/.local/share/sales-structure-advisor), as `llm` keeps its state."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    """The TOML file settings are read from: $ADVISOR_CONFIG, else ./advisor.toml."""
    return Path(os.environ.get(CONFIG_FILE_ENV, DEFAULT_CONFIG_FILE))


class Settings(BaseSettings):
    """Every user-facing setting, with its default and a one-line help text."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", validate_default=True)

    home: Path = Field(
        default_factory=default_home,
        description="Folder holding all state: Chroma store, SQLite, uploads (default: the per-user data folder).",
    )
    knowledge_dir: Path | None = Field(
        None, description="Your own knowledge folder, ingested on top of the bundled articles."
    )
    bundled_knowledge: bool = Field(
        True, description="Ingest the bundled knowledge base (articles and benchmarks) by default."
    )
    embedding_model: str = Field(
        "all-MiniLM-L6-v2",
        description="Sentence-transformers model: the bundled all-MiniLM-L6-v2, a local path or a cached name.",
    )
    embedding_backend: str = Field(
        "local", description="Registered embedding backend: `local` runs a sentence-transformers folder."
    )
    embedding_base_url: str | None = Field(
        None,
        description="OpenAI-compatible server for the `openai` embedding backend (default: the chat server's).",
    )
    chat_backend: str = Field(
        "local",
        description="Registered chat backend: `local` runs a GGUF with llama.cpp; `openai` calls an "
        "OpenAI-compatible server.",
    )
    chat_model: str = Field(
        "smollm2",
        description="`smollm2` (the bundled GGUF) or a GGUF path for `local`; a model name for `openai`.",
    )
    openai_base_url: str | None = Field(None, description="Base URL of the OpenAI-compatible server.")
    openai_api_key: SecretStr | None = Field(
        None, description="Key for the OpenAI-compatible server (falls back to OPENAI_API_KEY)."
    )
    judge_model: str | None = Field(
        None, description="Model on the OpenAI-compatible server used for optional judge scores in evals."
    )
    temperature: float = Field(0.2, ge=0.0, le=2.0, description="Sampling temperature of the chat model.")
    max_tokens: int = Field(200, ge=1, le=8192, description="Most tokens the chat model writes per call.")
    seed: int = Field(42, description="Sampling seed, for reproducible answers.")
    context_tokens: int = Field(2048, ge=256, description="Context window of the local model.")
    threads: int = Field(0, ge=0, description="CPU threads for the local model (0 = all cores).")
    retrieval_k: int = Field(4, ge=1, le=50, description="Passages given to the model per answer.")
    retrieval_fetch_k: int = Field(20, ge=1, le=500, description="Candidates per retriever before fusion.")
    min_relevance: float = Field(
        0.3, ge=0.0, le=1.0, description="Relevance under which the advisor says it cannot answer."
    )
    chunk_size: int = Field(700, ge=100, description="Target chunk size in characters.")
    chunk_overlap: int = Field(100, ge=0, description="Characters shared by neighbouring chunks.")
    max_chunks_per_file: int = Field(
        3000,
        ge=1,
        description="Most chunks one knowledge file may make; a larger file is skipped with the reason.",
    )
    uploads_shared: bool = Field(
        True,
        description="Documents uploaded in the web app are searched for everyone; `false` keeps each to its uploader.",
    )
    chroma_url: str | None = Field(None, description="Chroma server URL; empty uses the store under `home`.")
    collection: str = Field("knowledge", description="Chroma collection name.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL for state; empty uses SQLite under `home`."
    )
    history_turns: int = Field(6, ge=0, description="Past turns used to rewrite a follow-up question.")
    multilingual_model: bool = Field(
        False,
        description="The chat model writes Chinese well; otherwise Chinese answers are composed extractively.",
    )
    capable_model: bool = Field(
        False, description="The chat model follows instructions well enough to rewrite follow-up questions."
    )
    agent_mode: Literal["auto", "on", "off"] = Field(
        "auto",
        description="Tool-calling agent: `auto` when the model supports tools, `on` to require it, `off`.",
    )
    agent_max_steps: int = Field(
        4, ge=1, le=20, description="Most model calls the tool-calling agent makes per answer."
    )
    evidence_chars: int = Field(
        400, ge=80, le=4000, description="Longest excerpt of one passage given to the model (characters)."
    )
    host: str = Field("127.0.0.1", description="Address the web app listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port the web app listens on.")
    api_key: SecretStr | None = Field(None, description="When set, /api and /v1 require `Bearer <key>`.")
    max_upload_mb: float = Field(20.0, gt=0, description="Largest accepted upload, in MB.")
    rate_limit_per_minute: int = Field(600, ge=0, description="Requests per client per minute (0 = off).")
    rate_limit_shared: bool = Field(
        False, description="Count rate limits in the state database, so one budget holds across all workers."
    )
    trusted_proxies: str = Field(
        "",
        description="Comma-separated proxy addresses or networks whose X-Forwarded-For is believed (empty: none).",
    )
    max_header_kb: int = Field(
        32, ge=1, description="Largest request header block the web app accepts, in KB."
    )
    chat_workers: int = Field(
        2,
        ge=1,
        le=64,
        description="Chat requests the web app runs at once; the rest wait their turn in order.",
    )
    chat_queue: int = Field(
        64, ge=0, description="Chat requests allowed to wait; past that the web app says 503."
    )

    @field_validator(
        "openai_base_url",
        "embedding_base_url",
        "chroma_url",
        "database_url",
        "judge_model",
        "knowledge_dir",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("chat_backend")
    @classmethod
    def _registered_chat_backend(cls, value: str) -> str:
        return _registered("chat", value)

    @field_validator("embedding_backend")
    @classmethod
    def _registered_embedding_backend(cls, value: str) -> str:
        return _registered("embedding", value)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_file())
        return (init_settings, env_settings, toml)

    @property
    def knowledge_dirs(self) -> list[Path]:
        """The folders `advisor ingest` reads by default: the bundled knowledge base, then the user's own."""
        dirs = [KNOWLEDGE_DIR] if self.bundled_knowledge else []
        return dirs + ([self.knowledge_dir] if self.knowledge_dir is not None else [])

    @property
    def chroma_path(self) -> Path:
        """Where the embedded Chroma store lives."""
        return self.home / "chroma"

    @property
    def state_url(self) -> str:
        """SQLAlchemy URL of the state database."""
        return self.database_url or f"sqlite:///{self.home / 'state.db'}"

    def openai_key(self) -> str | None:
        """The OpenAI-compatible server's key: the setting, else OPENAI_API_KEY."""
        if self.openai_api_key is not None:
            return self.openai_api_key.get_secret_value()
        return os.environ.get("OPENAI_API_KEY")


def _registered(kind: registry.Kind, name: str) -> str:
    if name not in registry.names(kind):
        raise ValueError(
            f"no {kind} backend `{name}` is registered; choose one of {', '.join(registry.names(kind))}"
        )
    return name


def _unknown_env() -> list[str]:
    known = {ENV_PREFIX + name.upper() for name in Settings.model_fields} | {CONFIG_FILE_ENV}
    return sorted(key for key in os.environ if key.startswith(ENV_PREFIX) and key not in known)


def _toml_values() -> dict[str, Any]:
    path = config_file()
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc


def load_settings(**overrides: Any) -> Settings:
    """Build settings, failing with one readable line on unknown or invalid values."""
    unknown = _unknown_env()
    if unknown:
        raise ConfigError(f"Unknown setting {unknown[0]}; run `advisor config` to list the valid ones.")
    _toml_values()  # reports TOML syntax errors with the file name
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConfigError(
            f"Invalid setting `{where}`: {first['msg']} (from env, {config_file()} or flags)."
        ) from exc


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, loaded once."""
    return load_settings()


def setting_sources() -> dict[str, str]:
    """Where each setting's effective value came from: env, the TOML file, or default."""
    toml = _toml_values()
    sources = {}
    for name in Settings.model_fields:
        if ENV_PREFIX + name.upper() in os.environ:
            sources[name] = "env " + ENV_PREFIX + name.upper()
        elif name in toml:
            sources[name] = str(config_file())
        else:
            sources[name] = "default"
    return sources
