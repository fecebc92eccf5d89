"""`bidcheck import ocds` on Find a Tender (Procurement Act 2023) notices: every fact, per lot (SPEC §4.1).

Small hand-made releases in Find a Tender's shape test each field; the real notices in
../shared/data/ocds/fts (when present) test the whole: release 075819-2026 gives exactly the
issue's facts, and every tender notice (UK4) with a value keeps it.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import json
from collections.abc import Iterator
from typing import Any, Optional
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bidcheck.models import Organisation
from bidcheck.ocds import Release, Skip, tenders_from_release
from bidcheck.ocds import map as map_module
from bidcheck.ocds.facts import IncumbentGuess, LotFacts
from bidcheck.read import read_text
from bidcheck.validate import validate_tender
from tests.conftest import ROOT, stderr_text

SHARED = ROOT.parent / "shared" / "data" / "ocds"
FTS = SHARED / "fts"
needs_fts = pytest.mark.skipif(not FTS.is_dir(), reason="../shared/data/ocds/fts is not present")
YOUNG_CARERS = "075819-2026"

CAMDEN = {
    "id": "GB-PPON-PZXL-5842-VBBG",
    "name": "London Borough of Camden",
    "roles": ["buyer"],
    "address": {"postalCode": "WC1H 9JE", "countryName": "United Kingdom", "region": "UKI31"},
}
ISLINGTON = {
    "id": "GB-PPON-PBMD-2513-CWJJ",
    "name": "London Borough of Islington",
    "roles": ["buyer"],
    "address": {"postalCode": "N1 2UD", "countryName": "United Kingdom", "region": "UKI43"},
}
SUPPLIER = {"id": "GB-COH-1", "name": "A Supplier Ltd", "roles": ["supplier"]}


def percent(number: Any, weight: str = "percentageExact") -> list[dict[str, Any]]:
    return [{"number": number, "weight": weight}]


def lot(lot_id: str = "1", **changes: Any) -> dict[str, Any]:
    """A lot as Find a Tender publishes it: its value, period, criteria and suitability."""
    base = {
        "id": lot_id,
        "status": "active",
        "value": {"amountGross": 1210990.0, "amount": 968792.0, "currency": "GBP"},
        "awardCriteria": {
            "criteria": [
                {"type": "quality", "name": "Quality", "numbers": percent(60)},
                {"type": "price", "name": "Price", "numbers": percent(40)},
            ]
        },
        "suitability": {"sme": True, "vcse": True},
        "contractPeriod": {
            "startDate": "2027-02-01T00:00:00Z",
            "endDate": "2030-01-31T23:59:59Z",
            "maxExtentDate": "2032-01-31T23:59:59Z",
        },
    }
    base.update(changes)
    return base


def fts_release(lots: list[dict[str, Any]] | None = None, parties: list[dict[str, Any]] | None = None, **tender: Any) -> dict[str, Any]:
    """A small release in Find a Tender's shape (modelled on 075819-2026); ``tender`` keys replace the defaults."""
    body = {
        "id": "DN1",
        "title": "Young Carers services",
        "status": "active",
        "items": [{"id": "1", "additionalClassifications": [{"scheme": "CPV", "id": "85000000"}], "relatedLot": "1"}],
        "value": {"amountGross": 1210990.0, "amount": 968792.0, "currency": "GBP"},
        "specialRegime": ["lightTouch"],
        "tenderPeriod": {"endDate": "2026-09-10T14:00:00+01:00"},
        "lots": [lot()] if lots is None else lots,
        "documents": [
            {"id": "075819-2026", "documentType": "tenderNotice", "noticeType": "UK4",
             "description": "Tender notice on Find a Tender", "url": "https://www.find-tender.service.gov.uk/Notice/075819-2026"},
        ],
    }  # fmt: skip
    body.update(tender)
    return {
        "ocid": "ocds-h6vhtk-06e058",
        "id": "075819-2026",
        "tag": ["tender"],
        "date": "2026-08-10T15:07:21+01:00",
        "parties": [CAMDEN, ISLINGTON] if parties is None else parties,
        "buyer": {"id": CAMDEN["id"], "name": CAMDEN["name"]},
        "tender": body,
    }


