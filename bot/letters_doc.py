"""`make letters`: every draft kind for a handful of typical cases, as reviewers read them.

Writes docs/letters.md: for each case, each letter the bot offers it, in English (the
text to send) and in the case's language (the translation the person reads). It is
for reviewers and native speakers; a test fails when the file is out of date, so a
change to a letter shows up in the diff of this file too.

The people and places are made up; the dates are fixed so the file is stable.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.i18n import Renderer
from flows.case import Case, Nation, Relationship, RemovalWhen, Situation, WaitBand, Writer
from flows.drafts import (
    KINDS,
    Addressee,
    LetterContext,
    addressee_role,
    available_drafts,
    draft_letter,
)
from flows.representatives import Contact, Representative, Role

DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "letters.md"
TODAY = date(2026, 12, 7)


def _mp(name: str, area: str, address_as: str | None = None) -> Representative:
    return Representative(role=Role.MP, name=name, area=area, party="Independent",
                          address_as=address_as,
                          contact=Contact(email="example.mp@parliament.uk"))


HOME_MP = _mp("Ms Alex Example", "Birmingham Ladywood", address_as="Ms Example")
CENTRE_MP = _mp("Mr Sam Sample", "Crawley")
FRIEND_MP = _mp("Rt Hon Jo Placeholder MP", "Reading Central")
DEVOLVED = {
    Nation.SCOTLAND: Representative(role=Role.MSP, name="Robin Test", area="Glasgow Southside"),
    Nation.WALES: Representative(role=Role.MS, name="Rhian Prawf", area="Caerdydd Penarth"),
    Nation.NORTHERN_IRELAND: Representative(role=Role.MLA, name="Pat Trial", area="East Antrim"),
}


@dataclass(frozen=True)
class Example:
    title: str
    language: str
    case: Case
    home_mp: Representative | None = HOME_MP
    centre_mp: Representative | None = None


EXAMPLES: tuple[Example, ...] = (
    Example("Refused, no lawyer, in England (journey 1)", "en", Case(
        writer=Writer.SELF, situations=(Situation.REFUSED, Situation.NO_LAWYER),
        nation=Nation.ENGLAND, own_words="I fled because my life was in danger and I have "
        "nobody to help me with the papers.", own_words_language="en")),
    Example("Detained at Brook House, removal in two days, writing in Arabic (journeys 2, 5)",
            "ar", Case(
                writer=Writer.SELF, situations=(Situation.REMOVAL, Situation.DETAINED,
                                                Situation.NO_LAWYER),
                centre_id="brook_house", removal_date="2026-12-09", nation=Nation.ENGLAND,
                postcode="B12 9QJ",
                own_words="أطفالي في المدرسة هنا ولا أعرف أحداً في بلدي", own_words_language="ar"),
            centre_mp=CENTRE_MP),
    Example("A brother helping, detained at Harmondsworth, with a lawyer (journey 3)", "fa", Case(
        writer=Writer.HELPER, relationship=Relationship.BROTHER,
        situations=(Situation.DETAINED,), centre_id="harmondsworth", has_lawyer=True,
        nation=Nation.ENGLAND), centre_mp=_mp("Mr Sam Sample", "Hayes and Harlington")),
    Example("Waiting three years, with a lawyer (journey 4)", "en", Case(
        writer=Writer.SELF, situations=(Situation.DELAYED,), waiting_months=36,
        has_lawyer=True, nation=Nation.ENGLAND)),
    Example("Refused in Scotland (journey 6)", "en", Case(
        writer=Writer.SELF, situations=(Situation.REFUSED, Situation.NO_LAWYER),
        has_lawyer=False, nation=Nation.SCOTLAND),
        home_mp=_mp("Ms Morag Example", "Glasgow South West")),
    Example("A volunteer in Wales for someone facing removal later, no date known", "ti", Case(
        writer=Writer.HELPER, relationship=Relationship.COMMUNITY_MEMBER,
        situations=(Situation.REMOVAL, Situation.NO_LAWYER), removal_when=RemovalWhen.LATER,
        nation=Nation.WALES), home_mp=_mp("Mr Dafydd Enghraifft", "Cardiff South and Penarth")),
    Example("Waiting four months in Northern Ireland, the MP has not replied", "en", Case(
        writer=Writer.SELF, situations=(Situation.DELAYED, Situation.NO_LAWYER),
        waiting=WaitBand.UNDER_6_MONTHS, has_lawyer=False, nation=Nation.NORTHERN_IRELAND,
        mp_did_not_reply=True),
        home_mp=_mp("Ms Siobhan Example", "Belfast South and Mid Down")),
)


def _context(example: Example, kind_addressee: Addressee) -> LetterContext:
    mps = tuple(mp for mp in (example.home_mp, example.centre_mp) if mp)
    nation = example.case.nation or Nation.ENGLAND
    recipient = {
        Addressee.HOME_MP: example.home_mp,
        Addressee.CENTRE_MP: example.centre_mp,
        Addressee.FRIEND_MP: FRIEND_MP,
        Addressee.DEVOLVED: DEVOLVED.get(nation),
    }.get(kind_addressee)
    role = addressee_role(kind_addressee, nation)
    return LetterContext(today=TODAY, recipient=recipient, role=role, mps=mps,
                         language=example.language)


def render_letters() -> str:
    english = Renderer("en")
    out = [
        "# Letters, as the bot writes them",
        "",
        "Made by `make letters` from `bot/letters_doc.py`; do not edit by hand. Every draft "
        "kind the bot offers each of these made-up cases, in English (the text to send) and, "
        f"for cases in another language, the translation the person reads. Dated {TODAY}.",
        "Reviewers and native speakers: read each letter as the person who signs it, and as "
        "the MP's caseworker who receives it.",
    ]
    for example in EXAMPLES:
        case = example.case
        has_devolved = case.nation in DEVOLVED
        kinds = available_drafts(case, has_devolved=has_devolved, has_friend_mp=True)
        out += ["", f"## {example.title}", "",
                f"Language: {example.language}. Letters offered: "
                + ", ".join(kind.value for kind in kinds) + "."]
        gender = case.subject_gender
        native = Renderer(example.language, gender.value if gender else None)
        for kind in kinds:
            draft = draft_letter(kind, case, _context(example, KINDS[kind].addressee))
            out += ["", f"### {english.render(draft.title)} (`{kind.value}`, signed by "
                    f"{draft.signer.value})", "", "```text",
                    *"\n\n".join(english.render(p) for p in draft.paragraphs).splitlines(),
                    "```"]
            if draft.handover is not None:
                out += ["", f"> {english.render(draft.handover)}"]
            if example.language != "en":
                out += ["", f"Translation ({example.language}):", "", "```text",
                        *"\n\n".join(native.render(p) for p in draft.paragraphs).splitlines(),
                        "```"]
    return "\n".join(out) + "\n"


def main() -> int:
    DOC_PATH.parent.mkdir(exist_ok=True)
    DOC_PATH.write_text(render_letters(), encoding="utf-8")
    print(f"wrote {DOC_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
