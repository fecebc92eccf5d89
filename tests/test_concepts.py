"""The shared judgements of the public rule API: smaller, displaced, present in, we lead (SPEC §1, §2.1)."""

from __future__ import annotations

import pytest
import yaml

from bidcheck.api import (
    Context,
    Organisation,
    Policies,
    TenderFile,
    WeAreIncumbent,
    displacement,
    our_value_pct,
    present_in,
    same_organisation,
    smaller,
    we_lead,
)


def tender(text: str) -> TenderFile:
    data = yaml.load(text, Loader=yaml.BaseLoader) or {}  # every scalar text, as bidcheck reads YAML
    data.setdefault("tender", {"id": "T1", "title": "A tender"})
    return TenderFile.model_validate(data)


def context(our_income: float | None, **thresholds: float) -> Context:
    return Context(Organisation(annual_income=our_income), Policies(), thresholds)


@pytest.mark.parametrize(
    ("theirs", "ours", "expected"),
    [
        (11_000_000, 95_000_000, True),  # same NCVO band ("major"), still smaller: size is relative
        (9_800_000, 11_000_000, False),  # peers
        (10_200_000, 9_800_000, False),
        (5_000_000, 10_000_000, True),  # exactly half is smaller
        (5_000_001, 10_000_000, False),
        (None, 10_000_000, None),
        (1_000_000, None, None),
        (0, 0, False),
    ],
)
def test_smaller_is_relative_income_at_most_half_of_ours(theirs, ours, expected):
    assert smaller(theirs, context(ours)).smaller is expected


def test_smaller_follows_the_configured_ratio_and_shows_both_incomes_and_the_ratio():
    size = smaller(3_000_000, context(10_000_000, smaller_income_ratio=0.25))
    assert size.smaller is False
    assert size.evidence == {"their_income": 3_000_000, "our_income": 10_000_000, "income_ratio": 0.3, "smaller_income_ratio": 0.25}
    assert "£3m" in size.describe() and "£10m" in size.describe() and "30%" in size.describe()


def test_we_are_the_incumbent_displaces_nobody():
    file = tender("incumbent: us\nbid: {incumbent_approach: compete}")
    assert isinstance(file.incumbent, WeAreIncumbent)
    assert (displacement(file).displaced, displacement(file).leaves) == (False, False)


def test_an_incumbent_not_rebidding_is_not_displaced_but_leaves():
    found = displacement(tender("incumbent: {name: Local Project, rebidding: false}\nbid: {incumbent_approach: compete}"))
    assert (found.displaced, found.leaves) == (False, True)


def test_partnering_is_evidenced_only_by_the_incumbent_among_the_partners():
    claimed = displacement(tender("incumbent: {name: The Hackney Project Ltd}\nbid: {incumbent_approach: partner}"))
    assert claimed.displaced is None and claimed.unevidenced
    shown = displacement(
        tender(
            "incumbent: {name: The Hackney Project Ltd}\nbid: {incumbent_approach: partner}\n"
            "partners: [{name: Other}, {name: 'hackney project'}]"
        )
    )
    assert (shown.displaced, shown.partner, shown.unevidenced) == (False, 1, False)


@pytest.mark.parametrize(("approach", "displaced"), [("compete", True), ("not-contacted", True), ("support", False), (None, None)])
def test_competing_displaces_the_incumbent_supporting_does_not(approach, displaced):
    bid = f"bid: {{incumbent_approach: {approach}}}" if approach else "bid: {}"
    assert displacement(tender(f"incumbent: {{name: X}}\n{bid}")).displaced is displaced


def test_no_incumbent_and_unknown_incumbent():
    assert displacement(tender("incumbent: none")).displaced is False
    assert displacement(tender("bid: {incumbent_approach: compete}")).displaced is None


@pytest.mark.parametrize(
    ("role", "partner_roles", "expected"),
    [
        ("sole", [], True),
        ("prime", ["subcontractor"], True),
        ("subcontractor", ["lead"], False),
        ("subcontractor", [], False),
        ("consortium-member", ["consortium-member"], True),
        ("consortium-member", ["lead"], False),
        ("joint-venture", ["joint-venture"], True),
        ("alliance", ["lead", "subcontractor"], False),
        (None, ["lead"], False),
        (None, [], None),
    ],
)
def test_we_lead_by_our_role_and_whether_a_partner_leads(role, partner_roles, expected):
    partners = ", ".join(f"{{name: P{index}, role: {partner_role}}}" for index, partner_role in enumerate(partner_roles))
    bid = f"bid: {{role: {role}}}" if role else "bid: {}"
    assert we_lead(tender(f"{bid}\npartners: [{partners}]")) is expected


def test_our_share_given_or_derived_from_role_and_partners():
    assert our_value_pct(tender("bid: {role: subcontractor, value_pct: 20}")) == 20
    assert our_value_pct(tender("bid: {role: sole}")) == 100
    assert our_value_pct(tender("bid: {role: prime}\npartners: [{name: A, value_pct: 15}, {name: B, value_pct: 10}]")) == 75
    assert our_value_pct(tender("bid: {role: prime}\npartners: [{name: A, value_pct: 15}, {name: B}]")) is None
    assert our_value_pct(tender("bid: {role: consortium-member}")) is None


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("The Hackney Project Ltd", "hackney project", True),
        ("Clapton Youth Recovery Collective CIC", "Clapton Youth Recovery Collective", True),
        ("St. Mungo's", "St Mungos", False),  # an apostrophe splits words: not guessed to be one
        ("Clapton Youth Project C.I.C.", "CLAPTON YOUTH PROJECT", True),  # dotted initials are one word
        ("The Hackney Project L.T.D.", "Hackney Project", True),
        ("A.B. Hackney Project", "AB Hackney Project", True),
        ("Hackney Project", "Islington Project", False),
        ("The Ltd", "CIC", False),  # nothing left to compare
        (None, "X", False),
    ],
)
def test_same_organisation_ignores_case_punctuation_and_legal_words(first, second, same):
    assert same_organisation(first, second) is same


def test_present_in_is_judged_area_by_area():
    ours = ["Hackney"]
    assert present_in(ours, "Hackney")
    assert not present_in(ours, "Islington")
    assert not present_in(ours, "London")  # Hackney does not cover the whole of London
    assert present_in(["London"], "Hackney")


def test_v2_tender_fields_read(tmp_path):
    file = tender(
        """
bid: {role: subcontractor, value_pct: 20, expected_results_pct: 70, decision: {by: Board of trustees, on: 2026-11-10}}
competitors: [{name: Hackney Carers Network, annual_income: "£300k", local: true, user_led: false}]
partners: [{name: Lead Org, role: lead, areas: [Hackney]}]
incumbent: {name: X, rebidding: true}
"""
    )
    assert file.bid.decision.by == "Board of trustees" and str(file.bid.decision.on) == "2026-11-10"
    assert file.competitors[0].annual_income == 300_000
    assert file.partners[0].areas == ["Hackney"]


def test_smaller_income_ratio_outside_0_to_1_is_a_located_config_error(run_cli, tmp_path):
    (tmp_path / "bidcheck.yaml").write_text("thresholds:\n  smaller_income_ratio: 50\n", encoding="utf-8")
    (tmp_path / "t.yaml").write_text("tender: {id: T1, title: A}\n", encoding="utf-8")
    result = run_cli("check", str(tmp_path / "t.yaml"))
    assert result.returncode == 2
    assert "bidcheck.yaml:2:" in result.stderr.decode()