def mapped(release: dict[str, Any], **options: Any) -> list[Any]:
    outcome = tenders_from_release(Release(release, "fts.json:1"), **options)
    assert not isinstance(outcome, Skip), str(outcome)
    for tender in outcome:  # what the importer writes, read back as `bidcheck check` reads it
        validate_tender(read_text(tender.text, tender.tender_id))
    return outcome


def fields(release: dict[str, Any], **options: Any) -> dict[str, Any]:
    [tender] = mapped(release, **options)
    return yaml.safe_load(tender.text)["tender"]


def comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if line.startswith("#"))


# --- value -----------------------------------------------------------------------------


def test_the_net_value_is_the_value_and_the_gross_one_a_comment():
    [tender] = mapped(fts_release())
    data = yaml.safe_load(tender.text)["tender"]
    assert data["value"] == 968792
    assert "value_includes_vat" not in data
    assert "£1,210,990" in comments(tender.text)


@pytest.mark.parametrize("where", ["tender", "lot"])
def test_a_gross_only_value_is_written_with_value_includes_vat(where):
    gross_only = {"amountGross": 1210990.0, "currency": "GBP"}
    release = fts_release(value=gross_only, lots=[lot(value=gross_only)])
    if where == "lot":
        del release["tender"]["value"]
    data = fields(release)
    assert (data["value"], data["value_includes_vat"]) == (1210990, True)


@pytest.mark.parametrize("published", ["968792.00", "968,792", "968792", " 968 792 "])
def test_amounts_published_as_text_are_read(published):
    release = fts_release(value={"amount": published, "currency": "GBP"}, lots=[lot(value={"amountGross": "1,210,990.00", "currency": "GBP"})])
    data = fields(release)
    assert data["value"] == 968792 and "value_includes_vat" not in data


def test_a_gross_amount_published_as_text_is_read_with_value_includes_vat():
    release = fts_release(value={"amountGross": "1,210,990", "currency": "GBP"}, lots=[lot(value={})])
    data = fields(release)
    assert (data["value"], data["value_includes_vat"]) == (1210990, True)


# --- term ------------------------------------------------------------------------------


def test_term_and_extension_come_from_the_contract_period_and_max_extent_date():
    data = fields(fts_release())
    assert (data["term_months"], data["extension_months"]) == (36, 24)


def test_the_whole_notice_contract_period_counts_when_the_lot_gives_none():
    period = {"startDate": "2026-10-01", "endDate": "2028-09-30", "maxExtentDate": "2029-09-30"}
    data = fields(fts_release(contractPeriod=period, lots=[lot(contractPeriod=None)]))
    assert (data["term_months"], data["extension_months"]) == (24, 12)


def test_a_max_extent_before_the_end_is_a_comment_not_an_extension():
    period = {"startDate": "2027-02-01", "endDate": "2030-01-31", "maxExtentDate": "2029-01-31"}
    [tender] = mapped(fts_release(lots=[lot(contractPeriod=period)]))
    assert "extension_months" not in yaml.safe_load(tender.text)["tender"]
    assert "extension left out" in comments(tender.text)


# --- CPV -------------------------------------------------------------------------------


def test_cpv_from_the_main_classification_items_and_lots_without_repeats_in_order():
    items = [
        {"id": "1", "classification": {"scheme": "CPV", "id": "85311000-2"}, "additionalClassifications": [{"scheme": "CPV", "id": "85000000"}], "relatedLot": "1"},
        {"id": "2", "additionalClassifications": [{"scheme": "CPV", "id": "85312000"}, {"scheme": "CPV", "id": "85000000"}]},
        {"id": "3", "additionalClassifications": [{"scheme": "UNSPSC", "id": "12345678"}]},
    ]
    release = fts_release(items=items, classification={"scheme": "CPV", "id": "85300000"}, lots=[lot(additionalClassifications=[{"scheme": "CPV", "id": "85320000"}])])
    assert fields(release)["cpv"] == ["85300000", "85320000", "85311000", "85000000", "85312000"]


