"""LiveFinder end to end: real SQLite cache, every upstream served by respx.

What a person would notice: the right MP (and devolved members) for a postcode in
each nation, an explained problem for bad postcodes, and an answer — stale or
partial, but an answer — when an upstream is down, slow or talking nonsense.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import respx
from pydantic import SecretStr

from bot.lookups import LiveFinder, OfflineFinder, build_finder
from bot.lookups.cache import LookupCache
from bot.lookups.http import JsonClient
from bot.lookups.members import MembersClient
from bot.lookups.ministers import MinistersClient
from bot.lookups.niassembly import NiAssemblyClient
from bot.lookups.postcodes import PostcodesClient
from bot.lookups.scotland import ScottishParliamentClient
from bot.lookups.twfy import TwfyClient
from bot.settings import Settings
from bot.storage.db import create_db_engine
from flows.case import Nation
from flows.centres import CENTRES_BY_ID
from flows.representatives import LookupProblem, Purpose, Role
from tests.lookup_support import FIXTURES, Clock, RecordedSleeps, load, serve_ministers

POSTCODES = "https://postcodes.test"
MEMBERS = "https://members.test/api"
SCOTPARL = "https://scotparl.test/api"
NIA = "https://nia.test"
TWFY = "https://twfy.test/api"
SEARCH = f"{MEMBERS}/Location/Constituency/Search"






@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "lookups.sqlite3"


def make_finder(db_path: Path, clock: Clock, sleeps: RecordedSleeps,
                twfy_key: str | None = None) -> LiveFinder:
    http = JsonClient(timeout_seconds=1.0, sleep=sleeps)
    members = MembersClient(http, MEMBERS)
    return LiveFinder(
        http=http,
        cache=LookupCache(create_db_engine(f"sqlite:///{db_path}"), secret=b"test", now=clock),
        postcodes=PostcodesClient(http, POSTCODES),
        members=members,
        ministers=MinistersClient(http, MEMBERS, members),
        scotland=ScottishParliamentClient(http, SCOTPARL),
        niassembly=NiAssemblyClient(http, NIA),
        twfy=TwfyClient(http, TWFY, twfy_key) if twfy_key else None,
    )


@pytest.fixture
async def finder(db_path, clock, sleeps):
    live = make_finder(db_path, clock, sleeps)
    yield live
    await live.aclose()


@pytest.fixture
async def finder_with_twfy(db_path, clock, sleeps):
    live = make_finder(db_path, clock, sleeps, twfy_key="TEST-KEY")
    yield live
    await live.aclose()


# --- what each nation's happy path serves -------------------------------------------------

def serve_postcode(router: respx.MockRouter, compact: str, fixture: str) -> respx.Route:
    return router.get(f"{POSTCODES}/postcodes/{compact}").respond(200, json=load(fixture))


def serve_mp(router: respx.MockRouter, constituency: str, search: str, member_id: int,
             contact: str, focus: str) -> respx.Route:
    route = router.get(SEARCH, params={"searchText": constituency}).respond(
        200, json=load(search))
    router.get(f"{MEMBERS}/Members/{member_id}/Contact").respond(200, json=load(contact))
    router.get(f"{MEMBERS}/Members/{member_id}/Focus").respond(200, json=load(focus))
    return route


def serve_england(router: respx.MockRouter) -> tuple[respx.Route, respx.Route]:
    postcode = serve_postcode(router, "WC1X8QD", "postcodes_io_postcode_england_WC1X8QD.json")
    search = serve_mp(router, "Holborn and St Pancras",
                      "members_api_location_constituency_search_holborn.json", 4514,
                      "members_api_member_contact.json", "members_api_member_focus.json")
    return postcode, search


def serve_scotland(router: respx.MockRouter) -> None:
    serve_postcode(router, "IV23PU", "postcodes_io_postcode_scotland_IV23PU.json")
    router.get(f"{POSTCODES}/scotland/postcodes/IV23PU").respond(
        200, json=load("postcodes_io_scotland_postcode_IV23PU.json"))
    serve_mp(router, "Inverness, Skye and West Ross-shire",
             "members_api_location_constituency_search.json", 5362,
             "members_api_member_contact_5362.json", "members_api_member_focus_5362.json")
    for path in (FIXTURES / "scotparl").glob("*.json"):
        router.get(f"{SCOTPARL}/{path.stem}").respond(200, json=json.loads(path.read_text()))


def serve_wales(router: respx.MockRouter, fixture: str) -> None:
    serve_postcode(router, "CF104AU", fixture)
    serve_mp(router, "Cardiff South and Penarth",
             "members_api_location_constituency_search_cardiff.json", 9201,
             "members_api_member_contact_generic.json", "members_api_member_focus_empty.json")


def serve_northern_ireland(router: respx.MockRouter) -> None:
    serve_postcode(router, "BT71NN", "postcodes_io_postcode_ni_BT71NN.json")
    serve_mp(router, "Belfast South and Mid Down",
             "members_api_location_constituency_search_belfast_south.json", 9301,
             "members_api_member_contact_generic.json", "members_api_member_focus_empty.json")
    router.get(f"{NIA}/members.asmx/GetAllCurrentMembers_JSON").respond(
        200, json=load("niassembly_GetAllCurrentMembers_JSON.json"))
    router.get(f"{NIA}/members.asmx/GetAllMemberContactDetails_JSON").respond(
        200, json=load("niassembly_GetAllMemberContactDetails_JSON.json"))


async def test_england_a_lowercase_postcode_without_space_finds_the_mp_and_local_routes(finder):
    with respx.mock as router:
        serve_england(router)
        result = await finder.by_postcode("  wc1x8qd. ", Purpose.HOME)
    assert result.problem is None and not result.stale
    area = result.area
    assert area is not None
    assert area.postcode == "WC1X 8QD"
    assert area.nation is Nation.ENGLAND
    assert area.constituency == "Holborn and St Pancras"
    assert (area.council, area.ward) == ("Camden", "King's Cross")
    mp = result.mp
    assert mp is not None
    assert mp.name == "Sir Keir Starmer"
    assert mp.contact.email == "keir.starmer.mp@parliament.uk"
    assert mp.contact.profile_url == "https://members.parliament.uk/member/4514"
    assert mp.interests  # G6/G7 material
    councillors = result.of_role(Role.COUNCILLORS)[0]
    assert councillors.contact.website == "https://www.writetothem.com/?pc=WC1X+8QD&a=council"
    assert result.of_role(Role.MAYOR)[0].area == "Greater London Authority"
    assert result.of_role(Role.MSP) == () and result.of_role(Role.MS) == ()


async def test_scotland_the_mp_and_all_eight_msps_with_their_emails(finder):
    with respx.mock as router:
        serve_scotland(router)
        result = await finder.by_postcode("IV2 3PU", Purpose.HOME)
    assert result.problem is None
    assert result.area is not None and result.area.nation is Nation.SCOTLAND
    assert result.area.devolved_constituency == "Inverness and Nairn"
    assert result.area.devolved_region == "Highlands and Islands"
    mp = result.mp
    assert mp is not None
    assert mp.name == "Mr Angus MacDonald"
    assert mp.party == "Liberal Democrat"
    assert mp.contact.email == "angus.macdonald.mp@parliament.uk"
    assert mp.contact.address == "Constituency Office, 1 Example Street, Inverness, IV1 1AA"
    assert "Political Interests: Immigration and asylum, Housing" in mp.interests
    msps = result.of_role(Role.MSP)
    assert len(msps) == 8
    constituency_msp = next(m for m in msps if not m.regional)
    assert constituency_msp.name == "Mhairi Example"
    assert constituency_msp.contact.email == "mhairi.example.msp@parliament.scot"
    assert sum(m.regional for m in msps) == 7
    assert result.of_role(Role.COUNCILLORS)[0].area == "Highland"
    assert result.of_role(Role.MAYOR) == ()


async def test_wales_without_a_key_gives_an_honest_senedd_route(finder):
    with respx.mock as router:
        serve_wales(router, "postcodes_io_postcode_wales_CF104AU.json")
        result = await finder.by_postcode("CF10 4AU", Purpose.HOME)
    assert result.problem is None  # the route is the designed answer, not a failure
    assert result.area is not None and result.area.devolved_constituency == "Caerdydd Penarth"
    assert result.mp is not None and result.mp.name == "Ms Rhian Example"
    (ms,) = result.of_role(Role.MS)
    assert ms.name is None and ms.area == "Caerdydd Penarth"
    assert ms.contact.profile_url == "https://senedd.wales/find-a-member-of-the-senedd/"
    assert ms.contact.website == "https://www.writetothem.com/?pc=CF10+4AU"


async def test_wales_with_a_theyworkforyou_key_names_the_six_members(finder_with_twfy):
    with respx.mock as router:
        serve_wales(router, "postcodes_io_postcode_wales_CF104AU.json")
        router.get(f"{TWFY}/getMS").respond(200, json=load("twfy_getMS_by_postcode_built.json"))
        result = await finder_with_twfy.by_postcode("CF10 4AU", Purpose.HOME)
    members = result.of_role(Role.MS)
    assert len(members) == 6
    assert all(m.name and m.area == "Caerdydd Penarth" for m in members)
    assert result.problem is None


async def test_wales_before_the_senedd_fields_existed_still_gives_the_route(finder):
    with respx.mock as router:
        serve_wales(router, "postcodes_io_postcode_wales_no_senedd_field.json")
        result = await finder.by_postcode("CF10 4AU", Purpose.HOME)
    (ms,) = result.of_role(Role.MS)
    assert ms.name is None and ms.area is None
    assert ms.contact.website == "https://www.writetothem.com/?pc=CF10+4AU"


async def test_northern_ireland_the_mp_and_five_mlas(finder):
    with respx.mock as router:
        serve_northern_ireland(router)
        result = await finder.by_postcode("BT7 1NN", Purpose.HOME)
    assert result.problem is None
    assert result.area is not None and result.area.nation is Nation.NORTHERN_IRELAND
    assert result.area.devolved_constituency == "Belfast South"
    assert result.mp is not None and result.mp.name == "Ms Orla Example"
    mlas = result.of_role(Role.MLA)
    assert len(mlas) == 5
    assert all(m.contact.email for m in mlas)


async def test_ni_assembly_down_falls_back_to_theyworkforyou(finder_with_twfy):
    with respx.mock as router:
        serve_northern_ireland(router)
        router.get(f"{NIA}/members.asmx/GetAllCurrentMembers_JSON").respond(503)
        router.get(f"{TWFY}/getMLA").respond(200, json=load("twfy_getMLA_by_postcode_test.json"))
        result = await finder_with_twfy.by_postcode("BT7 1NN", Purpose.HOME)
    assert [m.name for m in result.of_role(Role.MLA)] == ["Mr Test1 Nimember",
                                                            "Ms Test2 Nimember"]
    assert result.problem is None


async def test_greater_manchester_postcode_lists_the_combined_authority_mayor(finder):
    with respx.mock as router:
        serve_postcode(router, "M456GN", "postcodes_io_postcode_england_bury_M456GN.json")
        router.get(SEARCH).respond(200, json=load(
            "members_api_location_constituency_search_empty.json"))
        result = await finder.by_postcode("M45 6GN", Purpose.HOME)
    (mayor,) = result.of_role(Role.MAYOR)
    assert mayor.area == "Greater Manchester Combined Authority"
    # No "Bury South" in the (empty) Members answer: flagged, and the rest still given.
    assert result.problem is LookupProblem.UPSTREAM_UNAVAILABLE
    assert result.mp is None and result.of_role(Role.COUNCILLORS)


# --- bad input ------------------------------------------------------------------------------

async def test_text_that_is_not_a_postcode_is_invalid_without_asking_anyone(finder):
    with respx.mock as router:
        result = await finder.by_postcode("I don't know it", Purpose.HOME)
        assert not router.calls
    assert result.problem is LookupProblem.INVALID_POSTCODE
    assert result.area is None


async def test_a_postcode_the_upstream_calls_invalid(finder):
    with respx.mock as router:
        router.get(f"{POSTCODES}/postcodes/QQ11QQ").respond(
            404, json=load("postcodes_io_postcode_404_invalid.json"))
        result = await finder.by_postcode("QQ1 1QQ", Purpose.HOME)
    assert result.problem is LookupProblem.INVALID_POSTCODE


async def test_an_outward_code_alone_asks_for_more_and_lists_the_possible_seats(finder):
    with respx.mock as router:
        router.get(f"{POSTCODES}/outcodes/BR8").respond(200, json=load("postcodes_io_outcode.json"))
        result = await finder.by_postcode("br8", Purpose.HOME)
    assert result.problem is LookupProblem.PARTIAL_POSTCODE
    assert result.candidates == ("Sevenoaks", "Orpington")


async def test_an_unknown_outward_code_is_invalid(finder):
    with respx.mock as router:
        router.get(f"{POSTCODES}/outcodes/ZZ9").respond(
            404, json=load("postcodes_io_outcode_404.json"))
        result = await finder.by_postcode("ZZ9", Purpose.HOME)
    assert result.problem is LookupProblem.INVALID_POSTCODE


async def test_an_outward_code_with_postcodes_io_down_still_asks_for_the_full_postcode(finder):
    with respx.mock as router:
        router.get(f"{POSTCODES}/outcodes/B12").respond(500)
        result = await finder.by_postcode("B12", Purpose.HOME)
    assert result.problem is LookupProblem.PARTIAL_POSTCODE
    assert result.candidates == ()


async def test_an_unknown_postcode(finder):
    with respx.mock as router:
        router.get(f"{POSTCODES}/postcodes/EH999ZZ").respond(
            404, json=load("postcodes_io_postcode_404_not_found.json"))
        router.get(f"{POSTCODES}/terminated_postcodes/EH999ZZ").respond(
            404, json=load("postcodes_io_terminated_postcode_404.json"))
        result = await finder.by_postcode("EH99 9ZZ", Purpose.HOME)
    assert result.problem is LookupProblem.UNKNOWN_POSTCODE
    assert result.area is not None and result.area.nation is Nation.SCOTLAND  # a guess
    assert result.representatives == ()


async def test_a_terminated_postcode_says_when_it_was_retired(finder):
    with respx.mock as router:
        router.get(f"{POSTCODES}/postcodes/AB10AA").respond(
            404, json=load("postcodes_io_postcode_404_not_found_terminated.json"))
        result = await finder.by_postcode("ab1 0aa", Purpose.FORMER_HOME)
    assert result.problem is LookupProblem.TERMINATED_POSTCODE
    assert result.terminated_year == 1996
    assert result.purpose is Purpose.FORMER_HOME


async def test_a_vacant_seat(finder):
    with respx.mock as router:
        serve_postcode(router, "RH60PQ", "postcodes_io_postcode_england_crawley_RH60PQ.json")
        router.get(SEARCH).respond(200, json=load(
            "members_api_location_constituency_search_crawley_vacant.json"))
        result = await finder.by_postcode("RH6 0PQ", Purpose.HOME)
    mp = result.mp
    assert mp is not None and mp.vacant and mp.name is None
    assert mp.area == "Crawley"
    assert result.problem is None


# --- failing upstreams: the conversation always goes on -----------------------------------

async def test_postcodes_io_down_with_nothing_cached_gives_the_problem_and_a_guess(
        finder, caplog):
    with respx.mock as router:
        route = router.get(f"{POSTCODES}/postcodes/EH12QZ").respond(500)
        result = await finder.by_postcode("EH1 2QZ", Purpose.HOME)
    assert route.call_count == 3
    assert result.problem is LookupProblem.UPSTREAM_UNAVAILABLE
    assert result.area is not None
    assert result.area.postcode == "EH1 2QZ" and result.area.nation is Nation.SCOTLAND
    # Logged by kind, source and error type; never the postcode.
    assert "postcode unavailable: UpstreamUnavailable from postcodes.io" in caplog.text
    assert "EH1" not in caplog.text


async def test_each_devolved_source_down_is_logged_by_kind_only(finder, caplog):
    with respx.mock as router:
        serve_northern_ireland(router)
        router.get(f"{NIA}/members.asmx/GetAllCurrentMembers_JSON").respond(503)
        result = await finder.by_postcode("BT7 1NN", Purpose.HOME)
    (mla,) = result.of_role(Role.MLA)  # no key: the official route, flagged
    assert mla.name is None and mla.contact.website == "https://www.writetothem.com/?pc=BT7+1NN"
    assert result.problem is LookupProblem.UPSTREAM_UNAVAILABLE
    assert "devolved unavailable: UpstreamUnavailable from ni-assembly" in caplog.text
    assert "BT7" not in caplog.text


async def test_upstreams_down_after_expiry_serve_the_old_answer_marked_stale(finder, clock):
    with respx.mock as router:
        serve_england(router)
        fresh = await finder.by_postcode("WC1X 8QD", Purpose.HOME)
        clock.advance(timedelta(days=29))  # the MP entry is refreshed daily meanwhile
        await finder.by_postcode("WC1X 8QD", Purpose.HOME)
    clock.advance(timedelta(days=2))  # now the postcode entry has expired too
    with respx.mock as router:
        router.get(url__startswith=POSTCODES).respond(500)
        router.get(url__startswith=MEMBERS).respond(500)
        stale = await finder.by_postcode("WC1X 8QD", Purpose.HOME)
    assert stale.stale
    assert stale.problem is None
    assert stale.mp == fresh.mp
    assert stale.area == fresh.area


async def test_members_api_timing_out_still_gives_the_area_and_local_routes(finder):
    with respx.mock as router:
        serve_postcode(router, "WC1X8QD", "postcodes_io_postcode_england_WC1X8QD.json")
        router.get(SEARCH).mock(side_effect=httpx.ConnectTimeout("slow"))
        result = await finder.by_postcode("WC1X 8QD", Purpose.HOME)
    assert result.problem is LookupProblem.UPSTREAM_UNAVAILABLE
    assert result.mp is None
    assert result.area is not None and result.area.constituency == "Holborn and St Pancras"
    assert result.of_role(Role.COUNCILLORS)


async def test_members_api_answering_garbage_is_treated_as_unavailable(finder):
    with respx.mock as router:
        serve_postcode(router, "WC1X8QD", "postcodes_io_postcode_england_WC1X8QD.json")
        router.get(SEARCH).respond(200, text="<html>Attention Required! | Cloudflare</html>")
        result = await finder.by_postcode("WC1X 8QD", Purpose.HOME)
    assert result.problem is LookupProblem.UPSTREAM_UNAVAILABLE
    assert result.area is not None and result.area.constituency == "Holborn and St Pancras"


async def test_a_52_minute_retry_after_serves_stale_at_once(finder, clock, sleeps):
    with respx.mock as router:
        serve_england(router)
        await finder.by_postcode("WC1X 8QD", Purpose.HOME)
    clock.advance(timedelta(days=2))  # the MP entry is a day old: refresh it
    with respx.mock as router:
        search = router.get(SEARCH).respond(429, headers={"Retry-After": "3123"})
        result = await finder.by_postcode("WC1X 8QD", Purpose.HOME)
    assert search.call_count == 1
    assert sleeps.waits == []
    assert result.stale
    assert result.mp is not None and result.mp.name == "Sir Keir Starmer"


async def test_missing_contact_details_flag_the_result_but_keep_the_mp(finder):
    with respx.mock as router:
        serve_england(router)
        router.get(f"{MEMBERS}/Members/4514/Contact").respond(500)
        result = await finder.by_postcode("WC1X 8QD", Purpose.HOME)
    assert result.mp is not None and result.mp.name == "Sir Keir Starmer"
    assert result.mp.contact.profile_url == "https://members.parliament.uk/member/4514"
    assert result.problem is LookupProblem.UPSTREAM_UNAVAILABLE


async def test_scottish_parliament_down_gives_the_mp_and_an_msp_route(finder):
    with respx.mock as router:
        serve_scotland(router)
        router.get(f"{SCOTPARL}/members").respond(500)
        result = await finder.by_postcode("IV2 3PU", Purpose.HOME)
    assert result.mp is not None and result.mp.name == "Mr Angus MacDonald"
    (msp,) = result.of_role(Role.MSP)
    assert msp.name is None and msp.area == "Inverness and Nairn"
    assert msp.contact.profile_url == (
        "https://www.parliament.scot/msps/current-and-previous-msps/find-your-msp")
    assert result.problem is LookupProblem.UPSTREAM_UNAVAILABLE
    assert result.area is not None and result.area.devolved_region == "Highlands and Islands"


async def test_an_unexpected_bug_becomes_a_problem_flag_not_an_exception(
        finder, monkeypatch, caplog):
    async def broken(postcode: str) -> None:
        raise KeyError(postcode)  # a bug whose message holds the postcode

    monkeypatch.setattr(finder._postcodes, "lookup", broken)
    result = await finder.by_postcode("WC1X 8QD", Purpose.HOME)
    assert result.problem is LookupProblem.UPSTREAM_UNAVAILABLE
    assert result.area is not None and result.area.postcode == "WC1X 8QD"
    assert "KeyError" in caplog.text and "finder.py" in caplog.text
    assert "WC1X" not in caplog.text


# --- cache, sharing, privacy ------------------------------------------------------------------

async def test_a_second_look_up_is_served_from_the_cache(finder):
    with respx.mock as router:
        serve_england(router)
        await finder.by_postcode("WC1X 8QD", Purpose.HOME)
        calls = len(router.calls)
        again = await finder.by_postcode("wc1x 8qd", Purpose.FORMER_HOME)
        assert len(router.calls) == calls
    assert again.mp is not None and again.mp.name == "Sir Keir Starmer"
    assert again.purpose is Purpose.FORMER_HOME and not again.stale


async def test_the_cache_is_shared_by_finders_on_the_same_database(db_path, clock, sleeps):
    first, second = (make_finder(db_path, clock, sleeps) for _ in range(2))
    try:
        with respx.mock as router:
            serve_england(router)
            await first.by_postcode("WC1X 8QD", Purpose.HOME)
            calls = len(router.calls)
            await second.by_postcode("WC1X 8QD", Purpose.HOME)
            assert len(router.calls) == calls
    finally:
        await first.aclose()
        await second.aclose()


async def test_concurrent_identical_look_ups_make_one_call_per_upstream(finder):
    with respx.mock as router:
        postcode, search = serve_england(router)
        results = await asyncio.gather(
            *(finder.by_postcode("WC1X 8QD", Purpose.HOME) for _ in range(5)))
    assert postcode.call_count == 1
    assert search.call_count == 1
    assert {r.mp.name for r in results if r.mp} == {"Sir Keir Starmer"}


async def test_nothing_stored_or_logged_holds_the_postcode(finder, db_path, caplog):
    caplog.set_level(logging.DEBUG)
    with respx.mock as router:
        serve_england(router)
        serve_scotland(router)
        await finder.by_postcode("WC1X 8QD", Purpose.HOME)
        await finder.by_postcode("IV2 3PU", Purpose.HOME)
    with sqlite3.connect(db_path) as db:
        stored = repr(db.execute("SELECT * FROM lookup_cache").fetchall())
    stored += db_path.read_bytes().decode("latin-1")
    for text in ("WC1X 8QD", "WC1X8QD", "WC1X+8QD", "IV2 3PU", "IV23PU", "IV2+3PU"):
        assert text not in stored
        assert text not in caplog.text
    assert "postcode look-up" in caplog.text  # kinds, statuses and timings are logged


# --- detention centres ----------------------------------------------------------------------

async def test_a_centre_with_a_postcode_gives_its_mp_only(finder):
    with respx.mock as router:
        serve_postcode(router, "RH60PQ", "postcodes_io_postcode_england_crawley_RH60PQ.json")
        serve_mp(router, "Crawley", "members_api_location_constituency_search_crawley.json",
                 9101, "members_api_member_contact_9101.json",
                 "members_api_member_focus_empty.json")
        result = await finder.by_centre(CENTRES_BY_ID["brook_house"])
    assert result.purpose is Purpose.DETENTION_CENTRE
    assert result.problem is None
    assert [r.role for r in result.representatives] == [Role.MP]
    assert result.mp is not None and result.mp.name == "Mr Sam Example"
    assert result.area is not None and result.area.constituency == "Crawley"


async def test_a_centre_without_a_postcode_is_found_through_its_constituency(finder):
    with respx.mock as router:
        serve_mp(router, "Crawley", "members_api_location_constituency_search_crawley.json",
                 9101, "members_api_member_contact_9101.json",
                 "members_api_member_focus_empty.json")
        result = await finder.by_centre(CENTRES_BY_ID["tinsley_house"])
    assert result.problem is None
    assert result.mp is not None and result.mp.name == "Mr Sam Example"
    assert result.mp.contact.email == "sam.example.mp@parliament.uk"


async def test_a_centre_with_neither_postcode_nor_constituency(finder):
    with respx.mock as router:
        result = await finder.by_centre(CENTRES_BY_ID["morton_hall"])
        assert not router.calls
    assert result.problem is LookupProblem.CENTRE_HAS_NO_POSTCODE


async def test_a_centre_whose_constituency_is_not_found(finder):
    with respx.mock as router:
        router.get(SEARCH).respond(200, json=load(
            "members_api_location_constituency_search_empty.json"))
        result = await finder.by_centre(CENTRES_BY_ID["derwentside"])
    assert result.problem is LookupProblem.CENTRE_HAS_NO_POSTCODE
    assert result.representatives == ()


async def test_a_centre_whose_postcode_is_unknown_falls_back_to_its_constituency(finder):
    centre = CENTRES_BY_ID["harmondsworth"]  # a "probable" postcode, seat named by a source
    with respx.mock as router:
        router.get(f"{POSTCODES}/postcodes/UB70HB").respond(
            404, json=load("postcodes_io_postcode_404_not_found.json"))
        router.get(f"{POSTCODES}/terminated_postcodes/UB70HB").respond(
            404, json=load("postcodes_io_terminated_postcode_404.json"))
        hayes = load("members_api_location_constituency_search_crawley.json")
        hayes["items"][1]["value"]["name"] = "Hayes and Harlington"
        router.get(SEARCH).respond(200, json=hayes)
        router.get(f"{MEMBERS}/Members/9101/Contact").respond(
            200, json=load("members_api_member_contact_9101.json"))
        router.get(f"{MEMBERS}/Members/9101/Focus").respond(
            200, json=load("members_api_member_focus_empty.json"))
        result = await finder.by_centre(centre)
    assert result.problem is None
    assert result.mp is not None and result.mp.area == "Hayes and Harlington"


# --- ministers --------------------------------------------------------------------------------

async def test_ministers_are_fetched_then_cached_for_hours_then_served_stale(finder, clock):
    with respx.mock as router:
        serve_ministers(router, MEMBERS)
        fresh = await finder.ministers()
        calls = len(router.calls)
        cached = await finder.ministers()
        assert len(router.calls) == calls
    assert fresh.home_secretary is not None and fresh.home_secretary.name == "Alex Example"
    assert fresh.immigration_minister is not None
    assert not fresh.stale and cached == fresh
    clock.advance(timedelta(hours=5))
    with respx.mock as router:
        router.get(url__startswith=MEMBERS).respond(502)
        stale = await finder.ministers()
    assert stale.stale
    assert stale.home_secretary == fresh.home_secretary


async def test_ministers_unknown_when_never_fetched_and_the_api_is_down(finder):
    with respx.mock as router:
        router.get(url__startswith=MEMBERS).respond(500)
        ministers = await finder.ministers()
    assert ministers.home_secretary is None and ministers.immigration_minister is None
    assert ministers.stale


# --- wiring -----------------------------------------------------------------------------------

def test_with_lookups_disabled_the_factory_gives_the_offline_finder(db_path):
    settings = Settings(lookups_enabled=False)
    assert isinstance(build_finder(settings, create_db_engine(f"sqlite:///{db_path}")),
                      OfflineFinder)


async def test_the_factory_uses_the_configured_base_urls(db_path):
    settings = Settings(
        postcodes_api_url=POSTCODES, members_api_url=MEMBERS, scotparl_api_url=SCOTPARL,
        niassembly_api_url=NIA, twfy_api_url=TWFY, twfy_api_key=None,
        id_hmac_secret=SecretStr("secret"), http_timeout_seconds=2.0,
    )
    finder = build_finder(settings, create_db_engine(f"sqlite:///{db_path}"))
    assert isinstance(finder, LiveFinder)
    try:
        with respx.mock as router:
            serve_england(router)
            result = await finder.by_postcode("WC1X 8QD", Purpose.HOME)
    finally:
        await finder.aclose()
    assert result.mp is not None and result.mp.name == "Sir Keir Starmer"
