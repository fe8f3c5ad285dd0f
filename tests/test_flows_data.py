"""Centres, postcodes, durations and drafts: the small pure pieces people depend on."""

from __future__ import annotations

from datetime import date

import pytest

from flows.answers import parse_duration_months
from flows.case import Case, Relationship, Situation, Writer, bound_text
from flows.centres import CENTRES, find_centre, open_centres
from flows.drafts import DraftKind, LetterContext, available_drafts, draft_letter
from flows.postcodes import find_postcode, guess_nation, normalise_postcode, outward_code
from flows.signposts import Verification, signposts_for
from flows.text import Gap


@pytest.mark.parametrize(
    ("typed", "centre_id"),
    [("harmonsworth", "harmondsworth"), ("Yarls wood", "yarls_wood"), ("yarlswood", "yarls_wood"),
     ("BROOKHOUSE", "brook_house"), ("dungavl", "dungavel"), ("colnbrok", "colnbrook"),
     ("بروك هاوس", "brook_house"), ("i am in campsfield house now", "campsfield")],
)
def test_centres_are_found_despite_typos_and_scripts(typed: str, centre_id: str) -> None:
    found = find_centre(typed)
    assert found is not None and found.id == centre_id


def test_nonsense_is_not_a_centre() -> None:
    assert find_centre("pizza") is None
    assert find_centre("") is None


def test_closed_and_planned_centres_are_not_offered() -> None:
    offered = {c.id for c in open_centres()}
    assert "morton_hall" not in offered and "haslar" not in offered
    assert all(c.source_date for c in CENTRES)  # every entry says how old it is


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("b129qj", "B12 9QJ"), (" sw1a  1aa. ", "SW1A 1AA"), ("G51-4TB", "G51 4TB"),
     ("cf10 4au", "CF10 4AU"), ("my house", None), ("B12", None)],
)
def test_postcodes_are_normalised(typed: str, expected: str | None) -> None:
    assert normalise_postcode(typed) == expected


def test_postcode_found_inside_a_sentence_and_outward_codes() -> None:
    assert find_postcode("i live at bt7 1nn in belfast") == "BT7 1NN"
    assert outward_code("b12") == "B12"
    assert guess_nation("BT7 1NN").value == "northern_ireland"
    assert guess_nation("EH1 1YZ").value == "scotland"
    assert guess_nation("CH1 1AA") is None  # a border area: the look-up decides


@pytest.mark.parametrize(
    ("typed", "months"),
    [("3 years", 36), ("18 months", 18), ("٣ سنوات", 36), ("۲ سال", 24), ("waiting", None),
     ("8", None)],
)
def test_waiting_time_is_read_from_short_answers(typed: str, months: int | None) -> None:
    assert parse_duration_months(typed) == months


def test_bound_text_strips_controls_and_keeps_persian_joiners() -> None:
    assert bound_text("می\u200cخواهم \u202eX\x00") == "می\u200cخواهم X"
    assert len(bound_text("word " * 1000)) <= 601


NO_ONE = LetterContext(today=date(2026, 12, 7))  # nobody looked up yet


def test_consent_letter_has_the_fields_of_a_letter_of_authority() -> None:
    case = Case(writer=Writer.HELPER, relationship=Relationship.SISTER,
                situations=(Situation.DETAINED,), centre_id="derwentside")
    letter = draft_letter(DraftKind.CONSENT, case, NO_ONE)
    keys = [p.key for p in letter.paragraphs]
    for field in ("name", "other_names", "dob", "nationality", "current_address", "detainee_no",
                  "home_address", "contact", "ref", "lawyer", "about"):
        assert f"consent.field.{field}" in keys
    assert "consent.authority2" in keys and "consent.helper3" in keys
    assert keys[-2:] == ["consent.signature", "consent.date"]


def test_missing_facts_are_gaps_never_invented() -> None:
    case = Case(writer=Writer.SELF, situations=(Situation.DETAINED,))
    letter = draft_letter(DraftKind.MP_CASE, case, NO_ONE)
    gaps = [v for p in letter.paragraphs for v in p.params.values() if isinstance(v, Gap)]
    assert {g.key for g in gaps} >= {"gap.your_address", "gap.centre", "gap.ho_ref",
                                      "gap.your_name"}
    assert letter.paragraphs[0].key == "draft.dear.mp"  # the role, when no name is known


def test_drafts_on_offer_fit_the_case() -> None:
    helper = Case(writer=Writer.HELPER, situations=(Situation.DETAINED,))
    assert available_drafts(helper)[:3] == [DraftKind.HELPER_TO_OWN_MP, DraftKind.CENTRE_MP,
                                            DraftKind.CONSENT]
    silent = Case(writer=Writer.SELF, situations=(Situation.REFUSED,), mp_did_not_reply=True)
    assert available_drafts(silent)[0] is DraftKind.CHASER


def test_signposts_show_verified_first_and_never_closed() -> None:
    case = Case(writer=Writer.SELF, situations=(Situation.DETAINED, Situation.REMOVAL))
    shown = signposts_for(case)
    assert shown[0].id == "ddas"
    assert all(s.verification is not Verification.CLOSED for s in shown)


def test_a_helper_letter_speaks_of_their_reference_not_mine() -> None:
    from bot.i18n import Renderer

    case = Case(writer=Writer.HELPER, relationship=Relationship.BROTHER,
                situations=(Situation.DETAINED,), centre_id="brook_house")
    text = " ".join(Renderer("en").render(p)
                    for p in draft_letter(DraftKind.CENTRE_MP, case, NO_ONE).paragraphs)
    assert "Their Home Office reference number" in text
    assert "My Home Office reference number" not in text
