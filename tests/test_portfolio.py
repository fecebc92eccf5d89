"""`bidcheck portfolio` (SPEC §5): each figure recomputed by hand from a small ledger built through the CLI."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.conftest import console_script, stderr_text, stdout_text
from tests.ledger_helpers import AS_OF, record, tender, write_tenders

DECIDED = {"by": "Board of trustees", "on": "2026-10-05"}
# Facts by tender; the config (tests.ledger_helpers.CONFIG): income £10m, free reserves £1m,
# policies no_compete_with_smaller and refuse_loss_making_bids.
TENDERS = {
    # Displaces a smaller incumbent (£400k of our £10m): against smaller; outcome won.
    "a.yaml": tender(
        "A-1",
        tender_fields={"value": "£1m", "results_pct": 20},
        incumbent={"name": "Small Local Project", "annual_income": "£400k", "local": True},
        bid={"role": "sole", "incumbent_approach": "compete", "decision": DECIDED},
    ),
    # Our share 60%; a peer competitor (£8m) is not smaller; outcome lost.
    "b.yaml": tender(
        "B-1",
        tender_fields={"value": "£2m", "results_pct": 10},
        bid={"role": "prime", "value_pct": 60, "decision": {"by": "Board of trustees", "on": "2026-10-20"}},
        competitors=[{"name": "Peer Org", "annual_income": "£8m"}],
    ),
    # A smaller competitor, its blocker waived by the board until 2026-12-01; decided, no outcome.
    "c.yaml": tender(
        "C-1",
        tender_fields={"value": "£3m"},
        bid={"role": "sole", "decision": {"by": "Chief executive", "on": "2026-11-01"}},
        competitors=[{"name": "Tiny Group", "annual_income": "£200k"}],
        waivers=[{"rule": "PWR002", "reason": "They asked us to bid", "approved_by": "Board", "expires": "2026-12-01"}],
    ),
    # Loss-making: stopped by refuse_loss_making_bids; outcome not-bid.
    "d.yaml": tender(
        "D-1",
        tender_fields={"value": "£500k"},
        bid={"role": "sole", "price": "£450k", "full_cost": "£500k"},
        waivers=[{"rule": "MIS004", "reason": "Coproduction planned later", "approved_by": "Chief executive", "expires": "2027-06-30"}],
    ),
    # Not decided; counted by the day it is recorded.
    "e.yaml": tender("E-1", tender_fields={"value": "£700k"}),
    # Decided before the range.
    "f.yaml": tender("F-1", tender_fields={"value": "£9m"}, bid={"role": "sole", "decision": {"by": "Board of trustees", "on": "2026-08-01"}}),
}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """The ledger of TENDERS with their outcomes, and each tender's verdict as `check --format json` gives it."""
    def run(*args: str, cwd: Path | None = None):  # as run_cli, which a module-scoped fixture cannot use
        return subprocess.run([console_script(), *args], cwd=cwd, capture_output=True, env={**os.environ, "NO_COLOR": "1"})

    folder = write_tenders(tmp_path_factory.mktemp("portfolio") / "tenders", TENDERS)
    path = folder.parent / "ledger.sqlite"
    record(run, path, ".", cwd=folder)
    for tender_id, status in (("A-1", "won"), ("B-1", "lost"), ("D-1", "not-bid")):
        assert run("ledger", "outcome", tender_id, status, "--ledger", str(path)).returncode == 0
    checked = json.loads(run("check", ".", "--format", "json", "--fail-on", "never", "--as-of", AS_OF, cwd=folder).stdout)
    return path, {result["tender"]["id"]: result["verdict"] for result in checked["results"]}


def _portfolio(run_cli, path: Path, *options: str) -> dict:
    process = run_cli("portfolio", "--ledger", str(path), "--as-of", AS_OF, "--format", "json", *options)
    assert process.returncode == 0, stderr_text(process)
    return json.loads(stdout_text(process))


