"""Devolved members (MSPs, MLAs, MSs), TheyWorkForYou, councillors and mayors."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import respx

from bot.lookups.councils import councillors_route, mayor_for
from bot.lookups.errors import UpstreamRejected, UpstreamUnavailable
from bot.lookups.niassembly import AssemblyDirectory, NiAssemblyClient
from bot.lookups.postcodes import PostcodeFacts
from bot.lookups.scotland import HolyroodDirectory, ScottishParliamentClient
from bot.lookups.senedd import senedd_route
from bot.lookups.twfy import TwfyClient, TwfyFunction
from flows.representatives import Role
from tests.lookup_support import FIXTURES, load

SCOTPARL = "https://scotparl.test/api"
NIA = "https://nia.test"
TWFY = "https://twfy.test/api"
NOW = datetime(2026, 11, 26, tzinfo=UTC)


def serve_scotparl(router: respx.MockRouter, *, skip: tuple[str, ...] = ()) -> None:
    for path in sorted((FIXTURES / "scotparl").glob("*.json")):
        if path.stem in skip:
            router.get(f"{SCOTPARL}/{path.stem}").respond(500)
        else:
            router.get(f"{SCOTPARL}/{path.stem}").respond(200, json=json.loads(path.read_text()))


# --- Scottish Parliament ------------------------------------------------------------------

async def test_holyrood_gives_the_constituency_msp_and_the_regional_msps(http):
    with respx.mock as router:
        serve_scotparl(router)
        directory = await ScottishParliamentClient(http, SCOTPARL).directory(now=NOW)
    reps = directory.representatives("Inverness and Nairn", "S16000191",
                                     "Highlands and Islands", "S17000027")
    assert reps is not None
    constituency = [r for r in reps if not r.regional]
    regional = [r for r in reps if r.regional]
    assert [r.name for r in constituency] == ["Mhairi Example"]
    msp = constituency[0]
    assert msp.role is Role.MSP and msp.area == "Inverness and Nairn"
    assert msp.party == "Example Party"  # the current party, not the one she left
    assert msp.contact.email == "mhairi.example.msp@parliament.scot"  # the default address
    assert msp.contact.profile_url == (
        "https://www.parliament.scot/msps/current-and-previous-msps/mhairi-example")
    assert len(regional) == 7
    assert {r.area for r in regional} == {"Highlands and Islands"}
    # The former member (region ended, status never closed) is not listed.
    assert all("Scott" not in (r.name or "") for r in reps)
    assert directory.complete


async def test_holyrood_areas_match_by_name_when_codes_differ(http):
    with respx.mock as router:
        serve_scotparl(router)
        directory = await ScottishParliamentClient(http, SCOTPARL).directory(now=NOW)
    reps = directory.representatives("inverness and nairn", None, None, None)
    assert reps is not None
    # The region comes from the constituency when the postcode answer had none.
    assert sum(r.regional for r in reps) == 7


async def test_the_abbreviated_region_name_is_matched_and_shown_in_full(http):
    with respx.mock as router:
        serve_scotparl(router)
        directory = await ScottishParliamentClient(http, SCOTPARL).directory(now=NOW)
    reps = directory.representatives(None, None, "Central Scotland and Lothians West", None)
    assert reps is not None
    assert [(r.name, r.area) for r in reps] == [
        ("Kim Lothian", "Central Scotland and Lothians West")]
    # No email in the open data: the generic MSP page is the honest fallback link.
    assert reps[0].contact.email is None
    assert reps[0].contact.profile_url == (
        "https://www.parliament.scot/msps/current-and-previous-msps")


async def test_unknown_holyrood_areas_give_none_so_the_finder_can_link_instead(http):
    with respx.mock as router:
        serve_scotparl(router)
        directory = await ScottishParliamentClient(http, SCOTPARL).directory(now=NOW)
    assert directory.representatives("Atlantis", None, None, None) is None


async def test_without_the_email_dataset_the_directory_is_kept_but_incomplete(http):
    with respx.mock as router:
        serve_scotparl(router, skip=("emailaddresses",))
        directory = await ScottishParliamentClient(http, SCOTPARL).directory(now=NOW)
    assert not directory.complete
    reps = directory.representatives("Inverness and Nairn", None, None, None)
    assert reps is not None and reps[0].name == "Mhairi Example"
    assert reps[0].contact.email is None


async def test_without_a_required_dataset_the_directory_fails(http):
    with respx.mock as router:
        serve_scotparl(router, skip=("members",))
        with pytest.raises(UpstreamUnavailable):
            await ScottishParliamentClient(http, SCOTPARL).directory(now=NOW)


async def test_the_holyrood_directory_survives_the_cache_round_trip(http):
    with respx.mock as router:
        serve_scotparl(router)
        directory = await ScottishParliamentClient(http, SCOTPARL).directory(now=NOW)
    assert HolyroodDirectory.from_json(json.loads(json.dumps(directory.to_json()))) == directory


async def test_the_scottish_parliament_is_asked_for_json_explicitly(http):
    with respx.mock as router:
        serve_scotparl(router)
        await ScottishParliamentClient(http, SCOTPARL).directory(now=NOW)
        assert all(call.request.headers["accept"] == "application/json"
                   for call in router.calls)


# --- NI Assembly ----------------------------------------------------------------------------

def serve_nia(router: respx.MockRouter, contacts_status: int = 200) -> None:
    router.get(f"{NIA}/members.asmx/GetAllCurrentMembers_JSON").respond(
        200, json=load("niassembly_GetAllCurrentMembers_JSON.json"))
    router.get(f"{NIA}/members.asmx/GetAllMemberContactDetails_JSON").respond(
        contacts_status, json=load("niassembly_GetAllMemberContactDetails_JSON.json"))


async def test_the_five_mlas_of_the_postcodes_assembly_constituency(http):
    with respx.mock as router:
        serve_nia(router)
        directory = await NiAssemblyClient(http, NIA).directory()
    # postcodes.io gives the 2024 Westminster name; the Assembly seat keeps the old one.
    reps = directory.representatives("Belfast South and Mid Down")
    assert len(reps) == 5
    assert {r.area for r in reps} == {"Belfast South"}
    assert all(r.role is Role.MLA for r in reps)
    aoife = next(r for r in reps if r.name == "Aoife Example")
    assert aoife.party == "Sinn Féin"
    assert aoife.contact.email == "aoife.example@mla.niassembly.gov.uk"
    assert aoife.contact.profile_url == (
        "https://aims.niassembly.gov.uk/mlas/details.aspx?per=7001&sel=1&ind=0&prv=0")
    # Only a constituency-office address known: that one is used.
    eimear = next(r for r in reps if r.name == "Eimear Example")
    assert eimear.contact.email == "eimear.example@co.niassembly.gov.uk"


async def test_the_trimmed_verbatim_member_record_is_read(http):
    with respx.mock as router:
        serve_nia(router)
        directory = await NiAssemblyClient(http, NIA).directory()
    reps = directory.representatives("South Antrim")
    assert [(r.name, r.party) for r in reps] == [("Dr Steve Aiken OBE", "Ulster Unionist Party")]


async def test_without_contact_details_the_mlas_are_kept_and_marked_incomplete(http):
    with respx.mock as router:
        serve_nia(router, contacts_status=500)
        directory = await NiAssemblyClient(http, NIA).directory()
    assert not directory.complete
    reps = directory.representatives("Belfast South and Mid Down")
    assert len(reps) == 5 and all(r.contact.email is None for r in reps)
    assert AssemblyDirectory.from_json(directory.to_json()) == directory


# --- TheyWorkForYou -------------------------------------------------------------------------

async def test_twfy_names_the_six_members_of_the_senedd_for_a_postcode(http):
    with respx.mock as router:
        route = router.get(f"{TWFY}/getMS").respond(
            200, json=load("twfy_getMS_by_postcode_built.json"))
        reps = await TwfyClient(http, TWFY, "KEY").members(TwfyFunction.MS, "CF10 4AU")
    assert route.calls.last.request.url.params["key"] == "KEY"
    assert len(reps) == 6
    assert all(r.role is Role.MS and r.area == "Caerdydd Penarth" for r in reps)
    assert reps[0].name == "Alaw Enghraifft"
    assert reps[0].contact.profile_url == "https://www.theyworkforyou.com/ms/?p=90001"


async def test_twfy_mla_answer_from_its_own_test_suite(http):
    with respx.mock as router:
        router.get(f"{TWFY}/getMLA").respond(200, json=load("twfy_getMLA_by_postcode_test.json"))
        reps = await TwfyClient(http, TWFY, "KEY").members(TwfyFunction.MLA, "BT17 0XD")
    assert [r.name for r in reps] == ["Mr Test1 Nimember", "Ms Test2 Nimember"]
    assert reps[0].contact.profile_url == "https://www.theyworkforyou.com/mla/?p=101"


async def test_twfy_unknown_postcode_means_nobody_not_an_outage(http):
    with respx.mock as router:
        router.get(f"{TWFY}/getMS").respond(200, json=load("twfy_error_unknown_postcode.json"))
        assert await TwfyClient(http, TWFY, "KEY").members(TwfyFunction.MS, "CF10 4AU") == ()


async def test_twfy_bad_key_is_a_rejection(http):
    with respx.mock as router:
        router.get(f"{TWFY}/getMS").respond(200, json=load("twfy_error_invalid_key.json"))
        with pytest.raises(UpstreamRejected):
            await TwfyClient(http, TWFY, "WRONG").members(TwfyFunction.MS, "CF10 4AU")


# --- Senedd, councillors, mayors ----------------------------------------------------------

def test_without_names_the_senedd_entry_is_honest_and_gives_both_official_routes():
    ms = senedd_route("CF10 4AU", "Caerdydd Penarth")
    assert ms.role is Role.MS and ms.name is None
    assert ms.area == "Caerdydd Penarth"
    assert ms.contact.website == "https://www.writetothem.com/?pc=CF10+4AU"
    assert ms.contact.profile_url == "https://senedd.wales/find-a-member-of-the-senedd/"


def test_councillors_are_reached_through_writetothem_for_the_postcode():
    reps = councillors_route("BR8 7RE", PostcodeFacts(council="Sevenoaks"))
    assert reps.role is Role.COUNCILLORS and reps.name is None
    assert reps.area == "Sevenoaks"
    assert reps.contact.website == "https://www.writetothem.com/?pc=BR8+7RE&a=council"


@pytest.mark.parametrize(("facts", "authority"), [
    (PostcodeFacts(region="London", council_code="E09000007"), "Greater London Authority"),
    (PostcodeFacts(council_code="E08000002"), "Greater Manchester Combined Authority"),
    (PostcodeFacts(council_code="E07000040", county_code="E10000024"),
     "East Midlands Combined County Authority"),
    (PostcodeFacts(council_code="E07000111", county_code="E10000016"), None),  # Sevenoaks, Kent
    (PostcodeFacts(council_code="W06000015"), None),
])
def test_a_mayor_is_listed_only_where_a_mayoral_authority_covers_the_council(facts, authority):
    mayor = mayor_for(facts)
    assert (mayor.area if mayor else None) == authority
    if mayor is not None:
        assert mayor.role is Role.MAYOR and mayor.name is None
        assert mayor.contact.website and mayor.contact.website.startswith("https://")
