"""A button's label, typed instead of tapped, counts as the tap.

People on a basic phone, or reading a language they half know, often type what a
button says ("skip", "نعم", "Not sure") rather than tap it. The label is matched in
the person's language and in English, after folding case, accents-free forms and
punctuation; only a whole-label match counts, so a sentence that merely contains
"no" is never taken for the No button. Rendering needs the catalogs, so this lives in
the shell, beside the renderer.
"""

from __future__ import annotations

import re
import unicodedata

from bot.i18n import Renderer
from flows.engine import State, prompt
from flows.events import Button

_NOT_WORD = re.compile(r"[^\w\s]", re.UNICODE)
_LONGEST_LABEL = 60


def fold(text: str) -> str:
    """Case, width and punctuation folded away ("✓ Refused!" -> "refused")."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NOT_WORD.sub(" ", normal).split())


def typed_button(state: State, text: str) -> Button | None:
    """The button of the current question whose label this text is, if any."""
    wanted = fold(text)
    if not wanted or len(wanted) > _LONGEST_LABEL:
        return None
    renderers = [Renderer(state.language)]
    if renderers[0].code != "en":
        renderers.append(Renderer("en"))
    for row in prompt(state).choices:
        for choice in row:
            if any(fold(renderer.render(choice.label)) == wanted for renderer in renderers):
                return Button(choice.data)
    return None