def test_each_figure_recomputed_by_hand(run_cli, ledger):
    path, verdict = ledger
    figures = _portfolio(run_cli, path, "--since", "2026-09-01")
    assert figures["tenders"] == 5  # A-1 to E-1: F-1 was decided on 2026-08-01
    decided = ["A-1", "B-1", "C-1", "D-1"]  # a decision, or an outcome (D-1: not-bid)
    assert figures["decided"]["tenders"] == 4
    assert figures["decided"]["by_verdict"] == {v: sum(1 for t in decided if verdict[t] == v) for v in ("no-bid", "needs-info", "bid-with-conditions", "bid")}
    # Bid for: A-1 (won), B-1 (lost), C-1 (decided, no outcome).
    assert figures["value_bid_for"] == {"tenders": 3, "value": 1e6 + 2e6 + 3e6, "our_share": 1e6 + 2e6 * 0.6 + 3e6, "value_unknown": 0}
    assert figures["against_smaller"] == {
        "tenders": 2,
        "ids": ["A-1", "C-1"],
        "value": 1e6 + 3e6,
        "incumbents_displaced": 1,
        "incumbents": [{"tender": "A-1", "name": "Small Local Project", "annual_income": 400_000.0}],
    }
    at_risk = 1e6 * 1.0 * 0.20 + 2e6 * 0.6 * 0.10
    assert figures["results_exposure"] == {"value_at_risk": pytest.approx(at_risk), "free_reserves": 1e6, "share_of_reserves_pct": 32.0, "unknown": 0}
    stopped = {figure["policy"]: (figure["adopted"], figure["tenders"]) for figure in figures["policies"]}
    assert verdict["A-1"] == verdict["D-1"] == "no-bid"
    assert stopped["no_compete_with_smaller"] == (True, ["A-1"])
    assert stopped["refuse_loss_making_bids"] == (True, ["D-1"])
    assert {policy: found for policy, (_, found) in stopped.items() if policy not in ("no_compete_with_smaller", "refuse_loss_making_bids")} == {
        "no_exclusivity_clauses": [], "no_bid_candy": [], "fair_partner_terms": []
    }
    # C-1's waiver expires 2026-12-01, 11 days after the as-of day; D-1's on 2027-06-30.
    assert figures["waivers"] == {"granted": 2, "by": {"Board": 1, "Chief executive": 1}, "expire_soon": 1, "expired": 0, "soon_days": 30}
    assert figures["bids_against_no_bid"] == {"tenders": 1, "ids": ["A-1"]}
    expected_outcomes = {v: {"won": 0, "lost": 0} for v in ("no-bid", "needs-info", "bid-with-conditions", "bid")}
    expected_outcomes[verdict["A-1"]]["won"] += 1
    expected_outcomes[verdict["B-1"]]["lost"] += 1
    assert figures["outcomes_by_verdict"] == expected_outcomes


def test_until_and_since_choose_tenders_by_their_decision_day(run_cli, ledger):
    path, _ = ledger
    assert _portfolio(run_cli, path, "--until", "2026-10-05")["value_bid_for"]["value"] == 1e6 + 9e6  # F-1 and A-1
    assert _portfolio(run_cli, path, "--since", "2026-10-06", "--until", "2026-11-01")["decided"]["tenders"] == 2  # B-1, C-1
    assert _portfolio(run_cli, path)["tenders"] == 6


def test_a_waiver_expires_soon_up_to_the_thirtieth_day_after_the_as_of_day(run_cli, ledger):
    path, _ = ledger
    by_day = {day: _portfolio(run_cli, path, "--as-of", day)["waivers"] for day in ("2026-11-01", "2026-11-02", "2026-12-02")}
    assert by_day["2026-11-01"]["expire_soon"] == 1  # 2026-12-01 is the 30th day
    assert by_day["2026-11-02"]["expire_soon"] == 1
    assert (by_day["2026-12-02"]["expire_soon"], by_day["2026-12-02"]["expired"]) == (0, 1)


def test_text_and_markdown_say_the_same_figures(run_cli, ledger):
    path, _ = ledger
    text = stdout_text(run_cli("portfolio", "--ledger", str(path), "--as-of", AS_OF, "--since", "2026-09-01"))
    assert "5 tenders recorded; 4 decided" in text
    assert "bid for: 3 tenders, £6m in contract value, our share £5.2m" in text
    assert "would displace 1 incumbent: Small Local Project (£400k)" in text
    assert "£320k at risk against free reserves of £1m (32.0%)" in text
    markdown = stdout_text(run_cli("portfolio", "--ledger", str(path), "--as-of", AS_OF, "--since", "2026-09-01", "--format", "markdown"))
    tokens = MarkdownIt().enable("table").parse(markdown)
    cells = [token.content for token in tokens if token.type == "inline"]
    assert "bid for: 3 tenders, £6m in contract value, our share £5.2m" in cells
    policy_row = cells.index("no_compete_with_smaller")
    assert cells[policy_row : policy_row + 3] == ["no_compete_with_smaller", "yes", "A-1"]


@pytest.mark.parametrize("option", ["--since", "--until", "--as-of"])
def test_a_date_that_is_not_iso_is_a_usage_error(run_cli, ledger, option):
    path, _ = ledger
    process = run_cli("portfolio", "--ledger", str(path), option, "30/11/2026")
    assert process.returncode == 2 and "Traceback" not in stderr_text(process)