# --- award weights ---------------------------------------------------------------------


def test_percentage_award_weights_become_award_weights():
    assert fields(fts_release())["award_weights"] == {"price": 40, "quality": 60}


def test_a_social_value_criterion_and_a_cost_criterion_have_their_own_keys():
    criteria = [
        {"type": "quality", "name": "Quality", "numbers": percent(50)},
        {"type": "quality", "name": "Social Value", "numbers": percent(10)},
        {"type": "cost", "name": "Whole-life cost", "numbers": percent(40)},
    ]
    weights = fields(fts_release(lots=[lot(awardCriteria={"criteria": criteria})]))["award_weights"]
    assert weights == {"quality": 50, "social_value": 10, "price": 40}


@pytest.mark.parametrize(
    "criteria",
    [
        [{"type": "quality", "numbers": percent(1, "order")}, {"type": "price", "numbers": percent(2, "order")}],
        [{"type": "quality", "numbers": percent(60)}, {"type": "price", "numbers": percent(30)}],
        [{"type": "quality", "numbers": percent(60)}, {"type": "price", "name": "Price"}],
        [{"type": "quality", "numbers": percent(0.6, "decimalExact")}, {"type": "price", "numbers": percent(0.4, "decimalExact")}],
    ],
    ids=["an order of importance", "do not add up", "one without a weight", "decimals"],
)
def test_weights_that_are_not_percentages_or_do_not_add_up_go_in_a_comment(criteria):
    [tender] = mapped(fts_release(lots=[lot(awardCriteria={"criteria": criteria})]))
    assert "award_weights" not in yaml.safe_load(tender.text)["tender"]
    assert "Award criteria:" in comments(tender.text)


# --- regime, suitability, reservations, fees -------------------------------------------


def test_light_touch_comes_from_the_special_regime():
    assert fields(fts_release())["light_touch"] is True
    assert "light_touch" not in fields(fts_release(specialRegime=["utilities"]))


def test_suitability_is_read_from_the_lot_and_from_the_whole_tender():
    assert fields(fts_release())["suitable_for"] == ["sme", "vcse"]
    from_tender = fts_release(suitability={"sme": True}, lots=[lot(suitability=None)])
    assert fields(from_tender)["suitable_for"] == ["sme"]
    assert "suitable_for" not in fields(fts_release(lots=[lot(suitability={"sme": False})]))


def test_the_vcse_flag_of_a_lot_is_what_the_selection_sees():
    [tender] = mapped(fts_release())
    assert tender.vcse is True
    [not_flagged] = mapped(fts_release(lots=[lot(suitability={"sme": True})]))
    assert not_flagged.vcse is None


def test_reserved_participation_for_smes_and_vcses_and_its_location():
    requirements = {
        "reservedParticipation": ["smeVcse"],
        "reservedParticipationLocation": {"gazetteer": {"scheme": "GB-ONS", "identifiers": ["E09000016"]}, "description": "Havering"},
    }
    [tender] = mapped(fts_release(otherRequirements=requirements))
    assert yaml.safe_load(tender.text)["tender"]["reserved_for"] == ["sme", "vcse"]
    assert "Havering (E09000016)" in comments(tender.text)


def test_a_reservation_that_is_not_for_smes_or_vcses_is_a_comment():
    [tender] = mapped(fts_release(otherRequirements={"reservedParticipation": ["shelteredWorkshop"]}))
    assert "reserved_for" not in yaml.safe_load(tender.text)["tender"]
    assert "shelteredWorkshop" in comments(tender.text)


