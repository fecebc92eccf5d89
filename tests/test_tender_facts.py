"""The tender facts (SPEC §4.1) in `check`'s JSON (schema 2) and CSV, and `--as-of` as the run's today."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bidcheck.render.as_csv import HEADER as SCHEMA_1_COLUMNS
from tests.conftest import ROOT, console_script, stderr_text, stdout_text

FACTS = ("id", "ocid", "title", "buyer", "value", "value_includes_vat", "deadline", "days_left", "areas", "cpv", "service", "suitable_for", "light_touch", "url")
NOTICE = ROOT / "tests" / "data" / "ocds" / "cf_release_package_2022-10-20.json"
LINCOLNSHIRE = "ocds-b5fd17-5e6c6f29-9a57-42b3-a4dc-9828e51ad503"  # deadline 2022-11-17


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    """The folder of tender files `bidcheck import ocds` wrote from a real Contracts Finder page."""
    help_text = subprocess.run([console_script(), "import", "ocds", "--help"], capture_output=True, text=True).stdout
    as_of = ["--as-of", "2022-10-25"] if "--as-of" in help_text else []  # open notices only, once import judges dates
    process = subprocess.run([console_script(), "import", "ocds", str(NOTICE), "-o", "tenders", *as_of], cwd=tmp_path, capture_output=True)
    assert process.returncode == 0, stderr_text(process)
    return tmp_path


def full_tender(**fields) -> dict:
    data = {
        "id": "FACTS-1",
        "title": "Carers support",
        "buyer": "Camden Council",
        "service": "carers-support",
        "cpv": ["85312000", "85311000"],
        "value": "£1.2m",
        "value_includes_vat": True,
        "areas": ["Camden", "TLI43"],
        "deadline": "2026-09-14",
        "suitable_for": ["sme", "vcse"],
        "light_touch": True,
        "source": {"ocid": "ocds-h6vhtk-04f1c2", "url": "https://www.find-tender.service.gov.uk/Notice/075819-2026"},
    }
    return {"tender": {**data, **fields}}


def check(run_cli, folder: Path, output_format: str, *options: str) -> str:
    process = run_cli("check", ".", "--format", output_format, *options, cwd=folder)
    assert process.returncode in (0, 1), stderr_text(process)
    return stdout_text(process)


def test_check_json_is_schema_2_with_every_tender_fact(run_cli, tmp_path):
    (tmp_path / "t.yaml").write_text(yaml.safe_dump(full_tender()), encoding="utf-8")
    report = json.loads(check(run_cli, tmp_path, "json", "--as-of", "2026-08-15"))
    assert report["schema"] == 2
    (result,) = report["results"]
    assert result["tender"] == {
        "id": "FACTS-1",
        "ocid": "ocds-h6vhtk-04f1c2",
        "title": "Carers support",
        "buyer": "Camden Council",
        "value": 1200000,
        "value_includes_vat": True,
        "deadline": "2026-09-14",
        "days_left": 30,
        "areas": ["Camden", "TLI43"],
        "cpv": ["85312000", "85311000"],
        "service": "carers-support",
        "suitable_for": ["sme", "vcse"],
        "light_touch": True,
        "url": "https://www.find-tender.service.gov.uk/Notice/075819-2026",
    }
    assert {"verdict", "findings", "conditions", "questions", "warnings", "complete", "checked"} <= set(result)
    assert "fit" not in result  # fit is triage's


def test_facts_a_tender_does_not_give_are_null_or_empty(run_cli, tmp_path):
    (tmp_path / "t.yaml").write_text("tender: {id: BARE-1, title: Bare}\n", encoding="utf-8")
    (result,) = json.loads(check(run_cli, tmp_path, "json"))["results"]
    facts = result["tender"]
    assert tuple(facts) == FACTS
    assert {name for name, value in facts.items() if value is None} == {
        "ocid", "buyer", "value", "value_includes_vat", "deadline", "days_left", "service", "light_touch", "url",
    }  # fmt: skip
    assert facts["areas"] == facts["cpv"] == facts["suitable_for"] == []


def test_check_csv_keeps_its_columns_and_adds_the_facts(run_cli, tmp_path):
    (tmp_path / "t.yaml").write_text(yaml.safe_dump(full_tender()), encoding="utf-8")
    text = check(run_cli, tmp_path, "csv", "--as-of", "2026-08-15")
    header = next(csv.reader(io.StringIO(text)))
    assert tuple(header[: len(SCHEMA_1_COLUMNS)]) == SCHEMA_1_COLUMNS  # a sheet reading columns by position still works
    assert set(FACTS) <= set(header)
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["ocid"] == "ocds-h6vhtk-04f1c2" and row["url"].startswith("https://www.find-tender")
    assert row["areas"] == "Camden; TLI43" and row["cpv"] == "85312000; 85311000" and row["suitable_for"] == "sme; vcse"
    assert row["value_includes_vat"] == "true" and row["light_touch"] == "true"
    assert row["deadline"] == "2026-09-14" and row["days_left"] == "30" and row["value"] == "1200000"


def test_days_left_is_negative_once_the_deadline_has_passed_and_a_plain_number_in_csv(run_cli, tmp_path):
    (tmp_path / "t.yaml").write_text(yaml.safe_dump(full_tender()), encoding="utf-8")
    (result,) = json.loads(check(run_cli, tmp_path, "json", "--as-of", "2026-09-20"))["results"]
    assert result["tender"]["days_left"] == -6
    (row,) = csv.DictReader(io.StringIO(check(run_cli, tmp_path, "csv", "--as-of", "2026-09-20")))
    assert row["days_left"] == "-6"  # a number, not text guarded against formulas


def test_an_imported_notice_carries_its_ocid_and_url_in_json_and_csv(run_cli, imported):
    report = json.loads(check(run_cli, imported, "json", "--as-of", "2022-10-25"))
    facts = {result["tender"]["id"]: result["tender"] for result in report["results"]}
    lincolnshire = facts[LINCOLNSHIRE]
    assert lincolnshire["ocid"] == LINCOLNSHIRE
    assert lincolnshire["url"].startswith("https://www.contractsfinder.service.gov.uk/Notice/")
    assert lincolnshire["deadline"] == "2022-11-17" and lincolnshire["days_left"] == 23
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(check(run_cli, imported, "csv", "--as-of", "2022-10-25")))}
    assert rows[LINCOLNSHIRE]["ocid"] == LINCOLNSHIRE and rows[LINCOLNSHIRE]["days_left"] == "23"


def test_as_of_changes_days_left(run_cli, tmp_path):
    (tmp_path / "t.yaml").write_text(yaml.safe_dump(full_tender()), encoding="utf-8")
    days = [json.loads(check(run_cli, tmp_path, "json", "--as-of", day))["results"][0]["tender"]["days_left"] for day in ("2026-08-15", "2026-09-13")]
    assert days == [30, 1]


WAIVED = """\
tender: {id: W-1, title: Waived}
bid: {price: "£100k", full_cost: "£200k"}
waivers:
  - rule: PWR001
    reason: Board accepted the loss for one year
    approved_by: Board
    expires: 2026-09-01
"""


@pytest.mark.parametrize(("as_of", "waived"), [("2026-08-15", True), ("2026-09-01", True), ("2026-09-02", False)])
def test_as_of_decides_whether_a_waiver_has_expired(run_cli, tmp_path, as_of, waived):
    (tmp_path / "t.yaml").write_text(WAIVED, encoding="utf-8")
    process = run_cli("check", ".", "--format", "json", "--as-of", as_of, cwd=tmp_path)
    (result,) = json.loads(stdout_text(process))["results"]
    (finding,) = [finding for finding in result["findings"] if finding["rule"] == "PWR001"]
    assert finding["waived"] is waived
    expired = [warning for warning in result["warnings"] if "expired" in warning["message"]]
    assert bool(expired) is not waived


@given(st.dates())
def test_as_of_reads_back_every_iso_date(day):
    from bidcheck.cli_help import parse_as_of

    assert parse_as_of(day.isoformat()) == day


@given(st.text(max_size=20).filter(lambda text: not re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", text)))
def test_as_of_refuses_anything_but_an_iso_date_as_a_usage_error(text):
    import typer

    from bidcheck.cli_help import parse_as_of

    with pytest.raises(typer.BadParameter):
        parse_as_of(text)
