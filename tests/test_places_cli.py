"""The gazetteer through the installed console script: presence in rules, the --area filter, unknown names."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.conftest import stderr_text, stdout_text

LOCAL_INCUMBENT = "incumbent: {name: Local Carers Project, local: true}\nbid: {incumbent_approach: compete}\n"


def config(write, areas: str) -> Path:
    return write("bidcheck.yaml", f'organisation: {{name: Us, annual_income: "£2m", areas: {areas}}}\n')


def tender(write, name: str, areas: str) -> Path:
    return write(name, f"tender: {{id: {name.split('.')[0]}, title: Young carers, areas: {areas}}}\n{LOCAL_INCUMBENT}")


def check_json(run_cli, *paths: Path) -> tuple[int, dict, str]:
    process = run_cli("check", *map(str, paths), "--format", "json")
    return process.returncode, json.loads(stdout_text(process)), stderr_text(process)


def presence_findings(result: dict) -> list[dict]:
    """IMP005 and MIS003: the rules that fire when, in one of the tender's areas, neither we nor a local partner are present."""
    return [finding for finding in result["findings"] if finding["rule"] in ("IMP005", "MIS003") and finding["severity"] == "concern"]


def test_presence_in_one_of_two_boroughs_is_not_presence_in_the_other_and_a_borough_alone_elsewhere_is_none(run_cli, write):
    # v2: presence is judged area by area (SPEC §1.1); version 1 let Camden stand for Islington.
    config(write, "[Camden]")
    both = tender(write, "both.yaml", "[Camden, Islington]")
    islington = tender(write, "islington.yaml", "[Islington]")
    _, report, _ = check_json(run_cli, both, islington)
    by_id = {result["tender"]["id"]: result for result in report["results"]}
    assert {finding["rule"] for finding in presence_findings(by_id["both"])} == {"IMP005", "MIS003"}
    assert all(finding["evidence"]["not_present_in"] == ["Islington"] for finding in presence_findings(by_id["both"]))
    assert {finding["rule"] for finding in presence_findings(by_id["islington"])} == {"IMP005", "MIS003"}


def test_an_organisation_in_london_is_present_in_every_london_borough(run_cli, write):
    config(write, "[London]")
    _, report, _ = check_json(run_cli, tender(write, "islington.yaml", "[Islington]"), tender(write, "both.yaml", "[Camden, Islington]"))
    assert all(presence_findings(result) == [] for result in report["results"])


def test_a_nuts_code_tender_is_covered_by_an_organisation_in_the_north_west(run_cli, write):
    config(write, "[North West]")
    _, report, _ = check_json(run_cli, tender(write, "manchester.yaml", "[UKD33]"))
    assert presence_findings(report["results"][0]) == []
    config(write, "[Yorkshire and the Humber]")
    _, report, _ = check_json(run_cli, tender(write, "manchester.yaml", "[UKD33]"))
    assert presence_findings(report["results"][0]) != []


def test_an_unknown_tender_area_is_warned_about_once_with_its_location_and_the_exit_status_unchanged(run_cli, write):
    config(write, "[Camden]")
    known = tender(write, "known.yaml", "[Camden]")
    status_known, report_known, _ = check_json(run_cli, known)
    unknown = tender(write, "unknown.yaml", "[Camden, Narnia, narnia, Narnia]")
    status_unknown, report_unknown, stderr = check_json(run_cli, unknown)
    assert status_unknown == status_known
    assert report_unknown["results"][0]["verdict"] == report_known["results"][0]["verdict"]
    (warning,) = report_unknown["results"][0]["warnings"]  # "narnia" is the same unknown name: said once
    first_line = unknown.read_text(encoding="utf-8").splitlines()[0]
    assert (warning["line"], warning["column"]) == (1, first_line.index("Narnia") + 1) and "Narnia" in warning["message"]
    assert sum("Narnia" in line for line in stderr.splitlines() if line.startswith("warning:")) == 1
    assert report_known["results"][0]["warnings"] == []


def test_an_unknown_organisation_area_is_warned_about_once_per_run_at_its_config_line(run_cli, write):
    write("bidcheck.yaml", 'organisation:\n  name: Us\n  annual_income: "£2m"\n  areas: [Camden, Hackny]\n')
    first, second = tender(write, "a.yaml", "[Camden]"), tender(write, "b.yaml", "[Islington]")
    status, report, stderr = check_json(run_cli, first, second)
    assert status == 0 and len(report["results"]) == 2
    warned = [line for line in stderr.splitlines() if "Hackny" in line]
    assert len(warned) == 1 and warned[0].startswith("warning:") and "bidcheck.yaml:4:19:" in warned[0]


def test_the_import_area_filter_keeps_notices_our_area_covers(run_cli, tmp_path):
    release = {
        "ocid": "ocds-test-0001", "id": "ocds-test-0001-tender", "date": "2026-08-01T00:00:00Z", "tag": ["tender"],
        "buyer": {"name": "Manchester City Council"},
        "tender": {
            "id": "T1", "title": "Carers support", "status": "active", "tenderPeriod": {"endDate": "2099-01-31T12:00:00Z"},
            "items": [{"id": "1", "deliveryAddresses": [{"region": "UKD33"}]}],
        },
    }  # fmt: skip
    notice = tmp_path / "notice.json"
    notice.write_text(json.dumps(release), encoding="utf-8")
    for area, kept in (("North West", True), ("TLD3", True), ("Manchester", True), ("London", False), ("UKD34", False)):
        out = tmp_path / area
        process = run_cli("import", "ocds", str(notice), "-o", str(out), "--area", area)
        assert process.returncode == 0, stderr_text(process)
        written = sorted(out.glob("*.yaml")) if out.exists() else []
        assert bool(written) is kept, area
        if kept:
            assert "UKD33" in yaml.safe_load(written[0].read_text(encoding="utf-8"))["tender"]["areas"]


def test_an_unknown_area_in_a_tenders_own_organisation_block_is_warned_about_in_that_tender(run_cli, write):
    one_off = write("one-off.yaml", "tender: {id: X, title: Carers, areas: [Camden]}\norganisation: {areas: [Camden, Hackny]}\n")
    status, report, _ = check_json(run_cli, one_off)
    (warning,) = report["results"][0]["warnings"]
    assert status == 0 and "Hackny" in warning["message"] and (warning["line"], warning["column"]) == (2, 32)
