"""Fidelity situations in governance, commissioning, waivers and units (issue 13), whole catalogue, via the CLI.

Each tender gives every fact a bid team would, so the other rules stay quiet except where the
situation says; version 1 passed each of these silently (a unit slip read as written, a waiver
of a rule that does not exist merely "unused", a waiver that never expires, a waiver with no
decision behind it).
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import stderr_text, stdout_text

CONFIG = """\
organisation:
  name: Lanternfield Trust
  annual_income: "£38m"
  services: [carers-support]
  areas: [Hackney]
  free_reserves: "£6m"
policies:
  refuse_loss_making_bids: true
  no_compete_with_smaller: true
  no_exclusivity_clauses: true
  no_bid_candy: true
  fair_partner_terms: true
"""

# A new carers service in Hackney where we deliver; the incumbent is not re-bidding; a sole bid
# at full cost, coproduced, on the board's decision: every rule holds.
TENDER = """\
tender:
  id: HCK-CARERS-1
  title: Carers support service
  buyer: London Borough of Hackney
  service: carers-support
  value: {value}
  term_months: {term}
  areas: [Hackney]
  published: 2026-10-01
  deadline: 2026-11-20
  results_pct: 0
  award_weights: {{price: 40, quality: 50, social_value: 10}}
incumbent:
  name: Hackney Carers Centre
  annual_income: "£2.6m"
  local: true
  user_led: false
  performance: adequate
  years_delivering: 2
  staff: 6
  rebidding: false
bid:
  role: {role}
  price: "£1.2m"
  full_cost: {full_cost}
  mission_fit: strong
  coproduction: done
  growth_driven: false
  incumbent_approach: compete
  transition_plan: true
{decision}{partners}{waivers}"""
DECISION = "  decision: {by: Board of trustees, on: 2026-10-20}\n"
PARTNER = """\
partners:
  - name: Hackney Young Carers Forum
    annual_income: "£300k"
    local: true
    role: subcontractor
    value_pct: 20
    delivers: young carers' groups and school outreach
    management_fee_pct: {fee}
    results_pct: 0
    exclusivity: false
    agreement: signed
    shaped_bid: true
    consented: true
    engaged: before-publication
