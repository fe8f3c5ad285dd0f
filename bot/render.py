"""Rendering engine replies into plain text and button rows for any front end."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import Renderer
from flows.drafts import DraftLetter
from flows.present import person_parts
from flows.replies import Say, SendDraft
from flows.text import t


@dataclass(frozen=True)
class RenderedMessage:
    text: str
    buttons: tuple[tuple[tuple[str, str], ...], ...]  # rows of (label, callback data)
    private: bool = False


@dataclass(frozen=True)
class RenderedDraft:
    title: str
    recipient: str  # who it goes to and how to reach them, in the person's language
    english: str  # the text to send
    translation: str | None  # the same letter in the person's language (None for English)
    language: str


def render_say(say: Say, renderer: Renderer) -> RenderedMessage:
    if say.language is not None and say.language != renderer.code:
        renderer = Renderer(say.language, renderer.gender)
    text = "\n\n".join(renderer.render(part) for part in say.parts)
    rows = tuple(tuple((renderer.render(c.label), c.data) for c in row) for row in say.choices)
    return RenderedMessage(text, rows, say.private)


def render_draft(draft: SendDraft | DraftLetter, renderer: Renderer) -> RenderedDraft:
    """The letter to send and its translation; asked for in their own language (`native`),
    the letter to send is in that language and there is nothing to translate."""
    letter = draft.draft if isinstance(draft, SendDraft) else draft
    native = isinstance(draft, SendDraft) and draft.native
    english = renderer if native else Renderer("en")
    recipient = ""
    if letter.recipient is not None:
        recipient = "\n".join(renderer.render(p) for p in person_parts(letter.recipient))
    translation = None
    if renderer.code != "en" and not native:
        translation = "\n\n".join(renderer.render(p) for p in letter.paragraphs)
    return RenderedDraft(
        title=renderer.render(letter.title),
        recipient=recipient,
        english="\n\n".join(english.render(p) for p in letter.paragraphs),
        translation=translation,
        language=renderer.code,
    )


TRANSLATION_HEADING = t("draft.translation_heading",
                        "Translation, so you know what the letter says (don't send this part):")
ENGLISH_HEADING = t("draft.english_heading", "The letter to send, in English:")
NATIVE_HEADING = t("draft.native_heading", "The letter, in your language:")


def draft_as_text(draft: RenderedDraft, renderer: Renderer) -> str:
    """The whole draft as one plain-text document (the .txt attachment, the terminal)."""
    pieces = [draft.title]
    if draft.recipient:
        pieces.append(draft.recipient)
    pieces += [renderer.render(ENGLISH_HEADING if draft.language == "en" or draft.translation
                               else NATIVE_HEADING), draft.english]
    if draft.translation:
        pieces += [renderer.render(TRANSLATION_HEADING), draft.translation]
    return "\n\n".join(pieces)