def test_a_fee_the_winner_pays_on_the_award_is_a_participation_fee_percentage():
    fees = [{"id": "1", "type": ["win"], "relativeValue": {"proportion": 0.006, "monetaryValue": "award"}}]
    assert fields(fts_release(participationFees=fees))["participation_fee_pct"] == 0.6


def test_other_kinds_of_fee_are_comments():
    fees = [{"id": "1", "type": ["submission"], "description": "A fee to submit"}, {"id": "2", "type": ["document"]}]
    [tender] = mapped(fts_release(participationFees=fees))
    assert "participation_fee_pct" not in yaml.safe_load(tender.text)["tender"]
    assert "a submission fee, A fee to submit" in comments(tender.text)
    assert "a document fee" in comments(tender.text)


# --- buyers, places, notice type -------------------------------------------------------


def test_every_buyer_is_named_the_lead_buyer_first():
    data = fields(fts_release(parties=[ISLINGTON, SUPPLIER, CAMDEN]))
    assert (data["buyer"], data["co_buyers"]) == ("London Borough of Camden", ["London Borough of Islington"])


def test_delivery_regions_and_postcodes_are_both_kept():
    items = [
        {"id": "1", "deliveryAddresses": [{"region": "TLI43"}, {"postalCode": "N1 2UD"}], "relatedLot": "1"},
        {"id": "2", "deliveryAddresses": [{"region": "UKI31", "postalCode": "WC1H 9JE"}]},
    ]
    assert fields(fts_release(items=items))["areas"] == ["TLI43", "N1 2UD", "UKI31", "WC1H 9JE"]


def test_with_no_delivery_place_the_buyers_address_regions_keep_their_edition(monkeypatch):
    import bidcheck.places

    monkeypatch.setattr(bidcheck.places, "local_authority", lambda name: None, raising=False)
    islington = {**ISLINGTON, "address": {"region": "TLI43"}}
    [tender] = mapped(fts_release(parties=[CAMDEN, islington]))
    assert yaml.safe_load(tender.text)["tender"]["areas"] == ["UKI31", "TLI43"]
    assert "names no delivery place" in comments(tender.text)


def test_with_no_delivery_place_the_buyers_local_authorities_are_the_areas():
    places = pytest.importorskip("bidcheck.places")
    if not hasattr(places, "local_authority"):
        pytest.skip("bidcheck.places.local_authority (the gazetteer) is not on this branch yet")
    data = fields(fts_release())
    assert data["areas"] == ["Camden", "Islington"]
    assert all(places.covers("TLI", area) for area in data["areas"])


def test_the_notice_type_is_in_the_source_and_named_in_the_header():
    [tender] = mapped(fts_release())
    assert yaml.safe_load(tender.text)["tender"]["source"]["notice_type"] == "UK4"
    assert tender.text.startswith("# Imported by `bidcheck import ocds` from Find a Tender (UK4 tender notice):")


def test_an_expression_of_interest_deadline_before_the_tender_deadline_is_the_deadline():
    [tender] = mapped(fts_release(expressionOfInterestDeadline="2026-08-28T23:59:59+01:00"))
    assert tender.deadline == datetime.date(2026, 8, 28)
    assert yaml.safe_load(tender.text)["tender"]["deadline"] == datetime.date(2026, 8, 28)


# --- lots ------------------------------------------------------------------------------


def two_lot_release() -> dict[str, Any]:
    items = [
        {"id": "1", "additionalClassifications": [{"scheme": "CPV", "id": "85312000"}], "deliveryAddresses": [{"region": "UKI31"}], "relatedLot": "1"},
        {"id": "2", "additionalClassifications": [{"scheme": "CPV", "id": "85320000"}], "deliveryAddresses": [{"postalCode": "N1 2UD"}], "relatedLot": "2"},
    ]
    second = lot(
        "2",
        title="Islington",
        value={"amountGross": 600000, "currency": "GBP"},
        suitability={"sme": True},
        contractPeriod={"startDate": "2027-04-01", "endDate": "2029-03-31"},
        awardCriteria={"criteria": [{"type": "quality", "numbers": percent(70)}, {"type": "price", "numbers": percent(30)}]},
    )
    return fts_release(items=items, lots=[lot("1", title="Camden"), second], classification={"scheme": "CPV", "id": "85300000"})


