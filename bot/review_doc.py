"""`make review`: every screen and letter in one locale, as a native reviewer reads it.

Writes build/review/<locale>.md for each translated locale: the question of every step
(for someone writing for themselves and for a helper), counted phrases at n = 1, 2, 3
and 11, and every letter kind's translation for a woman and a man writing for
themselves and for a helper writing about a sister, a brother and a friend. Reviewers
and back-translators read these instead of the catalog, so each sentence is seen
where it is used. Not committed: it is made fresh from the catalogs.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from bot.bidi import without_direction_marks
from bot.i18n import Renderer
from bot.letters_doc import CENTRE_MP, HOME_MP, TODAY
from bot.render import render_say
from flows.case import Case, Gender, Nation, Relationship, Situation, Writer
from flows.drafts import (
    KINDS,
    Addressee,
    DraftKind,
    LetterContext,
    addressee_role,
    available_drafts,
    draft_letter,
)
from flows.engine import prompt
from flows.languages import LANGUAGES, LANGUAGES_BY_CODE
from flows.letter_facts import duration
from flows.steps import State, Step

OUT_DIR = Path(__file__).resolve().parent.parent / "build" / "review"
COUNTS = (1, 2, 3, 11)
_SITUATIONS = (Situation.REMOVAL, Situation.DETAINED, Situation.REFUSED, Situation.DELAYED,
               Situation.NO_LAWYER)


def _people() -> list[tuple[str, Case]]:
    base = Case(situations=_SITUATIONS, centre_id="brook_house", removal_date="2026-12-09",
                waiting_months=14, nation=Nation.ENGLAND, postcode="B12 9QJ")
    return [
        ("a woman writing for herself", replace(base, writer=Writer.SELF, gender=Gender.FEMALE)),
        ("a man writing for himself", replace(base, writer=Writer.SELF, gender=Gender.MALE)),
        ("someone writing for themselves who did not say", replace(base, writer=Writer.SELF)),
        ("a helper writing about a sister", replace(base, writer=Writer.HELPER,
                                                    relationship=Relationship.SISTER)),
        ("a helper writing about a brother", replace(base, writer=Writer.HELPER,
                                                     relationship=Relationship.BROTHER)),
        ("a helper writing about a friend", replace(base, writer=Writer.HELPER,
                                                    relationship=Relationship.FRIEND)),
    ]


def _renderer(code: str, case: Case) -> Renderer:
    gender = case.subject_gender
    return Renderer(code, gender.value if gender else None)


def _screens(code: str) -> list[str]:
    out = ["## Screens", ""]
    for who, case in (("for themselves", Case(writer=Writer.SELF)),
                      ("a helper", Case(writer=Writer.HELPER,
                                        relationship=Relationship.SISTER))):
        case = case.with_situations(Situation.DETAINED, Situation.REMOVAL)
        for step in Step:
            if step in (Step.LOOKING_UP, Step.RESULTS):
                continue
            state = State(step=step, language=code, case=case)
            try:
                message = render_say(prompt(state), _renderer(code, case))
            except (KeyError, AssertionError, TypeError):
                continue  # a step that needs results to ask anything
            buttons = " · ".join(label for row in message.buttons for label, _ in row)
            out += [f"### {step.value} ({who})", "", "```text",
                    *without_direction_marks(message.text).splitlines(),
                    f"[{without_direction_marks(buttons)}]", "```", ""]
    return out


def _counts(code: str) -> list[str]:
    renderer = Renderer(code)
    out = ["## Counted phrases", ""]
    for months in (*COUNTS, *(n * 12 for n in COUNTS)):
        phrase = duration(Case(waiting_months=months))
        out.append(f"- {months} months → {without_direction_marks(renderer.render(phrase))}")
    return [*out, ""]


def _letters(code: str) -> list[str]:
    english = Renderer("en")
    out = ["## Letters", ""]
    for who, case in _people():
        native = _renderer(code, case)
        out += [f"### {who}", ""]
        # The letters this case is offered, as the bot offers them (and the chaser).
        kinds = available_drafts(case, has_devolved=False, has_friend_mp=True)
        for kind in (*kinds, *(k for k in (DraftKind.CHASER,) if k not in kinds)):
            spec = KINDS[kind]
            recipient = {Addressee.HOME_MP: HOME_MP, Addressee.CENTRE_MP: CENTRE_MP}.get(
                spec.addressee)
            context = LetterContext(today=TODAY, recipient=recipient,
                                    role=addressee_role(spec.addressee, Nation.ENGLAND),
                                    mps=(HOME_MP, CENTRE_MP), language=code)
            try:
                draft = draft_letter(kind, case, context)
            except (KeyError, ValueError, AssertionError):
                continue  # a kind this case never offers
            title = without_direction_marks(native.render(draft.title))
            text = "\n\n".join(without_direction_marks(native.render(p))
                               for p in draft.paragraphs)
            source = "\n\n".join(english.render(p) for p in draft.paragraphs)
            out += [f"#### {title} (`{kind.value}`)", "", "```text", *text.splitlines(), "```",
                    "", "<details><summary>English</summary>", "", "```text",
                    *source.splitlines(), "```", "", "</details>", ""]
    return out


def render_review(code: str) -> str:
    name = LANGUAGES_BY_CODE[code].native_name
    return "\n".join([f"# {name} ({code}): screens and letters for review", "",
                      "Made by `make review` from the catalogs; do not edit.", "",
                      *_screens(code), *_counts(code), *_letters(code)]) + "\n"


def main(codes: list[str]) -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for code in codes or [lang.code for lang in LANGUAGES if lang.code != "en"]:
        path = OUT_DIR / f"{code}.md"
        path.write_text(render_review(code), encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
