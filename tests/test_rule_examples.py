"""Every example in a rule's docs runs as a test: the docs cannot claim what the rule does not do."""

from __future__ import annotations

import pytest

from bidcheck.api import Severity
from bidcheck.loader import load_catalogue
from bidcheck.testing import example_severities

CATALOGUE = load_catalogue()
EXAMPLES = [
    pytest.param(loaded.rule, example, id=f"{loaded.rule.id}: {example.description}")
    for loaded in CATALOGUE.rules
    for example in loaded.rule.examples
]
# Rules whose missing data is silent by design (SPEC §2.1: COM001 reports on the buyer, never asks).
NEVER_ASKS = {"COM001"}


@pytest.mark.parametrize(("rule", "example"), EXAMPLES)
def test_documented_example_gives_documented_severity(rule, example):
    assert example_severities(rule, example) == {example.expect}


@pytest.mark.parametrize("loaded", CATALOGUE.rules, ids=lambda loaded: loaded.rule.id)
def test_every_rule_documents_where_it_fires_where_it_holds_and_what_it_asks(loaded):
    outcomes = {example.expect for example in loaded.rule.examples}
    assert None in outcomes, "no example where the rule holds"
    assert outcomes - {None, Severity.UNKNOWN}, "no example where the rule fires"
    if loaded.rule.id in NEVER_ASKS:
        assert Severity.UNKNOWN not in outcomes, "documented to ask, though it never asks"
    else:
        assert Severity.UNKNOWN in outcomes, "no example where its data is missing"
    assert loaded.rule.rationale, "no rationale docstring"
    assert loaded.rule.recommendation.source.endswith(".txt")