def test_each_lot_with_a_value_is_its_own_file_with_its_own_facts():
    first, second = mapped(two_lot_release())
    one, two = yaml.safe_load(first.text)["tender"], yaml.safe_load(second.text)["tender"]
    assert (first.lot, second.lot) == ("1", "2")
    assert (one["id"], two["id"]) == ("ocds-h6vhtk-06e058-lot-1", "ocds-h6vhtk-06e058-lot-2")
    assert (one["value"], "value_includes_vat" in one) == (968792, False)
    assert (two["value"], two["value_includes_vat"]) == (600000, True)
    assert (one["term_months"], one["extension_months"], two["term_months"], "extension_months" in two) == (36, 24, 24, False)
    assert (one["award_weights"], two["award_weights"]) == ({"quality": 60, "price": 40}, {"quality": 70, "price": 30})
    assert (one["suitable_for"], two["suitable_for"]) == (["sme", "vcse"], ["sme"])
    assert (one["cpv"], two["cpv"]) == (["85300000", "85312000"], ["85300000", "85320000"])
    assert (one["areas"], two["areas"]) == (["UKI31"], ["N1 2UD"])
    assert (first.facts.start, second.facts.start) == (datetime.date(2027, 2, 1), datetime.date(2027, 4, 1))


def test_lots_without_values_give_one_file_with_what_every_lot_shares():
    release = two_lot_release()
    for each in release["tender"]["lots"]:
        each["value"] = None
    release["tender"]["lots"][1]["suitability"] = {"sme": True, "vcse": True}
    [tender] = mapped(release)
    data = yaml.safe_load(tender.text)["tender"]
    assert (tender.lot, data["value"], data["suitable_for"]) == (None, 968792, ["sme", "vcse"])
    assert "award_weights" not in data and "Award criteria differ by lot" in comments(tender.text)
    assert "Lots: 2" in comments(tender.text)


# --- the likely incumbent --------------------------------------------------------------


def test_a_likely_incumbent_is_written_as_an_incumbent_block_and_validated():
    seen: list[LotFacts] = []

    def incumbent_for(facts: LotFacts) -> IncumbentGuess:
        seen.append(facts)
        return IncumbentGuess(name="Carers First", source="award 012345-2023 (same buyer, CPV 85000, similar title)", vcse=True, years_delivering=3.5, annual_income=1_200_000)

    [tender] = mapped(fts_release(), incumbent_for=incumbent_for)
    incumbent = yaml.safe_load(tender.text)["incumbent"]
    assert incumbent == {
        "name": "Carers First",
        "vcse": True,
        "years_delivering": 3.5,
        "annual_income": 1200000,
        "source": "award 012345-2023 (same buyer, CPV 85000, similar title)",
    }
    assert "inferred from award history" in comments(tender.text)
    assert "who delivers this service now" not in tender.text
    [facts] = seen
    assert facts == tender.facts
    assert facts.buyer_ids == (CAMDEN["id"], ISLINGTON["id"])
    assert facts.buyer_names == (CAMDEN["name"], ISLINGTON["name"])
    assert (facts.cpv, facts.start, facts.ocid) == (("85000000",), datetime.date(2027, 2, 1), "ocds-h6vhtk-06e058")


def test_no_incumbent_found_leaves_it_out_and_asks_who_delivers_it_now():
    [tender] = mapped(fts_release(), incumbent_for=lambda facts: None)
    assert "incumbent" not in yaml.safe_load(tender.text)
    assert "who delivers this service now" in tender.text


