"""MembersClient and MinistersClient against recorded Members API answers.

Keir Starmer's search entry and contact list are verbatim fixtures; the rest is
built in the same shapes (tests/fixtures/api/README.md).
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
import respx

from bot.lookups.errors import UpstreamUnavailable
from bot.lookups.members import MembersClient
from bot.lookups.ministers import MinistersClient
from flows.representatives import Role
from tests.lookup_support import load

BASE = "https://members.test/api"
SEARCH = f"{BASE}/Location/Constituency/Search"


@pytest.fixture
def members(http) -> MembersClient:
    return MembersClient(http, BASE)


def serve_member(router: respx.MockRouter, constituency: str, search: str, member_id: int,
                 contact: str, focus: str) -> None:
    """A constituency search and its member's contact and focus pages, as recorded."""
    router.get(SEARCH, params={"searchText": constituency}).respond(200, json=load(search))
    router.get(f"{BASE}/Members/{member_id}/Contact").respond(200, json=load(contact))
    router.get(f"{BASE}/Members/{member_id}/Focus").respond(200, json=load(focus))


def serve_holborn(router: respx.MockRouter) -> None:
    serve_member(router, "Holborn and St Pancras",
                 "members_api_location_constituency_search_holborn.json", 4514,
                 "members_api_member_contact.json", "members_api_member_focus.json")


async def test_the_mp_comes_with_parliamentary_email_address_website_and_interests(members):
    with respx.mock as router:
        serve_holborn(router)
        found = await members.mp_for_constituency("Holborn and St Pancras")
    assert found.found and found.complete
    mp = found.representative
    assert mp is not None
    assert mp.role is Role.MP
    assert mp.name == "Sir Keir Starmer"
    assert mp.party == "Labour"
    assert mp.area == "Holborn and St Pancras"
    assert mp.contact.email == "keir.starmer.mp@parliament.uk"
    # The constituency office entry is only a label, so the postal address is Westminster's.
    assert mp.contact.address == "House of Commons, London, SW1A 0AA"
    assert mp.contact.website == "http://www.keirstarmer.com/"
    assert mp.contact.profile_url == "https://members.parliament.uk/member/4514"
    assert "Countries of interest: Africa, Jamaica" in mp.interests
    assert not mp.vacant


async def test_a_constituency_office_with_an_address_and_phone_is_preferred(members):
    with respx.mock as router:
        router.get(SEARCH).respond(200, json=load(
            "members_api_location_constituency_search_crawley.json"))
        router.get(f"{BASE}/Members/9101/Contact").respond(
            200, json=load("members_api_member_contact_9101.json"))
        router.get(f"{BASE}/Members/9101/Focus").respond(
            200, json=load("members_api_member_focus_empty.json"))
        found = await members.mp_for_constituency("crawley")
    mp = found.representative
    assert mp is not None
    # The exact current "Crawley", not "Crawley East", nor the pre-2024 seat.
    assert mp.name == "Mr Sam Example"
    assert mp.contact.address == "The Office, 2 Example Road, Crawley, RH10 1AA"
    assert mp.contact.phone == "01293 000000"
    assert mp.contact.email == "sam.example.mp@parliament.uk"
    assert mp.interests == ()


async def test_a_vacant_seat_is_reported_as_vacant_with_the_constituency_page(members):
    with respx.mock as router:
        router.get(SEARCH).respond(200, json=load(
            "members_api_location_constituency_search_crawley_vacant.json"))
        found = await members.mp_for_constituency("Crawley")
    mp = found.representative
    assert found.found and mp is not None
    assert mp.vacant and mp.name is None
    assert mp.area == "Crawley"
    assert mp.contact.profile_url == "https://members.parliament.uk/constituency/4470/overview"


async def test_an_unknown_constituency_is_not_found(members):
    with respx.mock as router:
        router.get(SEARCH).respond(200, json=load(
            "members_api_location_constituency_search_empty.json"))
        found = await members.mp_for_constituency("Nowhere")
    assert not found.found and found.representative is None


async def test_names_match_despite_case_and_punctuation(members):
    with respx.mock as router:
        router.get(SEARCH).respond(200, json=load(
            "members_api_location_constituency_search.json"))
        router.get(f"{BASE}/Members/5362/Contact").respond(
            200, json=load("members_api_member_contact_5362.json"))
        router.get(f"{BASE}/Members/5362/Focus").respond(
            200, json=load("members_api_member_focus_5362.json"))
        found = await members.mp_for_constituency("inverness skye & west ross-shire")
    assert found.representative is not None
    assert found.representative.name == "Mr Angus MacDonald"


async def test_without_contact_details_the_mp_is_still_named_but_marked_incomplete(members):
    with respx.mock as router:
        serve_holborn(router)
        router.get(f"{BASE}/Members/4514/Contact").respond(500)
        found = await members.mp_for_constituency("Holborn and St Pancras")
    mp = found.representative
    assert mp is not None and mp.name == "Sir Keir Starmer"
    assert not found.complete
    assert mp.contact.email is None
    assert mp.contact.profile_url == "https://members.parliament.uk/member/4514"


