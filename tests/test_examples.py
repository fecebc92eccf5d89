"""The examples give what the README says they give, and together exercise every rule."""

from __future__ import annotations

import json
import re

import pytest

from bidcheck.loader import load_catalogue
from tests.conftest import EXAMPLES, ROOT, stdout_text

COLUMNS = ("blocker", "concern", "unknown", "info")


def readme_examples() -> dict[str, dict[str, object]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- examples:start -->")[1].split("<!-- examples:end -->")[0]
    rows = {}
    for line in block.strip().splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        name, _, verdict, *rule_cells = cells
        ids = [set() if cell == "—" else {part.strip() for part in cell.split(",")} for cell in rule_cells]
        rows[name.strip("`")] = {"verdict": verdict.strip("*"), **dict(zip((*COLUMNS, "waived"), ids))}
    return rows


@pytest.fixture(scope="module")
def report(request):
    from tests.conftest import console_script
    import subprocess

    process = subprocess.run(
        [console_script(), "check", "examples/", "--format", "json"], cwd=ROOT, capture_output=True, timeout=120
    )
    assert process.returncode == 1, process.stderr  # some examples are no-bids
    return json.loads(stdout_text(process))


def test_every_example_is_valid_and_listed_in_the_readme(report):
    assert report["errors"] == []
    files = {result["file"].split("/")[-1] for result in report["results"]}
    assert files == set(readme_examples())
    assert len(files) >= 5


def test_each_example_gives_the_verdict_and_findings_the_readme_says(report):
    expected = readme_examples()
    for result in report["results"]:
        row = expected[result["file"].split("/")[-1]]
        assert result["verdict"] == row["verdict"], result["file"]
        for severity in COLUMNS:
            found = {f["rule"] for f in result["findings"] if f["severity"] == severity and not f["waived"]}
            assert found == row[severity], (result["file"], severity)
        assert {f["rule"] for f in result["findings"] if f["waived"]} == row["waived"], result["file"]


def test_examples_cover_every_verdict_and_every_built_in_rule(report):
    assert {result["verdict"] for result in report["results"]} >= {"bid", "bid-with-conditions", "needs-info", "no-bid"}
    fired = {f["rule"] for result in report["results"] for f in result["findings"]}
    built_in = {loaded.rule.id for loaded in load_catalogue().rules if loaded.origin == "built-in"}
    assert built_in <= fired, sorted(built_in - fired)


def test_no_finding_contradicts_another(report):
    """A waived finding is never counted, and no tender is both clean and blocked."""
    for result in report["results"]:
        counted = [f for f in result["findings"] if not f["waived"]]
        severities = {f["severity"] for f in counted}
        if "blocker" in severities:
            assert result["verdict"] == "no-bid"
        else:
            assert result["verdict"] != "no-bid"
        waived_rules = {f["rule"] for f in result["findings"] if f["waived"]}
        assert not waived_rules & {f["rule"] for f in counted}, result["file"]
        assert all(f["action"] and f["message"] and f["location"]["line"] >= 1 for f in result["findings"])


def test_example_files_name_their_expected_verdict_in_a_comment():
    for path in sorted((EXAMPLES / "tenders").glob("*.yaml")):
        assert re.search(r"Expected verdict: (no-bid|needs-info|bid-with-conditions|bid)\b", path.read_text()), path.name


def test_examples_show_the_v2_situations_a_bid_team_meets():
    """A re-bid, a withdrawing incumbent, a peer consortium and a subcontractor role each have an example."""
    import yaml

    tenders = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((EXAMPLES / "tenders").glob("*.yaml"))]
    assert any(tender["incumbent"] == "us" for tender in tenders)
    assert any(isinstance(tender["incumbent"], dict) and tender["incumbent"].get("rebidding") is False for tender in tenders)
    assert any(tender["bid"]["role"] == "subcontractor" and any(p["role"] == "lead" for p in tender["partners"]) for tender in tenders)
    assert any(tender["bid"]["role"] == "consortium-member" and any(p.get("exclusivity") for p in tender["partners"]) for tender in tenders)
