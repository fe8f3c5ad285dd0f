"""Keying people: a Telegram id is never stored in the clear, only its HMAC."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path


def load_or_create_secret(configured: str | None, path: Path) -> bytes:
    """The configured secret, or one generated once and kept next to the database."""
    if configured:
        return configured.encode()
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32).encode()
    # Created readable by the owner only: whoever has it can link rows to accounts.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(value)
    return value


def user_key(secret: bytes, platform: str, user_id: int | str) -> str:
    return hmac.new(secret, f"{platform}:{user_id}".encode(), hashlib.sha256).hexdigest()