def test_the_imported_tender_carries_the_facts_triage_needs():
    [tender] = mapped(fts_release())
    assert (tender.title, tender.buyer, tender.lot, tender.deadline) == ("Young Carers services", CAMDEN["name"], None, datetime.date(2026, 9, 10))


# --- with the organisation -------------------------------------------------------------


@pytest.fixture
def organisation() -> Organisation:
    """Our organisation: carers' support by CPV 853 or 850, in Camden."""
    return Organisation.model_validate({"name": "Example", "services": [{"name": "carers-support", "cpv": ["853", "850"]}], "areas": ["Camden"]})


def test_the_service_is_filled_from_our_services_cpv_prefixes(organisation):
    assert fields(fts_release(), organisation=organisation)["service"] == "carers-support"


def test_a_notice_outside_every_service_and_area_of_ours_says_so(organisation):
    items = [{"id": "1", "additionalClassifications": [{"scheme": "CPV", "id": "45000000"}], "deliveryAddresses": [{"region": "Wales"}]}]
    [tender] = mapped(fts_release(items=items), organisation=organisation)
    assert "service" not in yaml.safe_load(tender.text)["tender"]
    assert "Outside our services and areas: CPV 45000000" in comments(tender.text)
    items[0]["deliveryAddresses"] = [{"region": "Camden"}]
    [in_our_area] = mapped(fts_release(items=items), organisation=organisation)
    assert "Outside our services" not in in_our_area.text


# --- any JSON in any field -------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
FIELDS = [
    ("tender", "value"), ("tender", "value", "amount"), ("tender", "value", "amountGross"), ("tender", "value", "currency"),
    ("tender", "lots"), ("tender", "lots", 0), ("tender", "lots", 0, "value"), ("tender", "lots", 0, "value", "amountGross"),
    ("tender", "lots", 0, "contractPeriod"), ("tender", "lots", 0, "contractPeriod", "maxExtentDate"),
    ("tender", "lots", 0, "contractPeriod", "durationInDays"), ("tender", "lots", 0, "awardCriteria"),
    ("tender", "lots", 0, "awardCriteria", "criteria", 0, "numbers"), ("tender", "lots", 0, "awardCriteria", "criteria", 0, "type"),
    ("tender", "lots", 0, "suitability"), ("tender", "lots", 0, "id"), ("tender", "suitability"),
    ("tender", "specialRegime"), ("tender", "otherRequirements"), ("tender", "otherRequirements", "reservedParticipation"),
    ("tender", "participationFees"), ("tender", "items"), ("tender", "items", 0, "relatedLot"),
    ("tender", "items", 0, "additionalClassifications"), ("tender", "items", 0, "deliveryAddresses"),
    ("tender", "documents"), ("tender", "documents", 0, "noticeType"), ("tender", "expressionOfInterestDeadline"),
    ("tender", "contractPeriod"), ("parties",), ("parties", 0, "roles"), ("parties", 0, "address"), ("buyer",),
]  # fmt: skip


def set_path(data: Any, path: tuple[Any, ...], value: Any) -> None:
    """Put ``value`` at ``path``, making the objects on the way."""
    for key in path[:-1]:
        data = data.setdefault(key, {}) if isinstance(data, dict) else data[key]
    data[path[-1]] = value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(FIELDS), value=json_values, incumbent=st.booleans())
def test_any_json_in_any_find_a_tender_field_never_raises_and_never_writes_an_invalid_file(path, value, incumbent):
    release = copy.deepcopy(two_lot_release())
    set_path(release, path, value)
    guess = IncumbentGuess(name="X", source="award Y", vcse=True, years_delivering=3.25, annual_income=1.5e6, scale="sme") if incumbent else None
    with validated_data() as validated:
        outcome = tenders_from_release(Release(release, "h:1"), incumbent_for=lambda facts: guess)
    if isinstance(outcome, Skip):
        assert not outcome.detail.startswith("could not be written")
        return
    for tender in outcome:
        document = read_text(tender.text, tender.tender_id)
        assert document.data == validated[tender.tender_id]  # what was validated is what the file says
        validate_tender(document)


