"""Build tenders for rule tests from small YAML fragments, in the words of the guidance."""

from __future__ import annotations

from bidcheck.api import Rule
from bidcheck.decide import TenderResult
from bidcheck.evaluate import Reason
from bidcheck.testing import check_text

ADOPTED_ALL_POLICIES = """
organisation: {annual_income: "£45m"}
policies:
  refuse_loss_making_bids: true
  no_compete_with_smaller: true
  no_exclusivity_clauses: true
  no_bid_candy: true
  fair_partner_terms: true
"""
NO_POLICIES = 'organisation: {annual_income: "£45m"}'


def reasons(rule: Rule, tender_yaml: str, config_yaml: str = ADOPTED_ALL_POLICIES) -> list[Reason]:
    """What ``rule`` finds in the tender, in order."""
    return check(rule, tender_yaml, config_yaml).reasons


def check(rule: Rule, tender_yaml: str, config_yaml: str = ADOPTED_ALL_POLICIES) -> TenderResult:
    result = check_text(tender_yaml, config_yaml, rules=[rule])
    assert not result.problems, result.problems
    return result


def only(found: list[Reason]) -> Reason:
    assert len(found) == 1, [reason.message for reason in found]
    return found[0]
