"""What it would take (SPEC §5): applying each reported change set to the YAML gives exactly its verdict."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.yaml12 import load_yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bidcheck.clearing import Change, is_bid_teams
from bidcheck.decide import VERDICT_ORDER
from bidcheck.models import TenderFile, Verdict
from bidcheck.rerun import apply_change, is_better
from tests.conftest import EXAMPLES, console_script

AS_OF = "2026-11-30"
TENDERS = sorted((EXAMPLES / "tenders").glob("*.yaml"))
# Nothing the bid team may change helps these (SPEC §5 forbids the facts that hold them back):
NOTHING_HELPS = {
    # bid-with-conditions only from MIS001 (mission fit is never proposed) and GOV001 (the decision).
    "norfolk-all-age-carers-support.yaml",
    # needs-info from the unknown full cost (PWR001): a fact about our costs to find out, never invented.
    "glasgow-housing-first-support.yaml",
}


def check_json(run_cli, *paths: Path) -> list[dict]:
    process = run_cli("check", "--format", "json", "--as-of", AS_OF, *map(str, paths))
    assert process.returncode in (0, 1), process.stderr
    return json.loads(process.stdout)["results"]


def applied(data: dict, changes: list[dict]) -> dict:
    for change in changes:
        apply_change(data, Change(change["field"], change.get("value"), bool(change.get("remove"))))
    return data


def copy_with(tmp_path: Path, tender: Path, changes: list[dict], name: str) -> Path:
    """The example's folder (its bidcheck.yaml applies) with the tender's YAML edited per ``changes``."""
    folder = tmp_path / name
    if not folder.exists():
        shutil.copytree(tender.parent.parent, folder)
    target = folder / "tenders" / tender.name
    data = applied(load_yaml(tender.read_text(encoding="utf-8")), changes)
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def example_results(request) -> dict[str, dict]:
    run_cli = request.getfixturevalue("run_cli")
    return {Path(result["file"]).name: result for result in check_json(run_cli, *TENDERS)}


@pytest.fixture(scope="module")
def run_cli():
    """The installed console script, as conftest's ``run_cli`` runs it, module-scoped so the examples are checked once."""

    def run(*args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "NO_COLOR": "1"}
        env.pop("FORCE_COLOR", None)
        return subprocess.run([console_script(), *args], capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)

    return run


@pytest.mark.parametrize("tender", TENDERS, ids=lambda path: path.stem)
def test_every_example_that_is_not_bid_says_what_it_would_take(tender, example_results):
    result = example_results[tender.name]
    if result["verdict"] == "bid" or tender.name in NOTHING_HELPS:
        assert result["what_it_would_take"] == []
    else:
        assert result["what_it_would_take"], f"{tender.name} ({result['verdict']}) proposes nothing"


@pytest.mark.parametrize("tender", TENDERS, ids=lambda path: path.stem)
def test_applying_each_reported_change_set_gives_exactly_its_verdict(tender, example_results, run_cli, tmp_path):
    proposals = example_results[tender.name]["what_it_would_take"]
    for number, proposal in enumerate(proposals):
        changed = copy_with(tmp_path, tender, proposal["changes"], f"set{number}")
        [again] = check_json(run_cli, changed)
        assert again["verdict"] == proposal["verdict"], proposal
        if again["verdict"] == "bid":
            assert again["what_it_would_take"] == []  # a bid verdict proposes nothing
        assert is_better(Verdict(proposal["verdict"]), Verdict(example_results[tender.name]["verdict"]))
        assert questions(again) <= questions(example_results[tender.name]), "a proposal must not hide a finding behind a question"


def questions(result: dict) -> set[tuple[str, str]]:
    return {(finding["rule"], finding["field"]) for finding in result["findings"] if finding["severity"] == "unknown" and not finding["waived"]}


