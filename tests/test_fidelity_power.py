"""Fidelity situations for the power rules (issue 13): whole tenders, as a bid team would write
them, run through the whole catalogue by the installed CLI, judged as the guidance reads.

Each tender gives every fact the other rules need, so they stay quiet except where the
situation says; the assertions name the power and collaboration rules' findings and the verdict.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import yaml

# Every policy adopted, so each power rule that fires blocks.
CONFIG: dict[str, Any] = {
    "organisation": {
        "name": "Example National Charity",
        "annual_income": "£45m",
        "services": ["substance-misuse"],
        "areas": ["Hackney"],
        "free_reserves": "£6m",
    },
    "policies": {
        "refuse_loss_making_bids": True,
        "no_compete_with_smaller": True,
        "no_exclusivity_clauses": True,
        "no_bid_candy": True,
        "fair_partner_terms": True,
    },
}

# A new service we would deliver alone, priced above full cost, in a place and service we know.
TENDER: dict[str, Any] = {
    "tender": {
        "id": "FID-POWER-1",
        "title": "Young people's substance misuse service",
        "buyer": "London Borough of Hackney",
        "service": "substance-misuse",
        "value": "£1.2m",
        "term_months": 36,
        "areas": ["Hackney"],
        "published": "2026-09-01",
        "deadline": "2026-10-30",
        "results_pct": 0,
        "award_weights": {"price": 40, "quality": 50, "social_value": 10},
    },
    "incumbent": "none",
    "bid": {
        "role": "sole",
        "price": "£1.25m",
        "full_cost": "£1.2m",
        "mission_fit": "strong",
        "mission_rationale": "Young people's substance misuse is a core service of ours in Hackney.",
        "coproduction": "done",
        "growth_driven": False,
        "incumbent_approach": "compete",
        "transition_plan": True,
        "decision": {"by": "Board of trustees", "on": "2026-09-10"},
    },
}


def partner(name: str, income: str, **fields: Any) -> dict[str, Any]:
    """A partner with every fact a bid team gives, on fair terms; ``fields`` change it."""
    return {
        "name": name, "annual_income": income, "local": True, "role": "subcontractor", "value_pct": 20,
        "delivers": "outreach and group work", "management_fee_pct": 5, "results_pct": 0, "exclusivity": False,
        "agreement": "signed", "shaped_bid": True, "consented": True, "engaged": "before-publication", **fields,
    }  # fmt: skip


def tender(**sections: Any) -> dict[str, Any]:
    """TENDER with whole sections replaced and ``{"tender": {...}}``/``{"bid": {...}}`` merged in."""
    made = copy.deepcopy(TENDER)
    for key, value in sections.items():
        if key in ("tender", "bid") and isinstance(value, dict):
            made[key].update(value)
        else:
            made[key] = value
    return made


@pytest.fixture
def judge(run_cli, tmp_path):
    """Check one tender with the whole catalogue; returns (verdict, findings by rule id)."""

    def run(tender_file: dict[str, Any], **organisation: Any) -> tuple[str, dict[str, list[dict[str, Any]]]]:
        config = copy.deepcopy(CONFIG)
        config["organisation"].update(organisation)
        (tmp_path / "bidcheck.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        path = tmp_path / "tender.yaml"
        path.write_text(yaml.safe_dump(tender_file, allow_unicode=True, sort_keys=False), encoding="utf-8")
        process = run_cli("check", str(path), "--format", "json")
        report = json.loads(process.stdout)
        assert report["errors"] == [], report["errors"]
        (result,) = report["results"]
        found: dict[str, list[dict[str, Any]]] = {}
        for finding in result["findings"]:
            found.setdefault(finding["rule"], []).append(finding)
        return result["verdict"], found

    return run


POWER_RULES = ("PWR001", "PWR002", "PWR003", "PWR004", "PWR005", "PWR006", "COL001", "COL004")


def power_findings(found: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    return {rule: [f["severity"] for f in found[rule]] for rule in POWER_RULES if rule in found}


def test_a_new_service_we_deliver_alone_on_fair_terms_is_a_bid(judge):
    # The base every situation changes: nothing to say.
    verdict, found = judge(TENDER)
    assert verdict == "bid", found
    assert power_findings(found) == {}


def test_peer_consortium_with_mutual_exclusivity_is_collaboration_not_imposition(judge):
    peers = tender(
        bid={"role": "consortium-member", "value_pct": 34},
        partners=[
            partner("North Trust", "£9.8m", role="consortium-member", value_pct=33, exclusivity=True),
            partner("South Trust", "£11m", role="consortium-member", value_pct=33, exclusivity=True),
        ],
    )
    verdict, found = judge(peers, annual_income="£10.2m")
    assert power_findings(found) == {}
    assert verdict == "bid", found


def test_11m_incumbent_is_smaller_than_our_95m_and_competing_with_it_blocks(judge):
    competing = tender(
        incumbent={"name": "Regional Recovery Trust", "annual_income": "£11m", "contract_share_pct": 4, "local": False,
                   "user_led": False, "performance": "adequate", "years_delivering": 4, "staff": 6, "rebidding": True},
    )
    verdict, found = judge(competing, annual_income="£95m")
    assert verdict == "no-bid"
    (finding,) = found["PWR002"]
    assert finding["severity"] == "blocker" and finding["field"] == "bid.incumbent_approach"
    assert finding["evidence"]["their_income"] == 11_000_000 and finding["evidence"]["our_income"] == 95_000_000
    assert finding["evidence"]["income_ratio"] == round(11 / 95, 4)


def test_smaller_incumbent_that_is_not_local_still_blocks_when_we_compete(judge):
    competing = tender(
        incumbent={"name": "Midlands Recovery Network", "annual_income": "£3m", "contract_share_pct": 10, "local": False,
                   "user_led": False, "performance": "adequate", "years_delivering": 2, "staff": 4, "rebidding": True},
    )
    verdict, found = judge(competing)
    assert verdict == "no-bid"
    (finding,) = found["PWR002"]
    assert finding["severity"] == "blocker" and finding["evidence"]["local"] is False


def test_smaller_competitor_while_we_partner_with_the_incumbent_blocks(judge):
    # We partner with the incumbent (evidenced among the partners, on a share that keeps its income)
    # but a smaller local organisation is bidding too: bidding against it is competing with it.
    partnered = tender(
        tender={"value": "£1.05m"},
        incumbent={"name": "Hackney Young People's Project", "annual_income": "£700k", "contract_share_pct": 50,
                   "local": True, "user_led": True, "performance": "good", "years_delivering": 8, "staff": 12,
                   "rebidding": True},
        bid={"role": "prime", "incumbent_approach": "partner"},
        partners=[partner("Hackney Young People's Project Ltd", "£700k", value_pct=60)],
        competitors=[{"name": "Hackney Carers Network", "annual_income": "£300k", "local": True, "user_led": False}],
    )
    verdict, found = judge(partnered)
    assert verdict == "no-bid"
    (finding,) = found["PWR002"]
    assert finding["severity"] == "blocker" and finding["field"] == "competitors[0].name"
    assert finding["evidence"]["organisation"] == "Hackney Carers Network" and finding["evidence"]["their_income"] == 300_000


SUBCONTRACT = dict(
    tender={"value": "£30m", "term_months": 60, "results_pct": 30},
    bid={"role": "subcontractor", "value_pct": 20, "price": "£6.5m", "full_cost": "£6m", "expected_results_pct": 90},
    partners=[partner("Hackney Recovery Collective", "£900k", role="lead", value_pct=80, management_fee_pct=None)],
)


def test_twenty_percent_subcontractor_to_a_small_local_lead_is_not_asked_about_fees_it_keeps(judge):
    verdict, found = judge(tender(**SUBCONTRACT), free_reserves="£2m")
    assert "PWR005" not in found and "PWR003" not in found and "PWR004" not in found and "COL004" not in found
    assert "PWR006" not in found  # our £1.8m at risk is within £2m of reserves
    assert verdict == "bid", found


def test_twenty_percent_subcontractors_payment_by_results_exposure_is_its_share_not_the_contract(judge):
    verdict, found = judge(tender(**SUBCONTRACT), free_reserves="£1.5m")
    (finding,) = found["PWR006"]
    assert finding["severity"] == "concern"
    assert finding["evidence"]["value_at_risk"] == 1_800_000 and finding["evidence"]["our_value_pct"] == 20
    assert verdict == "bid-with-conditions"


def test_price_equal_to_full_cost_with_30pct_on_results_and_low_expectation_is_loss_making(judge):
    on_results = tender(
        tender={"results_pct": 30},
        bid={"price": "£1.2m", "full_cost": "£1.2m", "expected_results_pct": 50},
    )
    verdict, found = judge(on_results)
    assert verdict == "no-bid"
    (finding,) = found["PWR001"]
    assert finding["severity"] == "blocker"
    assert finding["evidence"]["fixed_part"] == 840_000 and finding["evidence"]["results_part"] == 360_000
    assert finding["evidence"]["expected_income"] == 1_020_000 and finding["evidence"]["full_cost"] == 1_200_000


def test_partner_whose_delivery_is_written_empty_is_bid_candy_not_an_input_error(judge):
    candy = tender(bid={"role": "prime"}, partners=[partner("Hackney Refugee Forum", "£90k", delivers="")])
    verdict, found = judge(candy)
    (finding,) = found["PWR004"]
    assert finding["severity"] == "blocker" and finding["field"] == "partners[0].delivers"
    assert verdict == "no-bid"


def test_partner_engaged_after_publication_with_twenty_days_to_respond_is_a_condition(judge):
    late = tender(
        tender={"published": "2026-10-10", "deadline": "2026-10-30"},
        bid={"role": "prime"},
        partners=[partner("Hackney Refugee Forum", "£90k", engaged="after-publication")],
    )
    verdict, found = judge(late)
    (finding,) = found["COL001"]
    assert finding["severity"] == "concern" and finding["evidence"]["response_days"] == 20
    assert verdict == "bid-with-conditions"


def test_other_empty_text_is_still_an_input_error(run_cli, tmp_path):
    path = tmp_path / "tender.yaml"
    path.write_text('tender: {id: A, title: B}\npartners:\n  - {name: "", delivers: ""}\n', encoding="utf-8")
    process = run_cli("check", str(path), "--format", "json")
    assert process.returncode == 2
    (error,) = json.loads(process.stdout)["errors"]
    assert error["line"] == 3


@pytest.mark.parametrize("rule_id", POWER_RULES)
def test_explain_states_the_v2_behaviour_and_cites_the_passage(run_cli, rule_id):
    process = run_cli("explain", rule_id)
    text = process.stdout.decode("utf-8")
    assert process.returncode == 0
    assert "Version 2 (SPEC §2.1)" in text and "Rebalancing the Relationship" in text
    assert "Draft recommendations" in text