async def test_a_failing_search_raises_for_the_cache_to_handle(members):
    with respx.mock as router:
        router.get(SEARCH).respond(503)
        with pytest.raises(UpstreamUnavailable):
            await members.mp_for_constituency("Crawley")


# --- ministers (F11: fetched, never hard-coded) -----------------------------------------

NOW = datetime(2026, 11, 26, tzinfo=UTC)


def serve_home_office(router: respx.MockRouter, posts: object | None = None) -> respx.Route:
    router.get(f"{BASE}/Reference/Departments", params={"nameContains": "Home"}).respond(
        200, json=load("members_api_reference_departments_home.json"))
    route = router.get(f"{BASE}/Posts/GovernmentPosts", params={"departmentId": "1"}).respond(
        200, json=posts if posts is not None else load(
            "members_api_posts_government_posts_home_office.json"))
    router.get(url__regex=rf"{BASE}/Members/\d+/Contact").respond(
        200, json=load("members_api_member_contact_generic.json"))
    return route


async def test_the_current_home_secretary_and_immigration_minister_are_found(http, members):
    ministers = MinistersClient(http, BASE, members)
    with respx.mock as router:
        posts_route = serve_home_office(router)
        found = await ministers.current(now=NOW)
    assert posts_route.called
    secretary, minister = found.home_secretary, found.immigration_minister
    assert secretary is not None and minister is not None
    # The current holder, not the predecessor whose post ended.
    assert secretary.name == "Alex Example"
    assert secretary.role is Role.HOME_SECRETARY
    assert secretary.post_title == "Secretary of State for the Home Department"
    assert secretary.contact.email == "member.example.mp@parliament.uk"
    assert minister.name == "Jo Example"
    assert minister.role is Role.IMMIGRATION_MINISTER
    assert minister.post_title == "Minister of State (Minister for Border Security and Asylum)"
    assert found.complete


async def test_a_post_titled_immigration_wins_when_there_is_one(http, members):
    posts = load("members_api_posts_government_posts_home_office.json")
    posts[3]["value"]["name"] = "Minister of State (Minister for Immigration)"
    with respx.mock as router:
        serve_home_office(router, posts)
        found = await MinistersClient(http, BASE, members).current(now=NOW)
    assert found.immigration_minister is not None
    assert found.immigration_minister.name == "Pat Example"


async def test_a_vacant_post_gives_no_minister_rather_than_the_previous_one(http, members):
    posts = load("members_api_posts_government_posts_home_office.json")
    posts[0]["value"]["postHolders"] = posts[0]["value"]["postHolders"][1:]  # only the former
    with respx.mock as router:
        serve_home_office(router, posts)
        found = await MinistersClient(http, BASE, members).current(now=NOW)
    assert found.home_secretary is None
    assert found.immigration_minister is not None


async def test_without_the_department_cabinet_posts_still_give_the_home_secretary(http, members):
    with respx.mock as router:
        router.get(f"{BASE}/Reference/Departments").respond(200, json=[])
        cabinet = router.get(f"{BASE}/Posts/GovernmentPosts").respond(
            200, json=load("members_api_posts_government_posts_home_office.json")[:1])
        router.get(url__regex=rf"{BASE}/Members/\d+/Contact").respond(
            200, json=load("members_api_member_contact_generic.json"))
        found = await MinistersClient(http, BASE, members).current(now=NOW)
    assert "departmentId" not in str(cabinet.calls.last.request.url)
    assert found.home_secretary is not None and found.home_secretary.name == "Alex Example"
    assert found.immigration_minister is None


async def test_a_minister_without_contact_details_is_kept_and_marked_incomplete(http, members):
    with respx.mock as router:
        # Registered first: respx answers with the first route that matches.
        router.get(f"{BASE}/Members/9002/Contact").mock(return_value=httpx.Response(500))
        serve_home_office(router)
        found = await MinistersClient(http, BASE, members).current(now=NOW)
    assert found.immigration_minister is not None
    assert found.immigration_minister.contact.email is None
    assert not found.complete


async def test_the_form_of_address_comes_from_parliament_for_the_letters_greeting(members):
    """nameAddressAs ("Ms Abbott") is how Parliament says to greet a member (issue 10)."""
    from flows.drafts import greeting_name

    with respx.mock as router:
        serve_member(router, "Hackney North and Stoke Newington",
                     "members_api_location_constituency_search_hackney.json", 172,
                     "members_api_member_contact_generic.json",
                     "members_api_member_focus_empty.json")
        found = await members.mp_for_constituency("Hackney North and Stoke Newington")
    mp = found.representative
    assert mp is not None and mp.name == "Ms Diane Abbott"
    assert mp.address_as == "Ms Abbott" and greeting_name(mp) == "Ms Abbott"
