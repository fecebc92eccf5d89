"""Fidelity sweep: situations of the same kinds as issue 13's, which nobody had tried (SPEC §1, §2.1).

Each is a whole tender through the installed CLI, on the baseline of tests/test_fidelity_impact.py
(a £1.2m, 36-month Hackney service; us at £38m, present in Hackney and Islington, every policy
adopted), judged by reading SPEC §2.1 and the guidance passage of each rule it touches.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_fidelity_impact import CLAPTON, CLAPTON_AS_PARTNER, check, severities, tender_with


def fired(result: dict[str, Any]) -> dict[str, list[str]]:
    """Rule id -> severities of its counted findings."""
    found: dict[str, list[str]] = {}
    for finding in result["findings"]:
        if not finding["waived"]:
            found.setdefault(finding["rule"], []).append(finding["severity"])
    return found


def partner(name: str, income: str, **facts: Any) -> dict[str, Any]:
    """A partner on fair terms (signed, consented, shaped the bid, engaged early, 20%) with ``facts`` changed."""
    return {**CLAPTON_AS_PARTNER, "name": name, "annual_income": income, "value_pct": 20, **facts}


# --- "smaller" is relative: sizes either side of the ratio ------------------------------------------
# SPEC §1: smaller when income is AT MOST smaller_income_ratio (0.5) of ours; our income is £38m.


@pytest.mark.parametrize(
    ("income", "smaller"),
    [("£19m", True), ("£18.9m", True), ("£19.1m", False), ("£25m", False), ("£2m", True)],
)
def test_an_incumbent_near_half_our_income_is_smaller_only_at_or_below_the_ratio(run_cli, tmp_path, income, smaller):
    incumbent = {**CLAPTON, "annual_income": income, "local": False, "user_led": False, "performance": "adequate"}
    result = check(run_cli, tmp_path, tender_with(incumbent=incumbent))
    assert ("PWR002" in fired(result)) is smaller, result["findings"]
    assert result["verdict"] == ("no-bid" if smaller else "bid"), result["findings"]
    if smaller:
        (finding,) = [f for f in result["findings"] if f["rule"] == "PWR002"]
        assert finding["evidence"]["our_income"] == 38_000_000
        assert finding["evidence"]["smaller_income_ratio"] == 0.5


@pytest.mark.parametrize(("ratio", "blocks"), [(0.6, True), (0.4, False)])
def test_the_smaller_income_ratio_set_in_config_moves_the_line(run_cli, tmp_path, ratio, blocks):
    from tests.test_fidelity_impact import CONFIG

    config = {**CONFIG, "thresholds": {"smaller_income_ratio": ratio}}
    incumbent = {**CLAPTON, "annual_income": "£20m", "local": False, "user_led": False, "performance": "adequate"}
    result = check(run_cli, tmp_path, tender_with(incumbent=incumbent), config)
    assert (severities(result, "PWR002") == ["blocker"]) is blocks, result["findings"]


# --- who leads ----------------------------------------------------------------------------------------


def test_joint_venture_with_a_lead_partner_we_do_not_set_the_partners_terms(run_cli, tmp_path):
    """PWR003/PWR005/PWR006 are for partners we lead; a partner with role `lead` leads the joint venture."""
    partners = [
        partner("Hackney Community Partnership", "£3m", role="lead", value_pct=50),
        partner("Dalston Youth Forum", "£90k", value_pct=20, management_fee_pct=15, results_pct=40, exclusivity=True),
    ]
    result = check(
        run_cli, tmp_path, tender_with(incumbent="none", bid={"role": "joint-venture", "value_pct": 30}, partners=partners)
    )
    assert not {"PWR003", "PWR005", "PWR006", "COL004"} & set(fired(result)), result["findings"]
    assert result["verdict"] == "bid", result["findings"]


def test_alliance_we_lead_still_answers_for_a_smaller_members_terms(run_cli, tmp_path):
    """An alliance with no `lead` partner is ours to lead: a smaller member bound to us and over-charged is ours."""
    partners = [partner("Dalston Youth Forum", "£90k", role="consortium-member", management_fee_pct=15, exclusivity=True)]
    result = check(run_cli, tmp_path, tender_with(incumbent="none", bid={"role": "alliance", "value_pct": 80}, partners=partners))
    assert fired(result)["PWR003"] == ["blocker"]
    assert fired(result)["PWR005"] == ["concern"]
    assert result["verdict"] == "no-bid"


def test_alliance_we_lead_with_peers_bound_to_each_other_is_collaboration(run_cli, tmp_path):
    partners = [
        partner("Hackney Housing Trust", "£30m", role="consortium-member", value_pct=35, exclusivity=True, results_pct=30),
        partner("North London Mind", "£21m", role="consortium-member", value_pct=30, exclusivity=True, results_pct=30),
    ]
    result = check(run_cli, tmp_path, tender_with(incumbent="none", bid={"role": "alliance", "value_pct": 35}, partners=partners))
    assert not {"PWR003", "PWR006"} & set(fired(result)), result["findings"]
    assert result["verdict"] == "bid", result["findings"]


# --- who is displaced -----------------------------------------------------------------------------------


def test_a_re_bid_against_a_smaller_competitor_is_still_competing_with_it(run_cli, tmp_path):
    """`incumbent: us` displaces nobody, but bidding against a smaller competitor competes with it (PWR002)."""
    competitors = [{"name": "Clapton Youth Project", "annual_income": "£690k", "local": True, "user_led": True}]
    partners = [partner("Dalston Youth Forum", "£90k")]
    result = check(run_cli, tmp_path, tender_with(incumbent="us", competitors=competitors, partners=partners))
    assert fired(result).get("PWR002") == ["blocker"], result["findings"]
    assert not {"IMP002", "IMP003", "IMP004", "IMP006"} & set(fired(result))


def test_a_re_bid_with_partners_and_only_larger_competitors_is_a_bid(run_cli, tmp_path):
    competitors = [{"name": "Capital Pathways", "annual_income": "£72m", "local": False, "user_led": False}]
    partners = [partner("Dalston Youth Forum", "£90k")]
    result = check(run_cli, tmp_path, tender_with(incumbent="us", competitors=competitors, partners=partners))
    assert set(fired(result)) <= {"COL004"}, result["findings"]
    assert result["verdict"] == "bid"


def test_a_competitor_of_unknown_income_is_asked_about_not_assumed_larger(run_cli, tmp_path):
    competitors = [{"name": "Homerton Recovery Network", "local": True, "user_led": True}]
    result = check(run_cli, tmp_path, tender_with(incumbent="none", competitors=competitors))
    assert fired(result)["PWR002"] == ["unknown"]
    assert result["verdict"] == "needs-info"


def test_a_withdrawing_incumbent_with_no_staff_needs_no_staff_transition_but_its_users_still_do(run_cli, tmp_path):
    """SPEC §2.1: IMP004 asks when the leaving incumbent has staff, IMP006 when it has users (local, 3+ years)."""
    incumbent = {**CLAPTON, "rebidding": False, "staff": 0}
    result = check(run_cli, tmp_path, tender_with(incumbent=incumbent, bid={"transition_plan": False}))
    assert "IMP004" not in fired(result)
    assert fired(result)["IMP006"] == ["concern"]
    assert not {"PWR002", "IMP002", "IMP003"} & set(fired(result))
    assert result["verdict"] == "bid-with-conditions"


def test_a_withdrawing_incumbent_with_no_staff_and_a_transition_plan_is_a_bid(run_cli, tmp_path):
    incumbent = {**CLAPTON, "rebidding": False, "staff": 0}
    result = check(run_cli, tmp_path, tender_with(incumbent=incumbent))
    assert result["verdict"] == "bid", result["findings"]


@pytest.mark.parametrize(
    ("incumbent_name", "partner_name"),
    [
        ("The Clapton Youth Project Ltd", "Clapton Youth Project"),
        ("Clapton Youth Project", "the clapton youth project CIC"),
        ("Clapton Youth Project C.I.C.", "CLAPTON YOUTH PROJECT"),
    ],
)
def test_the_incumbent_named_differently_among_partners_is_still_the_partner(run_cli, tmp_path, incumbent_name, partner_name):
    """Partnering is evidenced by the incumbent among partners, names compared ignoring case, punctuation, Ltd/CIC/the."""
    incumbent = {**CLAPTON, "name": incumbent_name, "contract_share_pct": 58}
    partners = [{**CLAPTON_AS_PARTNER, "name": partner_name, "value_pct": 95}]
    result = check(
        run_cli, tmp_path, tender_with(incumbent=incumbent, partners=partners, bid={"role": "prime", "incumbent_approach": "partner"})
    )
    assert not {"PWR002", "IMP002", "IMP003", "IMP006"} & set(fired(result)), result["findings"]
    assert result["verdict"] in {"bid", "bid-with-conditions"}, result["findings"]


# --- presence, area by area -----------------------------------------------------------------------------


def test_a_local_partner_rooted_in_one_more_area_leaves_the_third_without_presence(run_cli, tmp_path):
    """We are in Hackney; a partner rooted in Haringey; Enfield has nobody (SPEC §1.1, MIS003)."""
    partners = [partner("Tottenham Community Hub", "£400k", areas=["Haringey"])]
    result = check(
        run_cli,
        tmp_path,
        tender_with(incumbent="none", tender={"areas": ["Hackney", "Haringey", "Enfield"]}, partners=partners),
    )
    (finding,) = [f for f in result["findings"] if f["rule"] == "MIS003"]
    assert finding["severity"] == "concern"
    assert "Enfield" in finding["message"] and "Haringey" not in finding["message"].split("by area")[0]
    assert result["verdict"] == "bid-with-conditions"


def test_a_local_partner_rooted_in_the_third_area_completes_presence(run_cli, tmp_path):
    partners = [partner("Tottenham Community Hub", "£400k", areas=["Haringey", "Enfield"])]
    result = check(
        run_cli,
        tmp_path,
        tender_with(incumbent="none", tender={"areas": ["Hackney", "Haringey", "Enfield"]}, partners=partners),
    )
    assert "MIS003" not in fired(result), result["findings"]


# --- results-linked pricing at exactly full cost --------------------------------------------------------


@pytest.mark.parametrize(("expected", "outcome"), [(100, None), (90, "blocker"), (None, "unknown")])
def test_price_at_exactly_full_cost_with_30pct_on_results(run_cli, tmp_path, expected, outcome):
    """SPEC §2.1 PWR001: fixed part plus results at the expected rate, compared with full cost."""
    bid = {"price": "£1.2m", "full_cost": "£1.2m"}
    if expected is not None:
        bid["expected_results_pct"] = expected
    result = check(run_cli, tmp_path, tender_with(incumbent="none", tender={"results_pct": 30}, bid=bid))
    assert fired(result).get("PWR001") == ([outcome] if outcome else None), result["findings"]


def test_price_at_exactly_full_cost_without_payment_by_results_is_not_loss_making(run_cli, tmp_path):
    result = check(run_cli, tmp_path, tender_with(incumbent="none", bid={"price": "£1.2m", "full_cost": "£1.2m"}))
    assert "PWR001" not in fired(result)
    assert result["verdict"] == "bid"


# --- our share of the risk, and wrong units in the v2 fields ---------------------------------------------


@pytest.mark.parametrize(("role", "share", "concern"), [("subcontractor", 20, False), ("prime", 100, True)])
def test_results_exposure_is_our_share_of_a_large_contract_not_the_whole(run_cli, tmp_path, role, share, concern):
    """£24m with 50% on results: a 20% subcontractor risks £2.4m (within £6m of reserves); delivering it all risks £12m."""
    partners = [partner("Hackney Community Partnership", "£3m", role="lead", value_pct=80)] if role == "subcontractor" else []
    bid = {"role": role, "value_pct": share, "price": "£24m", "full_cost": "£20m", "expected_results_pct": 90}
    tender = tender_with(incumbent="none", tender={"value": "£24m", "results_pct": 50}, bid=bid, partners=partners)
    result = check(run_cli, tmp_path, tender)
    assert ("concern" in fired(result).get("PWR006", [])) is concern, result["findings"]


@pytest.mark.parametrize("field", ["value_pct", "expected_results_pct"])
def test_a_v2_percentage_written_as_a_fraction_is_a_located_warning(run_cli, tmp_path, field):
    bid = {"role": "prime", "value_pct": 80, "expected_results_pct": 90, field: 0.8}
    partners = [partner("Dalston Youth Forum", "£90k", value_pct=20)]
    result = check(run_cli, tmp_path, tender_with(incumbent="none", tender={"results_pct": 10}, bid=bid, partners=partners))
    assert any(warning["message"].startswith(f"bid.{field}: 0.8") for warning in result["warnings"]), result["warnings"]


def test_the_incumbent_listed_again_as_a_competitor_is_judged_once_as_the_incumbent(run_cli, tmp_path):
    """A smaller incumbent we partner with (evidenced) is not a competitor we compete with, even if also listed."""
    incumbent = {**CLAPTON, "contract_share_pct": 58}
    partners = [{**CLAPTON_AS_PARTNER, "value_pct": 95}]
    competitors = [{"name": "Clapton Youth Project", "annual_income": "£690k", "local": True, "user_led": True}]
    result = check(
        run_cli,
        tmp_path,
        tender_with(incumbent=incumbent, partners=partners, competitors=competitors, bid={"role": "prime", "incumbent_approach": "partner"}),
    )
    assert "PWR002" not in fired(result), result["findings"]


def test_a_re_bid_with_partner_left_as_the_approach_is_not_asked_to_evidence_partnering_with_itself(run_cli, tmp_path):
    result = check(run_cli, tmp_path, tender_with(incumbent="us", bid={"incumbent_approach": "partner"}))
    assert result["verdict"] == "bid" and result["findings"] == [], result["findings"]


def test_a_withdrawing_incumbent_we_said_we_would_partner_with_is_not_asked_about_the_partnership(run_cli, tmp_path):
    """It is leaving: nobody is displaced, so an unevidenced `partner` has nothing left to decide."""
    incumbent = {**CLAPTON, "rebidding": False}
    result = check(run_cli, tmp_path, tender_with(incumbent=incumbent, bid={"incumbent_approach": "partner"}))
    assert result["verdict"] == "bid", result["findings"]


def test_a_smaller_incumbent_we_support_listed_again_as_a_competitor_under_another_spelling_is_not_competed_with(run_cli, tmp_path):
    competitors = [{"name": "The Clapton Youth Project Ltd", "annual_income": "£690k", "local": True}]
    result = check(run_cli, tmp_path, tender_with(bid={"incumbent_approach": "support"}, competitors=competitors))
    assert "PWR002" not in fired(result), result["findings"]
    assert result["verdict"] == "bid"
