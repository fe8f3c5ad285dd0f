"""Properties of the small parsers that see arbitrary upstream text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.lookups.http import parse_retry_after
from bot.lookups.names import fold_name
from bot.lookups.niassembly import assembly_constituency_key


@given(st.text())
def test_folding_a_name_twice_changes_nothing(name):
    assert fold_name(fold_name(name)) == fold_name(name)


# UK place names are in Latin script (Welsh and Gaelic accents included).
@given(st.text(alphabet=st.characters(categories=["L", "Zs"], max_codepoint=0xFF), min_size=1))
def test_folding_ignores_case_and_surrounding_punctuation(name):
    assert fold_name(f"  {name.upper()}, ") == fold_name(name.lower())


def test_names_spelt_differently_by_two_sources_match():
    assert fold_name("Inverness, Skye and West Ross-shire") == fold_name(
        "inverness skye & west ross shire")
    assert fold_name("Ynys Môn") == fold_name("Ynys Mon")
    # Not fuzzy: a longer name is a different place.
    assert fold_name("Belfast South") != fold_name("Belfast South and Mid Down")


def test_only_the_renamed_ni_seat_is_mapped_to_its_assembly_name():
    assert assembly_constituency_key("Belfast South and Mid Down") == "belfast south"
    assert assembly_constituency_key("South Antrim") == "south antrim"


@given(st.text())
def test_any_retry_after_header_parses_or_is_ignored(value):
    seconds = parse_retry_after(value)
    assert seconds is None or seconds >= 0
