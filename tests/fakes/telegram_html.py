"""Text as Telegram reads it: its HTML subset parsed, lengths in UTF-16 code units.

A message the bot sends is checked here the way Telegram checks it, and refused
with `BadRequest` where Telegram would refuse it.
"""

from __future__ import annotations

import html
import re

_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
         "a", "tg-emoji", "code", "pre", "blockquote"}
_TOKENS = re.compile(r"(<[^>]*>|&[^;\s<>&]*;)")
_ENTITIES = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class BadRequest(Exception):
    """What Telegram answers 400 with; the message is its `description`."""


def parse_html(text: str) -> str:
    """The text a person sees, as Telegram parses HTML; BadRequest where Telegram would refuse."""
    open_tags: list[str] = []
    visible: list[str] = []
    for token in _TOKENS.split(text):
        if not token:
            continue
        if token.startswith("<"):
            match = re.fullmatch(r"<(/?)([a-z-]+)(\s[^>]*)?>", token)
            if match is None or match.group(2) not in _TAGS:
                raise BadRequest(f"Bad Request: can't parse entities: unsupported tag {token!r}")
            closing, name = match.group(1) == "/", match.group(2)
            if closing:
                if not open_tags or open_tags[-1] != name:
                    raise BadRequest(f"Bad Request: can't parse entities: unmatched </{name}>")
                open_tags.pop()
            else:
                open_tags.append(name)
        elif token.startswith("&"):
            if not _ENTITIES.fullmatch(token):
                raise BadRequest("Bad Request: can't parse entities: unsupported entity")
            visible.append(html.unescape(token))
        else:
            if any(ch in token for ch in "<>&"):
                raise BadRequest("Bad Request: can't parse entities: unescaped <, > or &")
            visible.append(token)
    if open_tags:
        raise BadRequest(f"Bad Request: can't parse entities: <{open_tags[-1]}> not closed")
    return "".join(visible).strip()


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (message limits, entity offsets)."""
    return len(text.encode("utf-16-le")) // 2