"""


def tender(*, value='"£1.2m"', term=36, role="sole", full_cost='"£1.15m"', decision=DECISION, partners="", waivers="") -> str:
    return TENDER.format(value=value, term=term, role=role, full_cost=full_cost, decision=decision, partners=partners, waivers=waivers)


def waiver(rule: str, *, expires: str | None = "2099-01-31") -> str:
    lines = [f"  - rule: {rule}", "    reason: Board accepted a loss for a one-year pilot", "    approved_by: Board of trustees, 2026-10-20"]
    if expires is not None:
        lines.append(f"    expires: {expires}")
    return "waivers:\n" + "\n".join(lines) + "\n"


def line_of(text: str, written: str) -> int:
    """The 1-based line where ``written`` first appears in ``text``."""
    return text[: text.index(written)].count("\n") + 1


def run(run_cli, write, tmp_path, text: str):
    write("bidcheck.yaml", CONFIG)
    write("t.yaml", text)
    process = run_cli("check", "t.yaml", "--format", "json", cwd=tmp_path)
    return process.returncode, json.loads(stdout_text(process)), stderr_text(process)


def test_the_whole_tender_holds_as_written(run_cli, write, tmp_path):
    code, report, _ = run(run_cli, write, tmp_path, tender())
    (result,) = report["results"]
    assert (code, result["verdict"], result["findings"], result["warnings"]) == (0, "bid", [], [])


def test_a_management_fee_written_as_a_fraction_is_a_located_warning_and_changes_nothing_else(run_cli, write, tmp_path):
    text = tender(role="prime", partners=PARTNER.format(fee=0.15))
    code, report, stderr = run(run_cli, write, tmp_path, text)
    _, plausible, _ = run(run_cli, write, tmp_path, tender(role="prime", partners=PARTNER.format(fee=8)))
    (result,) = report["results"]
    (warning,) = result["warnings"]
    assert warning["message"].startswith("partners[0].management_fee_pct: 0.15 reads as 0.15%; for 15% write 15")
    assert (warning["line"], warning["column"]) == (line_of(text, "management_fee_pct"), 25)
    assert code == 0 and result["verdict"] == plausible["results"][0]["verdict"]
    assert [f["rule"] for f in result["findings"]] == [f["rule"] for f in plausible["results"][0]["findings"]]


def test_a_contract_value_written_in_millions_without_the_m_is_a_warning_at_the_value(run_cli, write, tmp_path):
    code, report, _ = run(run_cli, write, tmp_path, tender(value="1.2"))
    (result,) = report["results"]
    assert any(w["message"].startswith("tender.value: 1.2 reads as £1.20") and (w["line"], w["column"]) == (6, 10) for w in result["warnings"])
    assert report["errors"] == []


def test_a_term_of_three_months_on_a_large_contract_warns_and_no_share_over_100_percent_goes_unwarned(run_cli, write, tmp_path):
    # The incumbent (£650k) is re-bidding and we compete: IMP003 judges its dependency on the
    # annual value, which a 3-month term inflates to £4.8m, 738.5% of its income.
    text = tender(term=3).replace('annual_income: "£2.6m"', 'annual_income: "£650k"').replace("  rebidding: false\n", "  rebidding: true\n")
    code, report, _ = run(run_cli, write, tmp_path, text)
    (result,) = report["results"]
    messages = [w["message"] for w in result["warnings"]]
    assert any(m.startswith("tender.term_months: 3 reads as 3 months") and "write 36" in m for m in messages)
    assert any(m.startswith("incumbent.annual_income: ") and "738.5%" in m for m in messages)
    if any("738.5%" in f["message"] for f in result["findings"]):  # a rule repeating it is warned about
        assert any("738.5%" in m for m in messages)


@pytest.mark.parametrize(("written", "hint"), [("pwr002", "did you mean PWR002?"), ("PWR009", "did you mean PWR00")])
def test_a_waiver_of_a_rule_that_does_not_exist_is_an_input_error_not_an_unused_waiver(run_cli, write, tmp_path, written, hint):
    text = tender(full_cost='"£1.3m"', waivers=waiver(written))
    code, report, stderr = run(run_cli, write, tmp_path, text)
    (error,) = report["errors"]
    assert code == 2 and report["results"] == []
    assert error["file"] == "t.yaml" and hint in error["message"]
    assert f"t.yaml:{line_of(text, '- rule:')}:11: {error['message']}" in stderr


def test_a_waiver_without_an_expiry_is_an_input_error(run_cli, write, tmp_path):
    text = tender(full_cost='"£1.3m"', waivers=waiver("PWR001", expires=None))
    code, report, _ = run(run_cli, write, tmp_path, text)
    (error,) = report["errors"]
    assert code == 2 and "'expires'" in error["message"] and (error["line"], error["column"]) == (line_of(text, "- rule:"), 5)


def test_a_waiver_applied_with_no_decision_recorded_is_a_governance_concern(run_cli, write, tmp_path):
    code, report, _ = run(run_cli, write, tmp_path, tender(full_cost='"£1.3m"', decision="", waivers=waiver("PWR001")))
    (result,) = report["results"]
    counted = [(f["rule"], f["severity"]) for f in result["findings"] if not f["waived"]]
    assert counted == [("GOV001", "concern")] and result["verdict"] == "bid-with-conditions" and code == 0
    assert [f["rule"] for f in result["findings"] if f["waived"]] == ["PWR001"]


def test_the_same_waiver_under_a_recorded_decision_leaves_a_clean_bid(run_cli, write, tmp_path):
    code, report, _ = run(run_cli, write, tmp_path, tender(full_cost='"£1.3m"', waivers=waiver("PWR001")))
    (result,) = report["results"]
    assert [f["rule"] for f in result["findings"] if not f["waived"]] == [] and result["verdict"] == "bid"


def test_an_unrecorded_decision_is_a_question_that_never_holds_up_a_clean_bid(run_cli, write, tmp_path):
    code, report, _ = run(run_cli, write, tmp_path, tender(decision=""))
    (result,) = report["results"]
    assert [(f["rule"], f["severity"]) for f in result["findings"]] == [("GOV001", "unknown")]
    assert result["verdict"] == "bid" and code == 0 and result["questions"][0]["field"] == "bid.decision"


def test_a_price_led_buyer_with_a_short_window_gets_one_finding_each_at_its_field(run_cli, write, tmp_path):
    text = tender().replace("price: 40, quality: 50", "price: 70, quality: 20").replace("deadline: 2026-11-20", "deadline: 2026-10-15")
    code, report, _ = run(run_cli, write, tmp_path, text)
    (result,) = report["results"]
    found = [(f["rule"], f["severity"], f["location"]["line"]) for f in result["findings"]]
    assert found == [("COM001", "concern", line_of(text, "award_weights")), ("COM001", "concern", line_of(text, "deadline"))]
    assert result["verdict"] == "bid-with-conditions" and code == 0
