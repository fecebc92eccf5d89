"""The engine around the rules: severity settling, locating, and rules that misbehave."""

from __future__ import annotations

from bidcheck.api import RECOGNISE_YOUR_POWER, Finding, Severity, rule
from bidcheck.models import Verdict
from bidcheck.testing import check_text


def _rule(rule_id: str, returns, **metadata):
    @rule(rule_id, title="Test rule", recommendation=RECOGNISE_YOUR_POWER, severity=Severity.CONCERN, **metadata)
    def check(tender, context):
        """A rule for tests."""
        return returns(tender, context)

    return check


def concern(tender, context):
    return [Finding(field="bid.price", message="price is set", action="do nothing")]


def test_malformed_finding_is_the_rules_failure_and_other_rules_still_report():
    broken = _rule("TST001", lambda tender, context: [Finding(field=None, message="m", action="a")])  # type: ignore[arg-type]
    working = _rule("TST002", concern)
    result = check_text("bid: {price: 1}", rules=[broken, working])
    (problem,) = result.problems
    assert problem.rule == "TST001" and "must be text" in problem.message
    assert [reason.rule.id for reason in result.reasons] == ["TST002"]
    assert result.verdict is Verdict.NEEDS_INFO  # never a clean bid when a rule could not run


def test_policy_rule_blocks_only_under_its_policy_and_says_so_otherwise():
    policy_rule = _rule("TST003", concern, policy="no_bid_candy")
    blocked = check_text("bid: {price: 1}", "policies: {no_bid_candy: true}", rules=[policy_rule])
    assert blocked.reasons[0].severity is Severity.BLOCKER and blocked.verdict is Verdict.NO_BID
    soft = check_text("bid: {price: 1}", rules=[policy_rule])
    assert soft.reasons[0].severity is Severity.CONCERN
    assert "has not adopted the no_bid_candy policy" in soft.reasons[0].message


def test_configured_severity_overrides_the_rule_and_its_policy():
    policy_rule = _rule("TST004", concern, policy="no_bid_candy")
    result = check_text("bid: {price: 1}", "policies: {no_bid_candy: true}\nrules: {severity: {TST004: info}}", rules=[policy_rule])
    assert result.reasons[0].severity is Severity.INFO and result.verdict is Verdict.BID


def test_finding_about_a_missing_field_points_at_its_nearest_written_parent():
    missing = _rule("TST005", lambda tender, context: [Finding.unknown("bid.full_cost", "What is it?", needed_for="a test")])
    result = check_text("tender: {id: A, title: B}\nbid:\n  price: 1\n", rules=[missing])
    location = result.reasons[0].location
    assert (location.line, location.column) == (2, 1)  # the `bid:` key
    assert result.reasons[0].message == "Missing bid.full_cost: bidcheck cannot check a test"
