"""Tests for the plugin's rules, written with bidcheck.testing as any plugin's would be.

Run them with the plugin installed: ``pip install -e . && python -m pytest``.
"""

from __future__ import annotations

import pytest

from bidcheck.api import Severity
from bidcheck.testing import check_text, example_severities
from bidcheck_deadline.bidding_window import short_bidding_window


@pytest.mark.parametrize("example", short_bidding_window.examples, ids=lambda example: example.description)
def test_documented_example_gives_documented_severity(example):
    assert example_severities(short_bidding_window, example) == {example.expect}


def test_a_two_week_window_names_both_dates_the_minimum_and_an_action():
    result = check_text("tender: {published: 2026-11-01, deadline: 2026-11-15}", rules=[short_bidding_window])
    (reason,) = result.reasons
    assert reason.severity is Severity.CONCERN
    assert reason.message.startswith("14 days between publication (2026-11-01) and deadline (2026-11-15), fewer than 28")
    assert "partners" in reason.finding.action
    assert reason.finding.field == "tender.deadline"
    assert reason.finding.evidence["window_days"] == 14


@pytest.mark.parametrize(("deadline", "fires"), [("2026-11-28", True), ("2026-11-29", False)])
def test_the_window_must_be_at_least_the_minimum(deadline, fires):
    result = check_text(f"tender: {{published: 2026-11-01, deadline: {deadline}}}", rules=[short_bidding_window])
    assert bool(result.reasons) is fires


def test_a_missing_publication_date_is_asked_for_by_name():
    result = check_text("tender: {deadline: 2026-11-15}", rules=[short_bidding_window])
    (reason,) = result.reasons
    assert reason.severity is Severity.UNKNOWN
    assert reason.finding.field == "tender.published"
    assert reason.finding.question