def test_claiming_a_partnership_without_the_incumbent_among_the_partners_is_never_proposed(run_cli, tmp_path):
    """Cardiff competes with a larger incumbent: `incumbent_approach: partner` alone would turn IMP002's concern into
    a question (the partnership is not evidenced) and the verdict into bid; that hides the finding, it does not clear it."""
    cardiff = next(tender for tender in TENDERS if tender.name == "cardiff-domestic-abuse-support.yaml")
    [result] = check_json(run_cli, cardiff)
    for proposal in result["what_it_would_take"]:
        fields = {change["field"]: change.get("value") for change in proposal["changes"]}
        if fields.get("bid.incumbent_approach") == "partner":
            assert "partners[]" in fields, proposal  # the incumbent is added among the partners


@pytest.mark.parametrize("tender", TENDERS, ids=lambda path: path.stem)
def test_no_change_touches_what_is_not_the_bid_teams(tender, example_results):
    for proposal in example_results[tender.name]["what_it_would_take"]:
        for change in proposal["changes"]:
            assert is_bid_teams(change["field"]), change
            assert change["field"].split(".")[0].split("[")[0] in ("bid", "partners")


@pytest.mark.parametrize("tender", TENDERS, ids=lambda path: path.stem)
def test_reported_sets_are_minimal(tender, example_results, run_cli, tmp_path):
    """No reported set has a proper subset that alone gives the same or a better verdict."""
    import itertools

    for number, proposal in enumerate(example_results[tender.name]["what_it_would_take"]):
        changes = proposal["changes"]
        for size in range(1, len(changes)):
            for index, subset in enumerate(itertools.combinations(changes, size)):
                changed = copy_with(tmp_path, tender, list(subset), f"min{number}-{size}-{index}")
                [again] = check_json(run_cli, changed)
                better_or_same = VERDICT_ORDER.index(Verdict(again["verdict"])) >= VERDICT_ORDER.index(Verdict(proposal["verdict"]))
                # a subset that reaches the verdict only by raising a new question is no answer (see the engine)
                raises_a_question = not questions(again) <= questions(example_results[tender.name])
                assert not better_or_same or raises_a_question, (proposal, subset)


@pytest.mark.parametrize(
    ("field", "allowed"),
    [
        ("bid.price", True),
        ("partners[0].consented", True),
        ("partners[]", True),
        ("bid.mission_fit", False),
        ("bid.mission_rationale", False),
        ("bid.decision.by", False),
        ("tender.value", False),
        ("incumbent.annual_income", False),
        ("competitors[0].annual_income", False),
        ("organisation.annual_income", False),
    ],
)
def test_only_the_bid_teams_own_choices_may_change(field, allowed):
    assert is_bid_teams(field) is allowed


LINCOLNSHIRE = EXAMPLES / "tenders" / "lincolnshire-drug-alcohol-recovery.yaml"


def _run(run_cli, format_name: str, tender: Path = LINCOLNSHIRE) -> str:
    process = run_cli("check", "--format", format_name, "--as-of", AS_OF, str(tender))
    assert process.returncode in (0, 1), process.stderr
    return process.stdout


def test_text_names_each_change_and_the_rules_it_clears(run_cli, example_results):
    said = _run(run_cli, "text")
    assert "What it would take:" in said
    assert "(PWR001)" in said and "(PWR004)" in said
    assert ": bid with conditions" in said


def test_markdown_has_a_what_it_would_take_section(run_cli):
    said = _run(run_cli, "markdown")
    section = said.split("### What it would take", 1)[1].split("###", 1)[0]
    assert [line for line in section.splitlines() if line.startswith("- ")]


def test_csv_has_a_what_it_would_take_column(run_cli, example_results):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(_run(run_cli, "csv"))))
    assert "PWR001" in rows[0]["what_it_would_take"]
    proposals = example_results[LINCOLNSHIRE.name]["what_it_would_take"]
    assert len(rows[0]["what_it_would_take"].split(" | ")) == len(proposals)


