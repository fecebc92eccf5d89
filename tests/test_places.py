"""The gazetteer (SPEC §1.1): one answer to "does this area cover that one?" for every rule and filter."""

from __future__ import annotations

import csv
import subprocess
import sys
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bidcheck.places import covers, describe, local_authority, presence, unknown


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("bidcheck").joinpath("data", "places", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def same_place(a: str, b: str) -> bool:
    return covers(a, b) and covers(b, a)


def strictly_within(inner: str, outer: str) -> bool:
    return covers(outer, inner) and not covers(inner, outer)


# --- each level, both ways ---------------------------------------------------------------


def test_walks_from_local_authority_name_to_code_itl3_itl2_itl1_and_region_and_back():
    chain = ["Hackney", "TLI41", "TLI4", "TLI", "London"]
    assert same_place("Hackney", "E09000012")  # the local authority's ONS code
    assert strictly_within("Hackney", "TLI41")  # TLI41 is Hackney and Newham
    assert strictly_within("TLI41", "TLI4")
    assert strictly_within("TLI4", "TLI")
    assert same_place("TLI", "London")
    for inner_index, inner in enumerate(chain):
        for outer in chain[inner_index:]:
            assert covers(outer, inner), (outer, inner)


def test_north_west_covers_tld33_covers_manchester():
    assert strictly_within("TLD33", "North West") and same_place("TLD33", "Manchester")
    assert strictly_within("TLD33", "TLD3") and same_place("TLD3", "Greater Manchester")
    assert covers("North West", "Manchester") and not covers("Manchester", "North West")


def test_london_covers_camden_and_not_the_other_way():
    assert covers("London", "Camden") and not covers("Camden", "London")
    assert not covers("Camden", "Islington") and not covers("Islington", "Camden")


def test_council_affixes_name_the_same_local_authority():
    for written in ("London Borough of Camden", "Camden Council", "camden", "  CAMDEN "):
        assert same_place("Camden", written), written
    assert same_place("Manchester City Council", "Manchester")
    assert same_place("City of London", "City of London Corporation")
    assert strictly_within("City of London", "London")  # "City of" is not stripped to reach the region


def test_case_spacing_and_punctuation_do_not_matter():
    assert same_place("ukd 33", "UKD33")
    assert same_place("Yorkshire & the Humber", "yorkshire and the humber")
    assert same_place("Stockton-on-Tees", "Stockton on Tees")
    assert same_place("Ards and North Down ", "ards and north down")  # ONS writes it with a trailing space


# --- NUTS 2016 and ITL ---------------------------------------------------------------


@pytest.mark.parametrize("nuts, itl", [("UKD", "TLD"), ("UKD3", "TLD3"), ("UKD33", "TLD33"), ("UKI41", "TLI41"), ("UKM82", "TLM82")])
def test_a_nuts_code_is_the_itl_2021_area_at_its_own_level(nuts, itl):
    assert same_place(nuts, itl)


def test_nuts_and_itl_nest_across_the_two_classifications():
    assert covers("TLI", "UKI31") and covers("UKI", "TLI36") and covers("UKD", "TLD33") and covers("TLD3", "UKD33")
    assert not covers("UKD33", "TLD3")


def test_northern_ireland_nuts_codes_are_the_tln0_itl_codes_not_tl_plus_the_suffix():
    assert same_place("UKN10", "TLN0A") and same_place("TLN0A", "Derry City and Strabane")
    assert same_place("UKN16", "TLN0G")
    assert unknown(["TLN10"]) == ["TLN10"]  # "TL" + "N10" is no ITL code
    assert covers("UKN", "Belfast") and covers("Northern Ireland", "UKN06")


def test_dorset_nuts_codes_follow_the_exceptions():
    assert same_place("UKK21", "TLK24") and same_place("UKK22", "TLK25")


# --- ITL 2021 and ITL 2025 ------------------------------------------------------------


def test_london_2025_split_camden_lies_within_2021_camden_and_city():
    assert covers("TLI31", "TLI36") and not covers("TLI36", "TLI31")
    assert covers("UKI31", "Camden") and covers("UKI31", "City of London")
    assert covers("TLI35", "TLI32") and not covers("TLI32", "TLI35")  # Westminster (2021) within Westminster and City
    assert not covers("TLI31", "TLI35") and not covers("TLI35", "TLI31")  # they overlap in the City only
    assert same_place("TLI36", "Camden") and same_place("TLI35", "Westminster and City of London")


def test_scotland_renumbered_in_2025_names_the_same_areas():
    assert same_place("TLM82", "TLM32") and same_place("TLM32", "Glasgow City")
    assert strictly_within("TLM64", "TLM20")  # Na h-Eileanan Siar within Highlands and Islands (2025)
    assert covers("TLM20", "Highland") and not covers("TLM61", "Highland")  # Highland straddles TLM61-63
    assert covers("TLM20", "Arran and Cumbrae") and covers("TLM93", "UKM93") and not covers("TLM93", "North Ayrshire")
    assert covers("Scotland", "North Ayrshire")


def test_wales_renumbered_in_2025_names_the_same_areas():
    assert same_place("TLL22", "TLL52") and covers("TLL22", "Cardiff") and covers("UKL22", "Cardiff")
    assert covers("TLL51", "TLL15") and not covers("TLL15", "TLL51")  # Central Valleys, then with Bridgend
    assert covers("TLL17", "Bridgend") and covers("TLL24", "Powys") and covers("TLL41", "TLL24")
    assert covers("Wales", "TLL41") and covers("Wales", "UKL14")


def test_cumbria_many_to_many_neither_edition_covers_the_other():
    for area_2021 in ("TLD11", "TLD12", "UKD11"):
        for area_2025 in ("TLD13", "TLD14", "Cumberland", "Westmorland and Furness"):
            assert not covers(area_2021, area_2025) and not covers(area_2025, area_2021)
    for area in ("TLD11", "TLD12", "TLD13", "TLD14", "Cumberland"):
        assert covers("TLD1", area) and covers("Cumbria", area) and covers("UKD1", area)


def test_renamed_codes_of_the_north_east_and_somerset_are_the_same_areas():
    assert same_place("TLC11", "TLC31") and same_place("TLK23", "TLK62") and same_place("TLK23", "Somerset")


def test_every_itl3_2021_and_nuts_code_and_local_authority_is_placed():
    codes = {row["ITL321CD"] for row in _rows("itl3_2021_2025.csv")} | {row["ITL325CD"] for row in _rows("itl3_2021_2025.csv")}
    codes |= {row["nuts2016_code"] for row in _rows("nuts2016_itl2021.csv")} | {row["itl2021_code"] for row in _rows("nuts2016_itl2021.csv")}
    lookup = _rows("lad_itl2025.csv")
    codes |= {row[column] for row in lookup for column in ("LAD25CD", "ITL325CD", "ITL225CD", "ITL125CD")}
    names = {row["LAD25NM"] for row in lookup} | {row["region_name"] for row in _rows("region_itl1.csv")}
    assert unknown(sorted(codes | names)) == []
    for row in lookup:
        assert covers(row["ITL325CD"], row["LAU125CD"]) and covers(row["LAD25NM"], row["LAU125CD"])
        assert covers(row["ITL225CD"], row["ITL325CD"])
        assert covers(row["ITL125CD"], row["ITL225CD"]) and covers("United Kingdom", row["LAD25CD"])


# --- regions and countries ------------------------------------------------------------


def test_region_names_as_notices_write_them_are_their_itl1():
    assert same_place("East of England", "East") and same_place("East", "East (England)") and same_place("East", "UKH")
    assert same_place("North West", "TLD") and same_place("Wales", "TLL") and same_place("Scotland", "UKM")
    assert same_place("UK", "United Kingdom")
    assert covers("England", "London") and not covers("England", "Cardiff") and not covers("London", "England")
    assert covers("Great Britain", "Glasgow City") and not covers("Great Britain", "Belfast") and covers("UK", "Belfast")


def test_west_midlands_is_the_region_not_the_metropolitan_county():
    assert covers("West Midlands", "Stoke-on-Trent") and same_place("West Midlands", "TLG")
    assert strictly_within("TLG3", "West Midlands")


# --- unknown names ----------------------------------------------------------------------


def test_an_unknown_name_matches_itself_and_nothing_else():
    assert covers("Narnia", "narnia ") and covers("Hackny", "HACKNY")
    assert not covers("Hackny", "Hackney") and not covers("Hackney", "Hackny")
    assert not covers("United Kingdom", "Narnia") and not covers("Narnia", "London")
    assert not covers("TLZ", "TLI") and not covers("TLI", "TLZ")  # Extra-Regio: no place


def test_unknown_lists_each_unknown_name_once_in_order_and_postcodes_are_not_unknown():
    found = unknown(["Camden", "Hackny", "NW1 2DB", "BZ", "hackny ", "TLI36", "Channel Islands", "Hackny"])
    assert found == ["Hackny", "BZ", "Channel Islands"]


def test_a_postcode_is_covered_by_itself_its_outward_code_and_its_area_letters():
    assert covers("LN1", "LN1 1YL") and covers("LN", "ln11yl") and covers("LN1 1YL", "LN11YL")
    assert not covers("LN10", "LN1 1YL") and not covers("LN1 1YL", "LN1")


# --- presence ---------------------------------------------------------------------------


def test_presence_is_judged_area_by_area():
    assert presence(["Camden"], ["Camden", "Islington"]) == ["Camden"]
    assert presence(["London"], ["Camden", "Islington"]) == ["Camden", "Islington"]
    assert presence(["North West"], ["UKD33", "Leeds"]) == ["UKD33"]
    assert presence([], ["Camden"]) == [] and presence(["Camden"], []) == []


# --- properties -------------------------------------------------------------------------

KNOWN = [
    "United Kingdom", "England", "London", "North West", "Scotland", "Wales", "UKI", "TLI", "UKI3", "TLI3", "UKI31",
    "TLI31", "TLI35", "TLI36", "Camden", "City of London", "Westminster", "UKD", "TLD3", "UKD33", "Manchester",
    "TLD1", "TLD11", "TLD13", "Cumberland", "TLM", "TLM6", "TLM20", "TLM64", "Highland", "UKL2", "TLL22", "TLL52",
    "Cardiff", "UKN10", "TLN0A", "Great Britain", "Islington", "Hackney", "TLI41",
]  # fmt: skip


@given(st.text(max_size=30))
def test_every_area_covers_itself(area):
    assert covers(area, area)


@given(st.sampled_from(KNOWN), st.sampled_from(KNOWN), st.sampled_from(KNOWN))
def test_covers_is_transitive_across_the_hierarchy_and_editions(a, b, c):
    if covers(a, b) and covers(b, c):
        assert covers(a, c)


@given(st.text(max_size=40))
def test_any_text_gets_an_answer_never_an_exception(text):
    assert isinstance(covers(text, "London"), bool) and isinstance(covers("London", text), bool)
    assert local_authority(text) is None or isinstance(local_authority(text), str)
    assert describe(text) is None or isinstance(describe(text), str)


# --- local authorities and descriptions -----------------------------------------------


@pytest.mark.parametrize(
    "buyer, authority",
    [
        ("London Borough of Camden", "Camden"),
        ("Camden Council", "Camden"),
        ("Manchester City Council", "Manchester"),
        ("Cardiff Council", "Cardiff"),
        ("Glasgow City Council", "Glasgow City"),
        ("The Highland Council", "Highland"),
        ("Royal Borough of Greenwich", "Greenwich"),
        ("City of London Corporation", "City of London"),
        ("Westminster City Council", "Westminster"),
        ("Kent County Council", "Kent"),
        ("NHS England", None),
        ("Ministry of Justice", None),
        ("London", None),
        ("Wales Council for Voluntary Action", None),
        ("North West Council", None),
    ],
)
def test_local_authority_of_a_buyer(buyer, authority):
    assert local_authority(buyer) == authority


def test_local_authority_names_what_covers_understands():
    assert covers("Camden", local_authority("London Borough of Camden"))
    assert covers("TLM3", local_authority("Glasgow City Council"))


@pytest.mark.parametrize(
    "area, description",
    [
        ("UKI31", "Camden and City of London (NUTS 2016)"),
        ("TLI36", "Camden (ITL 2025)"),
        ("TLI31", "Camden and City of London (ITL 2021)"),
        ("TLI4", "Inner London - East (ITL 2021 and 2025)"),
        ("Hackney", "Hackney (local authority E09000012, in TLI41 Hackney and Newham, ITL 2025)"),
        ("North West", "North West (region: TLD)"),
        ("Narnia", None),
    ],
)
def test_describe_says_what_an_area_is_and_its_edition(area, description):
    assert describe(area) == description


# --- loading --------------------------------------------------------------------------


def test_the_gazetteer_is_not_loaded_at_start_up():
    code = "import sys, bidcheck.cli; print('bidcheck.places.gazetteer' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("code", "within", "place"),
    [("UKK24", "South West", "TLK24"), ("UKK25", "UKK", "TLK25"), ("UKN0A", "Northern Ireland", "TLN0A")],
)
def test_nuts_2021_codes_that_differ_from_nuts_2016_are_their_itl_2021_twins(code, within, place):
    """Find a Tender notices carry NUTS 2021 codes too (Dorset after 2019, Northern Ireland's councils)."""
    from bidcheck.places import covers, describe, unknown

    assert unknown([code]) == []
    assert covers(within, code) and covers(code, place) and covers(place, code)
    assert "NUTS 2021" in describe(code)
