"""Every setting the bot reads, from the environment (or a `.env` file).

Each field's description is the documentation; README.md lists them all.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DATA_DIR = Path("data")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8",
                                      extra="ignore")

    # Telegram
    telegram_bot_token: SecretStr | None = Field(
        None, description="Bot token from @BotFather. Unset: `make run` opens the terminal chat.")
    telegram_api_base_url: str | None = Field(
        None, description="Another Bot API server, e.g. http://127.0.0.1:8081/bot "
                          "(python-telegram-bot's base_url).")
    webhook_url: str | None = Field(
        None, description="Public HTTPS URL for webhook mode; unset means long polling.")
    webhook_secret: SecretStr | None = Field(
        None, description="Secret token Telegram must send with each webhook request.")
    webhook_listen: str = Field("127.0.0.1", description="Address the webhook server binds.")
    webhook_port: int = Field(8443, description="Port the webhook server binds.")
    telegram_rate_limit: bool = Field(
        True, description="Keep to Telegram's bot-wide send limits (AIORateLimiter). false "
                          "only for benchmarks against a local Bot API server.")

    # Storage and privacy
    database_url: str = Field(
        f"sqlite:///{DATA_DIR}/raise_my_case.sqlite3",
        description="SQLAlchemy URL; a postgresql:// URL moves storage to PostgreSQL.")
    id_hmac_secret: SecretStr | None = Field(
        None, description="Secret for keying user ids. Unset: one is generated into "
                          "data/id_secret on first start (keep it, or ids no longer match).")
    conversation_ttl_days: int = Field(
        30, description="Days after the last message before a conversation is erased.")

    # NLU
    rasa_url: str | None = Field(
        None, description="Base URL of the Rasa server. Unset: http://127.0.0.1:$RASA_PORT.")
    rasa_port: int = Field(5005, description="Port of the local Rasa server.")
    rasa_auth_token: SecretStr | None = Field(
        None, description="Token of a Rasa server elsewhere (its --auth-token). The local one "
        "gets a fresh token at every start.")
    nlu_enabled: bool = Field(True, description="Set false to run with buttons only.")
    nlu_timeout_seconds: float = Field(
        2.0, description="How long one parse may take before the bot carries on with buttons.")
    nlu_confidence_threshold: float = Field(
        0.55, description="Below this the bot asks the person to confirm what it understood.")

    # Representatives
    lookups_enabled: bool = Field(
        True, description="Set false to skip live look-ups (offline: official links only).")
    postcodes_api_url: str = Field("https://api.postcodes.io", description="postcodes.io base URL.")
    members_api_url: str = Field(
        "https://members-api.parliament.uk/api", description="UK Parliament Members API base URL.")
    scotparl_api_url: str = Field(
        "https://data.parliament.scot/api", description="Scottish Parliament open data base URL.")
    niassembly_api_url: str = Field(
        "https://data.niassembly.gov.uk", description="NI Assembly open data base URL.")
    twfy_api_key: SecretStr | None = Field(
        None, description="TheyWorkForYou API key; enables it as an extra provider.")
    twfy_api_url: str = Field(
        "https://www.theyworkforyou.com/api", description="TheyWorkForYou API base URL.")
    http_timeout_seconds: float = Field(6.0, description="Timeout of one upstream request.")

    log_level: str = Field("INFO", description="Python logging level.")

    @property
    def effective_rasa_url(self) -> str:
        return self.rasa_url or f"http://127.0.0.1:{self.rasa_port}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
