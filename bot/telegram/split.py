"""Cutting long texts into pieces Telegram accepts.

Telegram's limits (4096 characters for a message, 1024 for a caption) are counted
after the HTML is parsed, and in UTF-16 code units: an emoji or a rare CJK character
counts twice. Counting that way keeps every piece under the real limit.
"""

from __future__ import annotations

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Pieces of at most `limit` UTF-16 units, cut between paragraphs, else lines, else words.

    The whitespace at a cut is dropped; nothing else is. An empty text gives no pieces.
    """
    if limit < 2:
        raise ValueError("limit too small to hold any character")
    pieces: list[str] = []
    rest = text.strip()
    while rest:
        if utf16_len(rest) <= limit:
            pieces.append(rest)
            break
        window = _longest_prefix(rest, limit)
        cut = len(window) if rest[len(window)].isspace() else _best_cut(window)
        piece = rest[:cut].rstrip()
        pieces.append(piece)
        rest = rest[cut:].lstrip()
    return pieces


def _longest_prefix(text: str, limit: int) -> str:
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return text[:index]
    return text


def _best_cut(window: str) -> int:
    # Prefer the latest natural break, but not one so early that pieces become tiny.
    floor = len(window) // 3
    for separator in ("\n\n", "\n", " "):
        at = window.rfind(separator)
        if at > floor:
            return at
    return len(window)