# --- the real Find a Tender notices ----------------------------------------------------


def fts_releases() -> list[dict[str, Any]]:
    return [release for path in sorted(FTS.glob("*.json")) for release in json.loads(path.read_text(encoding="utf-8"))["releases"]]


@needs_fts
def test_young_carers_across_camden_and_islington_gives_the_facts_the_notice_states(run_cli, tmp_path):
    [release] = [release for release in fts_releases() if release["id"] == YOUNG_CARERS]
    package = tmp_path / "young-carers.json"
    package.write_text(json.dumps({"releases": [release]}), encoding="utf-8")
    process = run_cli("import", "ocds", str(package), "-o", str(tmp_path / "out"), "--as-of", "2026-08-15")
    assert process.returncode == 0, stderr_text(process)
    [written] = (tmp_path / "out").glob("*.yaml")
    tender = yaml.safe_load(written.read_text(encoding="utf-8"))["tender"]
    assert (tender["value"], tender.get("value_includes_vat")) == (968792, None)
    assert (tender["term_months"], tender["extension_months"]) == (36, 24)
    assert tender["award_weights"] == {"price": 40, "quality": 60}
    assert (tender["light_touch"], tender["suitable_for"]) == (True, ["sme", "vcse"])
    assert (tender["buyer"], tender["co_buyers"]) == ("London Borough of Camden", ["London Borough of Islington"])
    assert tender["source"]["notice_type"] == "UK4"
    from bidcheck import places  # areas an organisation in Camden, or in TLI, covers

    assert tender["areas"] == ["Camden", "Islington"]
    assert any(places.covers("Camden", area) for area in tender["areas"])
    assert all(places.covers("TLI", area) for area in tender["areas"])


def notice_type(release: dict[str, Any]) -> set[str]:
    return {document.get("noticeType") for document in release.get("tender", {}).get("documents") or []}


@needs_fts
def test_every_find_a_tender_tender_notice_with_a_value_keeps_it():
    from bidcheck.ocds.values import money

    tender_notices = [release for release in fts_releases() if "UK4" in notice_type(release)]
    valued = [
        release
        for release in tender_notices
        if money(release["tender"].get("value")) or any(money(each.get("value")) for each in release["tender"].get("lots") or [])
    ]
    assert len(valued) > 100  # the two days hold 154 tender notices
    lost = [release["id"] for release in valued if any(tender.value is None for tender in mapped(release))]
    assert lost == []


@needs_fts
def test_every_find_a_tender_release_with_a_tender_maps_to_valid_files():
    outcomes, written = [], 0
    for release in fts_releases():
        if not isinstance(release.get("tender"), dict):
            continue
        with validated_data() as validated:
            outcomes.append(outcome := tenders_from_release(Release(release, "fts:1")))
        for tender in [] if isinstance(outcome, Skip) else outcome:
            # the importer validated the data it rendered; bidcheck check reads the text: the same
            document = read_text(tender.text, tender.tender_id)
            assert document.data == validated[tender.tender_id]
            validate_tender(document)
            written += 1
    assert [str(outcome) for outcome in outcomes if isinstance(outcome, Skip) and outcome.detail.startswith("could not be written")] == []
    assert written > 100


@contextlib.contextmanager
def validated_data() -> Iterator[dict[str, dict[str, Any]]]:
    """The data the importer validated for each tender id (bidcheck.ocds.map.validation_problem)."""
    seen: dict[str, dict[str, Any]] = {}
    real = map_module.validation_problem

    def keeping(data: dict[str, Any], tender_id: str) -> Optional[str]:
        seen[tender_id] = data
        return real(data, tender_id)

    with mock.patch.object(map_module, "validation_problem", keeping):
        yield seen


