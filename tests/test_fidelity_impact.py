"""Fidelity: whole tenders where version 1 misread the guidance on who is displaced, what partnering
leaves the incumbent, quality, and presence (issue 13; SPEC §2.1). Each runs the whole catalogue
through the installed CLI and asserts the verdict and the findings the guidance implies.

Each tender gives every fact a bid team would, so rules stay quiet except where the situation says.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import yaml

from tests.conftest import stdout_text

ALL_POLICIES = {
    "refuse_loss_making_bids": True,
    "no_compete_with_smaller": True,
    "no_exclusivity_clauses": True,
    "no_bid_candy": True,
    "fair_partner_terms": True,
}
CONFIG = {
    "organisation": {
        "name": "Lanternfield Trust",
        "annual_income": "£38m",
        "services": ["substance-misuse"],
        "areas": ["Hackney", "Islington"],
        "free_reserves": "£6m",
    },
    "policies": ALL_POLICIES,
}
# A local, user-led charity of £690k for which this contract (£1.2m over 36 months, £400k a year) is 58% of its income.
CLAPTON = {
    "name": "Clapton Youth Project",
    "annual_income": "£690k",
    "local": True,
    "user_led": True,
    "performance": "good",
    "years_delivering": 8,
    "staff": 14,
    "vcse": True,
}
TENDER = {
    "tender": {
        "id": "HCK-2026-101",
        "title": "Young people's substance misuse service",
        "buyer": "London Borough of Hackney",
        "service": "substance-misuse",
        "value": "£1.2m",
        "term_months": 36,
        "areas": ["Hackney"],
        "published": "2026-09-01",
        "deadline": "2026-11-15",
        "results_pct": 0,
        "award_weights": {"price": 40, "quality": 50, "social_value": 10},
    },
    "incumbent": CLAPTON,
    "bid": {
        "role": "sole",
        "price": "£1.2m",
        "full_cost": "£1.15m",
        "mission_fit": "strong",
        "mission_rationale": "Young people's recovery is our founding purpose",
        "coproduction": "done",
        "growth_driven": False,
        "incumbent_approach": "compete",
        "transition_plan": True,
        "decision": {"by": "Board of trustees", "on": "2026-10-01"},
    },
}
CLAPTON_AS_PARTNER = {
    "name": "Clapton Youth Project CIC",
    "annual_income": "£690k",
    "local": True,
    "areas": ["Hackney"],
    "role": "subcontractor",
    "delivers": "detached youth work and the young people's drop-in",
    "management_fee_pct": 5,
    "results_pct": 0,
    "exclusivity": False,
    "agreement": "signed",
    "shaped_bid": True,
    "consented": True,
    "engaged": "before-publication",
}


def tender_with(**sections: Any) -> dict[str, Any]:
    """The tender above with ``sections`` merged in (a dict merges into the section; anything else replaces it)."""
    made = copy.deepcopy(TENDER)
    for name, value in sections.items():
        if isinstance(value, dict) and isinstance(made.get(name), dict):
            made[name] = {**made[name], **value}
        else:
            made[name] = value
    return made


def check(run_cli, tmp_path, tender: dict[str, Any], config: dict[str, Any] = CONFIG) -> dict[str, Any]:
    (tmp_path / "bidcheck.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    path = tmp_path / "tender.yaml"
    path.write_text(yaml.safe_dump(tender, sort_keys=False, allow_unicode=True), encoding="utf-8")
    process = run_cli("check", str(path), "--format", "json", "--fail-on", "never")
    assert process.returncode == 0, process.stderr
    (result,) = json.loads(stdout_text(process))["results"]
    return result


def findings(result: dict[str, Any], *rule_ids: str) -> dict[str, list[dict[str, Any]]]:
    """The findings of ``rule_ids``, by rule id (waived ones too)."""
    return {rule_id: [found for found in result["findings"] if found["rule"] == rule_id] for rule_id in rule_ids}


def severities(result: dict[str, Any], rule_id: str) -> list[str]:
    return [found["severity"] for found in result["findings"] if found["rule"] == rule_id]


def test_the_baseline_tender_is_quiet_so_each_situation_below_is_what_fires(run_cli, tmp_path):
    result = check(run_cli, tmp_path, tender_with(incumbent="none"))
    assert result["verdict"] == "bid", result["findings"]


# --- a re-bid ---------------------------------------------------------------------------------------


def test_a_re_bid_is_not_told_to_partner_with_itself(run_cli, tmp_path):
    tender = tender_with(incumbent="us", bid={"transition_plan": False})
    del tender["bid"]["incumbent_approach"]
    result = check(run_cli, tmp_path, tender)
    assert result["verdict"] == "bid", result["findings"]
    impact = [found for found in result["findings"] if found["rule"].startswith("IMP") or found["rule"] == "PWR002"]
    assert impact == []


def test_a_re_bid_with_partners_displaces_nobody(run_cli, tmp_path):
    partner = {**CLAPTON_AS_PARTNER, "name": "Hackney Refugee Forum", "annual_income": "£90k", "value_pct": 20}
    tender = tender_with(incumbent="us", bid={"role": "prime", "incumbent_approach": "compete", "transition_plan": False}, partners=[partner])
    result = check(run_cli, tmp_path, tender)
    assert not any(found["rule"] in ("IMP002", "IMP003", "IMP004", "IMP005", "IMP006") for found in result["findings"])
    assert result["verdict"] == "bid", result["findings"]  # COL004's note that we lead a smaller partner is info


# --- an incumbent that is not bidding again ----------------------------------------------------------


def test_a_withdrawing_incumbent_does_not_block_the_bid(run_cli, tmp_path):
    tender = tender_with(incumbent={**CLAPTON, "rebidding": False})
    result = check(run_cli, tmp_path, tender)
    assert result["verdict"] == "bid", result["findings"]
    assert findings(result, "IMP002", "IMP003", "IMP005", "PWR002") == {"IMP002": [], "IMP003": [], "IMP005": [], "PWR002": []}


def test_a_withdrawing_incumbents_staff_and_users_still_need_a_transition(run_cli, tmp_path):
    tender = tender_with(incumbent={**CLAPTON, "rebidding": False}, bid={"transition_plan": False})
    result = check(run_cli, tmp_path, tender)
    assert result["verdict"] == "bid-with-conditions"
    assert severities(result, "IMP004") == ["concern"] and severities(result, "IMP006") == ["concern"]
    assert severities(result, "IMP003") == [] and severities(result, "PWR002") == []
    (staff,) = findings(result, "IMP004")["IMP004"]
    assert "not bidding again" in staff["message"] and staff["evidence"]["staff"] == 14


def test_waiving_pwr002_for_a_withdrawing_incumbent_as_the_spec_does_leaves_no_imp003_blocker(run_cli, tmp_path):
    waiver = {
        "rule": "PWR002",
        "reason": "Incumbent is withdrawing from the service; confirmed in writing",
        "approved_by": "Board, 2026-10-01",
        "expires": "2030-01-31",
    }
    tender = tender_with(incumbent={**CLAPTON, "rebidding": False}, waivers=[waiver])
    result = check(run_cli, tmp_path, tender)
    assert result["verdict"] == "bid", result["findings"]
    assert severities(result, "IMP003") == []


# --- a claimed partnership must be evidenced ---------------------------------------------------------


def test_partner_claimed_but_incumbent_absent_from_partners_needs_info_not_bid(run_cli, tmp_path):
    other = {**CLAPTON_AS_PARTNER, "name": "Hackney Refugee Forum", "annual_income": "£90k", "value_pct": 20}
    tender = tender_with(bid={"role": "prime", "incumbent_approach": "partner"}, partners=[other])
    result = check(run_cli, tmp_path, tender)
    assert result["verdict"] == "needs-info"
    (asked,) = findings(result, "IMP003")["IMP003"]
    assert asked["severity"] == "unknown" and asked["field"] == "bid.incumbent_approach"
    assert "Clapton Youth Project is not among the partners" in asked["message"]
    assert severities(result, "IMP002") == ["unknown"]


def test_partner_claimed_with_no_partners_at_all_needs_info(run_cli, tmp_path):
    result = check(run_cli, tmp_path, tender_with(bid={"incumbent_approach": "partner"}))
    assert result["verdict"] == "needs-info" and severities(result, "IMP003") == ["unknown"]


# --- partnering is not enough when it shrinks them ---------------------------------------------------


def test_partnering_that_cuts_the_incumbent_from_400k_to_20k_a_year_is_not_no_impact(run_cli, tmp_path):
    partner = {**CLAPTON_AS_PARTNER, "value_pct": 5}
    tender = tender_with(bid={"role": "prime", "incumbent_approach": "partner"}, partners=[partner])
    result = check(run_cli, tmp_path, tender)
    assert result["verdict"] == "no-bid"
    (blocker,) = findings(result, "IMP003")["IMP003"]
    assert blocker["severity"] == "blocker" and blocker["field"] == "partners[0].value_pct"
    assert blocker["evidence"]["worth_now_a_year"] == 400000 and blocker["evidence"]["would_receive_a_year"] == 20000
    assert blocker["evidence"]["contract_share_pct"] == 58.0 and blocker["evidence"]["loss_pct"] == 55.1
    assert blocker["evidence"]["their_income"] == 690000 and blocker["evidence"]["our_income"] == 38000000


def test_partnering_that_keeps_the_incumbents_work_is_a_bid(run_cli, tmp_path):
    partner = {**CLAPTON_AS_PARTNER, "value_pct": 80}
    tender = tender_with(bid={"role": "prime", "incumbent_approach": "partner"}, partners=[partner])
    result = check(run_cli, tmp_path, tender)
    assert severities(result, "IMP003") == []
    assert result["verdict"] == "bid", result["findings"]


# --- quality: a poorly performing incumbent ----------------------------------------------------------


def test_a_poorly_performing_incumbent_with_no_policy_adopted_is_not_blocked(run_cli, tmp_path):
    config = {**CONFIG, "policies": {name: False for name in ALL_POLICIES}}
    tender = tender_with(incumbent={**CLAPTON, "performance": "poor"})
    result = check(run_cli, tmp_path, tender, config)
    assert result["verdict"] == "bid-with-conditions"
    assert severities(result, "IMP003") == ["concern"]
    (concern,) = findings(result, "IMP003")["IMP003"]
    assert concern["evidence"]["performance"] == "poor" and concern["evidence"]["contract_share_pct"] == 58.0


def test_a_well_performing_dependent_smaller_incumbent_still_blocks(run_cli, tmp_path):
    config = {**CONFIG, "policies": {name: False for name in ALL_POLICIES}}
    result = check(run_cli, tmp_path, tender_with(), config)
    assert result["verdict"] == "no-bid" and severities(result, "IMP003") == ["blocker"]


# --- presence area by area ---------------------------------------------------------------------------

FOUR_BOROUGHS = ["Hackney", "Camden", "Newham", "Tower Hamlets"]


def test_presence_in_one_of_four_boroughs_is_not_presence_in_all_four(run_cli, tmp_path):
    tender = tender_with(incumbent="none", tender={"areas": FOUR_BOROUGHS, "buyer": "North East London ICB"})
    result = check(run_cli, tmp_path, tender)
    assert result["verdict"] == "bid-with-conditions"
    (concern,) = findings(result, "MIS003")["MIS003"]
    assert concern["evidence"]["not_present_in"] == ["Camden", "Newham", "Tower Hamlets"]
    assert [(area["area"], area["we_are_present"]) for area in concern["evidence"]["areas"]] == [
        ("Hackney", True),
        ("Camden", False),
        ("Newham", False),
        ("Tower Hamlets", False),
    ]


def test_displacing_a_local_incumbent_across_four_boroughs_where_we_are_in_one_concerns_the_local_sector(run_cli, tmp_path):
    config = {**CONFIG, "policies": {name: False for name in ALL_POLICIES}}
    tender = tender_with(incumbent={**CLAPTON, "contract_share_pct": 10}, tender={"areas": FOUR_BOROUGHS})
    result = check(run_cli, tmp_path, tender, config)
    assert severities(result, "IMP005") == ["concern"] and severities(result, "MIS003") == ["concern"]
    (local_sector,) = findings(result, "IMP005")["IMP005"]
    assert local_sector["evidence"]["not_present_in"] == ["Camden", "Newham", "Tower Hamlets"]


def test_local_partners_rooted_in_the_other_three_boroughs_give_presence_in_all_four(run_cli, tmp_path):
    partners = [
        {**CLAPTON_AS_PARTNER, "name": name, "annual_income": "£300k", "value_pct": 10, "areas": [area]}
        for name, area in (("Camden Forum", "Camden"), ("Newham Youth Hub", "Newham"), ("Tower Hamlets Trust", "Tower Hamlets"))
    ]
    tender = tender_with(incumbent="none", tender={"areas": FOUR_BOROUGHS}, bid={"role": "prime"}, partners=partners)
    result = check(run_cli, tmp_path, tender)
    assert severities(result, "MIS003") == []
