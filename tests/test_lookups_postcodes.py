"""PostcodesClient against recorded postcodes.io answers (tests/fixtures/api/README.md)."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from bot.lookups.http import JsonClient
from bot.lookups.postcodes import PostcodesClient, PostcodeStatus
from flows.case import Nation
from tests.lookup_support import load, no_sleep

BASE = "https://postcodes.test"


@pytest.fixture
async def client():
    http = JsonClient(timeout_seconds=1.0, sleep=no_sleep)
    yield PostcodesClient(http, BASE + "/")
    await http.aclose()


async def test_an_english_postcode_gives_constituency_council_ward_and_county(client):
    with respx.mock:
        respx.get(f"{BASE}/postcodes/BR87RE").respond(200, json=load("postcodes_io_postcode.json"))
        found = await client.lookup("BR8 7RE")
    assert found.status is PostcodeStatus.FOUND
    facts = found.facts
    assert facts is not None
    assert facts.nation is Nation.ENGLAND
    assert facts.constituency == "Sevenoaks"
    assert facts.constituency_code == "E14001465"
    assert (facts.council, facts.council_code) == ("Sevenoaks", "E07000111")
    assert (facts.county, facts.county_code) == ("Kent", "E10000016")
    assert facts.ward == "Hextable"
    assert facts.senedd_constituency is None


async def test_the_2024_constituency_wins_over_the_older_field(client):
    body = load("postcodes_io_postcode.json")
    body["result"]["parliamentary_constituency"] = "Old Seat"
    with respx.mock:
        respx.get(f"{BASE}/postcodes/BR87RE").respond(200, json=body)
        found = await client.lookup("BR8 7RE")
    assert found.facts is not None and found.facts.constituency == "Sevenoaks"


async def test_a_welsh_postcode_carries_its_senedd_constituency(client):
    with respx.mock:
        respx.get(f"{BASE}/postcodes/CF104AU").respond(
            200, json=load("postcodes_io_postcode_wales_CF104AU.json"))
        found = await client.lookup("CF10 4AU")
    assert found.facts is not None
    assert found.facts.nation is Nation.WALES
    assert found.facts.constituency == "Cardiff South and Penarth"
    assert found.facts.senedd_constituency == "Caerdydd Penarth"
    assert found.facts.county_code is None  # W99999999 means "not applicable"


async def test_a_scottish_postcode_has_holyrood_areas_from_the_scotland_endpoint(client):
    with respx.mock:
        respx.get(f"{BASE}/scotland/postcodes/IV23PU").respond(
            200, json=load("postcodes_io_scotland_postcode_IV23PU.json"))
        areas = await client.scottish_areas("IV2 3PU")
    assert areas is not None
    assert (areas.constituency, areas.constituency_code) == ("Inverness and Nairn", "S16000191")
    assert (areas.region, areas.region_code) == ("Highlands and Islands", "S17000027")


async def test_the_older_scotland_shape_without_a_region_still_gives_the_constituency(client):
    with respx.mock:
        respx.get(f"{BASE}/scotland/postcodes/EH12QZ").respond(
            200, json=load("postcodes_io_scotland_postcode.json"))
        areas = await client.scottish_areas("EH1 2QZ")
    assert areas is not None
    assert areas.constituency == "Edinburgh Central"
    assert areas.region is None


async def test_invalid_postcode(client):
    with respx.mock:
        respx.get(f"{BASE}/postcodes/ZZ11ZZ").respond(
            404, json=load("postcodes_io_postcode_404_invalid.json"))
        found = await client.lookup("ZZ1 1ZZ")
    assert found.status is PostcodeStatus.INVALID


async def test_terminated_postcode_from_the_404_block(client):
    with respx.mock:
        respx.get(f"{BASE}/postcodes/AB10AA").respond(
            404, json=load("postcodes_io_postcode_404_not_found_terminated.json"))
        found = await client.lookup("AB1 0AA")
    assert found.status is PostcodeStatus.TERMINATED
    assert (found.terminated_year, found.terminated_month) == (1996, 6)


async def test_terminated_postcode_asked_separately_when_the_404_has_no_block(client):
    with respx.mock:
        respx.get(f"{BASE}/postcodes/E1W1UU").respond(
            404, json=load("postcodes_io_postcode_404_not_found.json"))
        respx.get(f"{BASE}/terminated_postcodes/E1W1UU").respond(
            200, json=load("postcodes_io_terminated_postcode.json"))
        found = await client.lookup("E1W 1UU")
    assert found.status is PostcodeStatus.TERMINATED
    assert found.terminated_year == 2007


async def test_unknown_postcode(client):
    with respx.mock:
        respx.get(f"{BASE}/postcodes/B999ZZ").respond(
            404, json=load("postcodes_io_postcode_404_not_found.json"))
        respx.get(f"{BASE}/terminated_postcodes/B999ZZ").respond(
            404, json=load("postcodes_io_terminated_postcode_404.json"))
        found = await client.lookup("B99 9ZZ")
    assert found.status is PostcodeStatus.UNKNOWN


async def test_an_outward_code_lists_its_constituencies(client):
    with respx.mock:
        respx.get(f"{BASE}/outcodes/BR8").respond(200, json=load("postcodes_io_outcode.json"))
        assert await client.outcode_constituencies("BR8") == ("Sevenoaks", "Orpington")


async def test_an_unknown_outward_code(client):
    with respx.mock:
        respx.get(f"{BASE}/outcodes/ZZ9").respond(404, json=load("postcodes_io_outcode_404.json"))
        assert await client.outcode_constituencies("ZZ9") is None


async def test_lookup_results_survive_the_cache_round_trip(client):
    with respx.mock:
        respx.get(f"{BASE}/postcodes/BR87RE").respond(200, json=load("postcodes_io_postcode.json"))
        found = await client.lookup("BR8 7RE")
    stored = found.to_json()
    assert "BR8" not in json.dumps(stored)  # public area data only, never the postcode
    assert type(found).from_json(json.loads(json.dumps(stored))) == found


async def test_a_response_that_is_not_an_object_is_a_bad_response(client):
    from bot.lookups.errors import UpstreamBadResponse

    with respx.mock:
        respx.get(f"{BASE}/postcodes/BR87RE").mock(return_value=httpx.Response(200, json=[1, 2]))
        with pytest.raises(UpstreamBadResponse):
            await client.lookup("BR8 7RE")