def test_sarif_run_properties_carry_the_json_proposals(run_cli, example_results):
    sarif = json.loads(_run(run_cli, "sarif"))
    [verdict] = sarif["runs"][0]["properties"]["verdicts"]
    assert verdict["what_it_would_take"] == example_results[LINCOLNSHIRE.name]["what_it_would_take"]


def test_junit_system_out_says_what_it_would_take(run_cli):
    import xml.etree.ElementTree as ET

    root = ET.fromstring(_run(run_cli, "junit"))
    out = root.find(".//testcase/system-out").text
    assert "what it would take:" in out and "PWR001" in out


def test_github_gives_a_notice_per_proposal(run_cli, example_results):
    notices = [line for line in _run(run_cli, "github").splitlines() if line.startswith("::notice") and "what it would take" in line]
    assert len(notices) == len(example_results[LINCOLNSHIRE.name]["what_it_would_take"])


def test_html_has_a_what_it_would_take_section(run_cli, example_results):
    from html.parser import HTMLParser

    class Items(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.items = False, []

        def handle_starttag(self, tag, attrs):
            if tag == "ul" and ("class", "what-it-would-take") in attrs:
                self.inside = True
            elif tag == "li" and self.inside:
                self.items.append("")

        def handle_endtag(self, tag):
            if tag == "ul":
                self.inside = False

        def handle_data(self, data):
            if self.inside and self.items:
                self.items[-1] += data

    parser = Items()
    parser.feed(_run(run_cli, "html"))
    assert len(parser.items) == len(example_results[LINCOLNSHIRE.name]["what_it_would_take"])
    assert all("PWR001" in item for item in parser.items)


def test_triage_json_carries_it_too(run_cli, example_results):
    process = run_cli("triage", "--format", "json", "--as-of", AS_OF, str(LINCOLNSHIRE))
    [result] = json.loads(process.stdout)["results"]
    assert result["what_it_would_take"] == example_results[LINCOLNSHIRE.name]["what_it_would_take"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    price_factor=st.floats(0.7, 1.3),
    value_pct=st.sampled_from([None, 1, 5, 20]),
    consented=st.sampled_from([None, True, False]),
    exclusivity=st.sampled_from([None, True, False]),
    agreement=st.sampled_from([None, "signed", "draft", "none"]),
    growth=st.sampled_from([None, True, False]),
)
def test_generated_tenders_get_only_better_verdicts_from_the_bid_teams_changes(
    tmp_path_factory, price_factor, value_pct, consented, exclusivity, agreement, growth
):
    """In-process over tenders varied from an example: every proposal changes only bid and partners,
    and re-checking the changed data gives exactly the proposed, better verdict."""
    import datetime

    from bidcheck.pipeline import CheckOptions, check

    data = load_yaml(LINCOLNSHIRE.read_text(encoding="utf-8"))
    full_cost = TenderFile.model_validate(data).bid.full_cost
    data["bid"]["price"] = round(full_cost * price_factor)
    data["bid"]["growth_driven"] = growth
    for key, value in (("value_pct", value_pct), ("consented", consented), ("exclusivity", exclusivity), ("agreement", agreement)):
        data["partners"][0][key] = value
    folder = tmp_path_factory.mktemp("generated")
    shutil.copy(EXAMPLES / "bidcheck.yaml", folder / "bidcheck.yaml")
    options = CheckOptions(today=datetime.date.fromisoformat(AS_OF))

    def checked(tender_data: dict, name: str):
        path = folder / name
        path.write_text(yaml.safe_dump(tender_data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        [result] = [item for item in check([str(path)], options) if not hasattr(item, "message")]
        return result

    result = checked(data, "tender.yaml")
    if result.verdict is Verdict.BID:
        assert result.what_it_would_take == ()
    for number, proposal in enumerate(result.what_it_would_take):
        assert all(is_bid_teams(change.field) for change in proposal.changes)
        assert is_better(proposal.verdict, result.verdict)
        again = checked(applied(copy.deepcopy(data), [change.record() for change in proposal.changes]), f"changed{number}.yaml")
        assert again.verdict is proposal.verdict
