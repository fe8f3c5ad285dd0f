"""Inline keyboards from the engine's choices, and the callback data coming back.

Callback data is whatever a client sends: it is checked against the shape the
engine uses ("key:value", at most 64 bytes) before the engine sees it. Anything else
becomes an empty press, which the engine answers like a stale button.
"""

from __future__ import annotations

import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

log = logging.getLogger(__name__)

CALLBACK_DATA_MAX_BYTES = 64  # Telegram's limit
_CALLBACK_DATA = re.compile(r"[a-z_]{1,24}:[A-Za-z0-9_.+-]{0,38}")

Rows = tuple[tuple[tuple[str, str], ...], ...]  # rows of (label, callback data)


def callback_data_ok(data: str | None) -> bool:
    return (data is not None and len(data.encode()) <= CALLBACK_DATA_MAX_BYTES
            and _CALLBACK_DATA.fullmatch(data) is not None)


def incoming_button(data: str | None) -> str:
    """The press to hand to the engine: the data when well-formed, else "" (stale)."""
    return data if data is not None and callback_data_ok(data) else ""


def inline_keyboard(rows: Rows) -> InlineKeyboardMarkup | None:
    """Buttons for rendered choices; a button whose data Telegram would refuse is left out."""
    kept: list[list[InlineKeyboardButton]] = []
    for row in rows:
        buttons = []
        for label, data in row:
            if not callback_data_ok(data):
                log.warning("button left out: callback data has the wrong shape")
                continue
            buttons.append(InlineKeyboardButton(label, callback_data=data))
        if buttons:
            kept.append(buttons)
    return InlineKeyboardMarkup(kept) if kept else None


def link_keyboard(label: str, url: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, url=url)]])