@needs_fts
def test_suitable_vcse_keeps_the_find_a_tender_lots_their_buyers_flag_for_vcses():
    from bidcheck.ocds import NoticeFilter, plan_import

    inputs = [(str(path), path.read_bytes()) for path in sorted(FTS.glob("*.json"))]
    kept = plan_import(inputs, NoticeFilter(suitable_vcse=True)).tenders
    assert kept, "a VCSE flag on a lot is a VCSE flag"
    assert all("vcse" in yaml.safe_load(tender.text)["tender"]["suitable_for"] for tender in kept)


@pytest.mark.parametrize(
    ("region", "parties", "areas"),
    [
        ("UKI", None, ["Camden", "Islington"]),  # London, as the notice says: the two councils buying it, within London
        ("England", None, ["Camden", "Islington"]),
        ("UKI31", [CAMDEN], ["Camden"]),  # Camden and City of London (NUTS 2016), bought by Camden alone
        ("UKD33", None, ["UKD33"]),  # Manchester does not contain the London councils: published as it is
    ],
)
def test_a_councils_notice_given_only_a_wider_region_is_delivered_in_the_councils_areas(region, parties, areas):
    release = fts_release(parties=parties, items=[{"id": "1", "deliveryAddresses": [{"region": region}], "relatedLot": "1"}])
    assert fields(release)["areas"] == areas


def test_a_notice_bought_with_a_body_that_is_no_council_keeps_its_published_region():
    nhs = {**ISLINGTON, "id": "GB-PPON-NHS", "name": "NHS North Central London Integrated Care Board"}
    release = fts_release(parties=[CAMDEN, nhs], items=[{"id": "1", "deliveryAddresses": [{"region": "UKI"}], "relatedLot": "1"}])
    assert fields(release)["areas"] == ["UKI"]


def test_import_reads_the_organisation_from_the_config_named_or_found_upward(run_cli, tmp_path):
    package = tmp_path / "notices.json"
    package.write_text(json.dumps({"releases": [fts_release()]}), encoding="utf-8")
    config = 'organisation: {services: [{name: carers-support, cpv: ["850"]}], areas: [Camden]}\n'
    (tmp_path / "bidcheck.yaml").write_text(config, encoding="utf-8")
    found = run_cli("import", "ocds", str(package), "-o", str(tmp_path / "found"), "--as-of", "2026-08-15")
    assert found.returncode == 0, stderr_text(found)
    [written] = (tmp_path / "found").glob("*.yaml")
    assert yaml.safe_load(written.read_text(encoding="utf-8"))["tender"]["service"] == "carers-support"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "ours.yaml").write_text(config.replace("carers-support", "young-carers"), encoding="utf-8")
    named = run_cli("import", "ocds", str(package), "-o", str(tmp_path / "named"), "--as-of", "2026-08-15",
                    "--config", str(elsewhere / "ours.yaml"))  # fmt: skip
    assert named.returncode == 0, stderr_text(named)
    [written] = (tmp_path / "named").glob("*.yaml")
    assert yaml.safe_load(written.read_text(encoding="utf-8"))["tender"]["service"] == "young-carers"


def test_a_config_that_does_not_validate_stops_the_import_with_its_located_errors(run_cli, tmp_path):
    package = tmp_path / "notices.json"
    package.write_text(json.dumps({"releases": [fts_release()]}), encoding="utf-8")
    (tmp_path / "bidcheck.yaml").write_text("organisation:\n  servics: [carers-support]\n", encoding="utf-8")
    process = run_cli("import", "ocds", str(package), "-o", str(tmp_path / "out"), "--as-of", "2026-08-15")
    assert process.returncode == 2
    assert "bidcheck.yaml:2:3" in stderr_text(process) and "Traceback" not in stderr_text(process)
    assert not (tmp_path / "out").exists()
