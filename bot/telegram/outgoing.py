"""Engine replies as Telegram messages: HTML text, keyboards, and draft documents.

Pure: no network. Every piece of text (translations, names, the person's own
words) is escaped; the only markup is ours (<b>, <pre>, <blockquote>). Long texts
are split within Telegram's limits, and a keyboard always rides on the last piece
so the buttons sit under the question.

A draft becomes: a short message with who it goes to and the English letter in a
<pre> block (a tap copies it on phones), the translation folded in an expandable
quote, and the whole thing as a .txt file that can be kept, printed or forwarded.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from html.parser import HTMLParser

from telegram import InlineKeyboardMarkup

from bot.bidi import without_direction_marks
from bot.i18n import Renderer
from bot.render import TRANSLATION_HEADING, draft_as_text, render_draft, render_say
from bot.telegram.keyboards import inline_keyboard
from bot.telegram.split import MESSAGE_LIMIT, split_text, utf16_len
from bot.telegram.texts import DRAFT_COPY_HINT, DRAFT_FILE_CAPTION
from flows.replies import Say, SendDraft

# Room kept for our own text around a split piece: "(12/12)\n" and headings.
_PIECE_LABEL_ROOM = 16


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes
    caption: str  # HTML


@dataclass(frozen=True)
class Outgoing:
    """One Telegram message: HTML text with an optional keyboard, or a document."""

    text: str = ""
    keyboard: InlineKeyboardMarkup | None = None
    document: Document | None = None
    private: bool = False  # holds case facts or contact details: never for a group


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def say_messages(say: Say, renderer: Renderer) -> list[Outgoing]:
    rendered = render_say(say, renderer)
    # Telegram refuses an empty message; a Say without words still needs its buttons shown.
    pieces = split_text(rendered.text) or ["…"]
    keyboard = inline_keyboard(rendered.buttons)
    messages = [Outgoing(escape(piece), private=say.private) for piece in pieces]
    last = messages[-1]
    messages[-1] = Outgoing(last.text, keyboard, private=say.private)
    return messages


def draft_messages(draft: SendDraft, renderer: Renderer) -> list[Outgoing]:
    rendered = render_draft(draft, renderer)
    head_plain = "\n".join(p for p in (rendered.title, rendered.recipient) if p)
    hint = renderer.render(DRAFT_COPY_HINT)
    head = f"<b>{escape(rendered.title)}</b>"
    if rendered.recipient:
        head += "\n" + escape(rendered.recipient)
    head += "\n\n" + escape(hint)

    messages: list[Outgoing] = []
    head_len = utf16_len(head_plain) + utf16_len(hint) + 2
    if head_len + utf16_len(rendered.english) + 1 <= MESSAGE_LIMIT - _PIECE_LABEL_ROOM:
        messages.append(Outgoing(f"{head}\n<pre>{escape(rendered.english)}</pre>", private=True))
    else:
        if head_len <= MESSAGE_LIMIT:
            messages.append(Outgoing(head, private=True))
        else:  # a recipient with pages of details: plain pieces, no bold title
            messages += [Outgoing(escape(piece), private=True)
                         for piece in split_text(f"{head_plain}\n\n{hint}")]
        messages += _labelled_blocks(rendered.english, "<pre>{}</pre>")
    if rendered.translation:
        heading = renderer.render(TRANSLATION_HEADING)
        blocks = _labelled_blocks(rendered.translation, "<blockquote expandable>{}</blockquote>",
                                  room=utf16_len(heading) + 2)
        first = blocks[0]
        blocks[0] = Outgoing(f"<b>{escape(heading)}</b>\n{first.text}", private=True)
        messages += blocks
    document = Document(
        filename=letter_filename(rendered.title),
        content=(draft_as_text(rendered, renderer) + "\n").encode("utf-8"),
        caption=escape(renderer.render(DRAFT_FILE_CAPTION)),
    )
    messages.append(Outgoing(document=document, private=True))
    return messages


def letter_filename(title: str) -> str:
    """The letter's title in the person's language as a file name: "رسالة إلى….txt"."""
    cleaned = "".join(ch if ch.isalnum() else " " for ch in without_direction_marks(title))
    words = cleaned.split()
    name = "-".join(words)[:60].strip("-")
    return f"{name or 'letter'}.txt"


def _labelled_blocks(text: str, wrapper: str, room: int = 0) -> list[Outgoing]:
    """`text` in one or more blocks; several are numbered (1/3) so none looks complete."""
    pieces = split_text(text, MESSAGE_LIMIT - _PIECE_LABEL_ROOM - room) or ["…"]
    if len(pieces) == 1:
        return [Outgoing(wrapper.format(escape(pieces[0])), private=True)]
    total = len(pieces)
    return [Outgoing(f"({number}/{total})\n" + wrapper.format(escape(piece)), private=True)
            for number, piece in enumerate(pieces, start=1)]


def reply_messages(replies: list[Say | SendDraft], renderer: Renderer) -> list[Outgoing]:
    messages: list[Outgoing] = []
    for reply in replies:
        if isinstance(reply, Say):
            messages += say_messages(reply, renderer)
        else:
            messages += draft_messages(reply, renderer)
    return messages


def plain_text(message: Outgoing) -> str:
    """What a person reads: the HTML without our tags (used to spot an unchanged question)."""
    parts: list[str] = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = parts.append  # type: ignore[method-assign]
    parser.feed(message.text)
    parser.close()
    return "".join(parts)
