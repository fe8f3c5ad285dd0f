"""A Bot API request's form (urlencoded or multipart), decoded as python-telegram-bot encodes it.

Parameters it sends JSON-encoded come back as objects, ids and counts as ints, and
uploaded files as (filename, bytes).
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from urllib.parse import parse_qsl

from tests.fakes.json_server import JsonObject

# Parameters python-telegram-bot sends JSON-encoded inside a form.
_JSON_PARAMS = {"reply_markup", "commands", "scope", "allowed_updates", "reply_parameters",
                "link_preview_options", "entities", "caption_entities"}
_INT_PARAMS = {"chat_id", "message_id", "offset", "limit", "timeout", "max_connections"}


def decode_form(content_type: str,
                body: bytes) -> tuple[JsonObject, dict[str, tuple[str, bytes]]]:
    """A form (urlencoded or multipart) as python-telegram-bot sends it."""
    files: dict[str, tuple[str, bytes]] = {}
    raw: dict[str, str] = {}
    if content_type.startswith("multipart/form-data"):
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
        for part in message.iter_parts():  # type: ignore[attr-defined]
            name = part.get_param("name", header="content-disposition")
            filename = part.get_filename()
            payload = part.get_payload(decode=True) or b""
            if filename is not None:
                files[name] = (filename, payload)
            else:
                raw[name] = payload.decode("utf-8")
    elif body:
        raw = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    params: JsonObject = {}
    for key, value in raw.items():
        if key in _JSON_PARAMS:
            params[key] = json.loads(value)
        elif key in _INT_PARAMS and re.fullmatch(r"-?\d+", value):
            params[key] = int(value)
        else:
            params[key] = value
    return params, files
