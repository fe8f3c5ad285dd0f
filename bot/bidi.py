"""Right-to-left messages that read right on a phone.

Telegram sets a paragraph's direction from its first strong letter, and inside
right-to-left text a run of Latin words, a postcode, a phone number in groups or a
URL is reordered around its spaces and punctuation ("B12 9QJ" can show as "9QJ B12").
So in Arabic, Persian, Pashto, Urdu and Sorani messages every such run is wrapped in
a left-to-right isolate (LRI … PDI), and every line starts with a right-to-left mark,
so no line opens as left-to-right. The English letter is never passed through here.
"""

from __future__ import annotations

import re

RLM = "\u200f"  # right-to-left mark: a strong right-to-left letter that shows nothing
LRI = "\u2066"  # left-to-right isolate
PDI = "\u2069"  # pop directional isolate

_LATIN = "A-Za-z\u00c0-\u024f"
# A left-to-right run: it starts at a Latin letter, a digit, or what opens a command,
# a phone number, an email or a bracketed English term, and it ends on a letter, a
# digit or a closing bracket.
_RUN = re.compile(
    rf"[{_LATIN}0-9/+@(][{_LATIN}0-9 .,:;/@_+\-()'’&?=%#~*]*[{_LATIN}0-9)/]"
    rf"|[{_LATIN}]"
)
_DIGIT_GROUPS = re.compile(r"\+?\d+(?:[ \-]\d+)+")


def _needs_isolating(run: str) -> bool:
    """Latin letters, a /command or +phone, or digits in several groups (a phone number)."""
    return (re.search(f"[{_LATIN}]", run) is not None or run[0] in "/+"
            or _DIGIT_GROUPS.fullmatch(run) is not None)


def isolate_left_to_right(text: str) -> str:
    """`text` of a right-to-left locale, made safe to show: isolated runs, RLM per line."""
    if LRI in text:  # already done (a rendered piece placed inside another)
        return text

    def wrap(match: re.Match[str]) -> str:
        run = match.group(0)
        if run.count("(") != run.count(")"):  # keep a bracket with its partner
            run = run.strip("()")
            if not run:
                return match.group(0)
            start = match.group(0).index(run)
            before, after = match.group(0)[:start], match.group(0)[start + len(run):]
            return before + (LRI + run + PDI if _needs_isolating(run) else run) + after
        return LRI + run + PDI if _needs_isolating(run) else run

    isolated = _RUN.sub(wrap, text)
    return "\n".join(RLM + line if line else line for line in isolated.split("\n"))


def without_direction_marks(text: str) -> str:
    """The text as a reader sees it (for tests and for comparing)."""
    return text.translate({ord(RLM): None, ord(LRI): None, ord(PDI): None})
