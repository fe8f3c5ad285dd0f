"""Free-advice signposts follow the nation whose legal system applies, and rank by how
well each entry was verified (docs/guidance.md, F8)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flows.case import Case, Nation, Situation, Writer
from flows.centres import CENTRES, open_centres
from flows.signposts import SIGNPOSTS, Signpost, Verification, signposts_for

ENGLAND_ONLY_URL = "find-legal-advice.justice.gov.uk"
LEGAL_AID_ROUTE = {
    Nation.ENGLAND: "find_legal_aid",
    Nation.WALES: "find_legal_aid",
    Nation.SCOTLAND: "scotland_solicitors",
    Nation.NORTHERN_IRELAND: "ni_solicitors",
}
RANK = {Verification.VERIFIED: 0, Verification.PARTLY_VERIFIED: 1, Verification.UNCERTAIN: 2}
DETENTION_ONLY = {"ddas", "bid", "medical_justice", "sdv", "larne_visitors"}

SITUATIONS: tuple[tuple[Situation, ...], ...] = (
    (),
    (Situation.REFUSED,),
    (Situation.REMOVAL,),
    (Situation.DETAINED,),
    (Situation.REMOVAL, Situation.DETAINED),
)


def ids(signs: tuple[Signpost, ...]) -> list[str]:
    return [s.id for s in signs]


def every_case() -> Iterator[tuple[Case, Nation]]:
    """Every home nation (or none) × situation × centre, with the nation that applies."""
    for home in (None, *Nation):
        for situations in SITUATIONS:
            for writer in Writer:
                base = Case(writer=writer, situations=situations, nation=home)
                yield base, home or Nation.ENGLAND
                if Situation.DETAINED in situations:
                    for centre in CENTRES:
                        yield base.update(centre_id=centre.id), centre.nation


ALL_CASES = list(every_case())


def test_someone_held_at_dungavel_gets_no_england_only_service_but_the_scottish_route() -> None:
    for home in (None, Nation.ENGLAND, Nation.WALES):
        for situations in ((Situation.DETAINED,), (Situation.REMOVAL, Situation.DETAINED)):
            case = Case(writer=Writer.SELF, situations=situations, centre_id="dungavel",
                        nation=home)
            shown = signposts_for(case)
            assert "ddas" not in ids(shown)
            assert "find_legal_aid" not in ids(shown)
            assert not any(s.website and ENGLAND_ONLY_URL in s.website for s in shown)
            assert "scotland_solicitors" in ids(shown)
            assert all(Nation.SCOTLAND in s.nations for s in shown)


def test_someone_held_at_dungavel_is_offered_scottish_detainee_visitors() -> None:
    case = Case(writer=Writer.HELPER, situations=(Situation.DETAINED,), centre_id="dungavel")
    assert "sdv" in ids(signposts_for(case))


def test_someone_held_at_larne_house_gets_northern_ireland_routes() -> None:
    for writer in Writer:
        case = Case(writer=writer, situations=(Situation.DETAINED,), centre_id="larne_house",
                    nation=Nation.ENGLAND)
        shown = ids(signposts_for(case))
        assert "ni_solicitors" in shown
        assert "law_centre_ni" in shown
        assert "ddas" not in shown
        assert "find_legal_aid" not in shown


@pytest.mark.parametrize(("nation", "local"), [
    (Nation.SCOTLAND, "scottish_refugee_council"),
    (Nation.WALES, "welsh_refugee_council"),
    (Nation.NORTHERN_IRELAND, "law_centre_ni"),
])
def test_a_home_in_scotland_wales_or_northern_ireland_gets_its_own_legal_aid_route(
        nation: Nation, local: str) -> None:
    for situations in SITUATIONS:
        # No centre known: the home nation applies, even for someone detained.
        case = Case(writer=Writer.SELF, situations=situations, nation=nation)
        shown = signposts_for(case)
        assert LEGAL_AID_ROUTE[nation] in ids(shown), situations
        assert "ddas" not in ids(shown)
        assert all(nation in s.nations for s in shown)
        if not case.has(Situation.DETAINED) and not case.has(Situation.REMOVAL):
            assert local in ids(shown)


def test_someone_held_in_an_english_centre_gets_ddas_whatever_their_home_nation() -> None:
    for home in (None, *Nation):
        for centre in ("harmondsworth", "brook_house", "derwentside"):
            case = Case(writer=Writer.SELF, situations=(Situation.DETAINED,), centre_id=centre,
                        nation=home)
            shown = signposts_for(case)
            assert shown[0].id == "ddas"
            assert "find_legal_aid" in ids(shown)
            assert "scotland_solicitors" not in ids(shown)


def test_verified_entries_come_before_partly_verified_ones_in_every_case() -> None:
    for case, _ in ALL_CASES:
        for limit in (3, 5, len(SIGNPOSTS)):
            ranks = [RANK[s.verification] for s in signposts_for(case, limit=limit)]
            assert ranks == sorted(ranks), (case, ids(signposts_for(case, limit=limit)))


def test_within_a_level_entries_that_fit_the_situation_come_first_then_the_nations_own() -> None:
    for case, _ in ALL_CASES:
        detained, removal = case.has(Situation.DETAINED), case.has(Situation.REMOVAL)

        def key(sign: Signpost, detained: bool = detained, removal: bool = removal) -> tuple:
            fits = (detained and sign.for_detained) or (removal and sign.for_removal)
            return (RANK[sign.verification], not fits, not sign.nation_specific)

        shown = signposts_for(case, limit=len(SIGNPOSTS))
        assert [key(s) for s in shown] == sorted(key(s) for s in shown), (case, ids(shown))


def test_only_entries_for_the_nation_that_applies_are_shown() -> None:
    for case, nation in ALL_CASES:
        shown = signposts_for(case, limit=len(SIGNPOSTS))
        assert all(nation in s.nations for s in shown), (case, ids(shown))
        assert LEGAL_AID_ROUTE[nation] in ids(shown)


def test_detention_only_services_are_not_offered_outside_detention_or_removal() -> None:
    for home in (None, *Nation):
        for situations in ((), (Situation.REFUSED,), (Situation.DELAYED,)):
            case = Case(writer=Writer.SELF, situations=situations, nation=home)
            shown = set(ids(signposts_for(case, limit=len(SIGNPOSTS))))
            assert not shown & DETENTION_ONLY


def test_no_entry_appears_twice_and_the_legal_aid_route_survives_any_limit() -> None:
    for case, nation in ALL_CASES:
        for limit in range(1, 8):
            shown = ids(signposts_for(case, limit=limit))
            assert len(shown) == len(set(shown)), (case, shown)
            assert len(shown) <= limit
            assert LEGAL_AID_ROUTE[nation] in shown, (case, limit, shown)


def test_a_legal_aid_route_cut_by_the_limit_replaces_the_last_entry() -> None:
    case = Case(writer=Writer.SELF, situations=(Situation.DETAINED,), centre_id="dungavel")
    full = ids(signposts_for(case, limit=len(SIGNPOSTS)))
    assert full.index("scotland_solicitors") >= 2
    assert ids(signposts_for(case, limit=2)) == [full[0], "scotland_solicitors"]
    assert ids(signposts_for(case, limit=1)) == ["scotland_solicitors"]


def test_a_closed_service_is_kept_with_its_closing_date_but_never_shown() -> None:
    unity = next(s for s in SIGNPOSTS if s.id == "unity_centre")
    assert unity.verification is Verification.CLOSED
    assert unity.checked == "2023-12"
    for case, _ in ALL_CASES:
        shown = signposts_for(case, limit=len(SIGNPOSTS))
        assert all(s.verification is not Verification.CLOSED for s in shown)


def test_every_entry_has_a_checked_date_a_unique_id_and_its_own_message_key() -> None:
    assert len({s.id for s in SIGNPOSTS}) == len(SIGNPOSTS)
    for sign in SIGNPOSTS:
        assert sign.checked.strip(), sign.id
        assert sign.what.key == f"signpost.{sign.id}"
        assert sign.nations


def test_every_open_centre_has_a_nation_and_only_dungavel_and_larne_are_outside_england() -> None:
    outside = {c.id: c.nation for c in open_centres() if c.nation is not Nation.ENGLAND}
    assert outside == {"dungavel": Nation.SCOTLAND, "larne_house": Nation.NORTHERN_IRELAND}
