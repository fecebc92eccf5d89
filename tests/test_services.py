"""Services by name and by CPV (SPEC §1.1): service_match, the shipped CPV 2008 list, IMP001 from
CPV, organisation.services with CPV prefixes in the config, and `bidcheck explain` of a CPV code."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import jsonschema
import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from bidcheck import cpv
from bidcheck.api import Severity
from bidcheck.models import Organisation, Service
from bidcheck.services import service_match
from bidcheck_rules.impact import relevant_expertise
from tests.conftest import ROOT, stdout_text
from tests.rules.helpers import check, only, reasons

REFERENCE_CPV = ROOT.parent / "shared" / "data" / "reference" / "cpv_2008.csv"

CARERS = Service(name="carers-support", cpv=["853"])
OURS = [Service(name="substance-misuse"), CARERS]
PROFILE = """
organisation:
  annual_income: "£5m"
  services:
    - substance-misuse
    - {name: carers-support, cpv: ["853"]}
"""
CONFIG = "organisation:\n  services:\n    - substance-misuse\n    - {name: carers-support, cpv: [\"853\"]}\n"

digit_strings = st.text(alphabet="0123456789", min_size=1, max_size=8)


# --- service_match: the one "the service is ours" ---------------------------------------------


def test_service_matches_by_name_ignoring_case_spaces_and_hyphens():
    match = service_match(OURS, "Substance  Misuse", ["45000000"])
    assert (match.status, match.service, match.by, match.cpv) == ("yes", "substance-misuse", "name", None)


def test_service_matches_by_cpv_prefix_when_the_tender_names_no_service():
    match = service_match(OURS, None, ["79000000", "85312300"])
    assert (match.status, match.service, match.by, match.cpv, match.prefix) == ("yes", "carers-support", "cpv", "85312300", "853")


def test_the_longest_matching_prefix_names_the_service():
    ours = [Service(name="social-work", cpv=["853"]), Service(name="counselling", cpv=["853123"])]
    assert service_match(ours, None, ["85312300"]).service == "counselling"
    assert service_match(ours, None, ["85311000"]).service == "social-work"


def test_a_full_code_with_its_check_digit_matches_as_its_digits():
    assert service_match(OURS, None, ["85312300-2"]).status == "yes"
    assert service_match([Service(name="day-care", cpv=["85312100-0"])], None, ["85312100"]).status == "yes"


def test_no_name_and_no_prefix_matching_is_outside_our_services():
    assert service_match(OURS, "domestic-abuse", []).status == "no"
    match = service_match(OURS, None, ["45000000", "not-a-code"])
    assert (match.status, match.service, match.by) == ("no", None, None)


def test_a_named_service_decides_even_when_a_cpv_code_would_match():
    match = service_match(OURS, "domestic-abuse", ["85312300"])
    assert match.status == "no" and match.by is None


@pytest.mark.parametrize(
    ("services", "service", "codes", "missing"),
    [
        ([], "carers-support", ["85312300"], "organisation.services"),
        (OURS, None, [], "tender.service"),
        ([Service(name="carers-support")], None, ["85312300"], "organisation.services.cpv"),
    ],
    ids=["we list no services", "tender gives neither service nor CPV", "none of our services has CPV prefixes"],
)
def test_what_cannot_be_decided_is_unknown_naming_what_would_decide_it(services, service, codes, missing):
    match = service_match(services, service, codes)
    assert (match.status, match.missing, match.service, match.by) == ("unknown", missing, None, None)


def test_plain_service_names_are_accepted_as_services():
    assert service_match(["Carers Support"], "carers-support", []).service == "Carers Support"


@given(prefix=digit_strings, rest=st.text(alphabet="0123456789", max_size=7))
def test_any_code_starting_with_a_listed_prefix_matches(prefix, rest):
    code = (prefix + rest)[:8]
    match = service_match([Service(name="ours", cpv=[prefix])], None, [code])
    assert (match.status, match.service, match.cpv) == ("yes", "ours", code)


@given(prefix=digit_strings, code=st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_a_code_not_starting_with_any_listed_prefix_does_not_match(prefix, code):
    assume(not code.startswith(prefix))
    assert service_match([Service(name="ours", cpv=[prefix])], None, [code]).status == "no"


# --- organisation.services in the config ------------------------------------------------------


def test_a_plain_service_name_is_a_service_with_no_cpv_prefixes():
    organisation = Organisation(services=["substance-misuse", {"name": "carers-support", "cpv": "85312000-9"}])
    assert organisation.services == [Service(name="substance-misuse", cpv=[]), Service(name="carers-support", cpv=["85312000"])]


@given(prefix=digit_strings)
def test_any_prefix_of_one_to_eight_digits_is_read_as_itself(prefix):
    assert Service(name="ours", cpv=[f" {prefix} "]).cpv == [prefix]


@given(bad=st.text(min_size=1, max_size=12).filter(lambda text: cpv.digits(text) is None))
def test_any_prefix_that_is_not_digits_is_refused(bad):
    with pytest.raises(ValueError, match="expected a CPV prefix of service ours"):
        Service(name="ours", cpv=[bad])


def test_a_bad_cpv_prefix_is_a_located_error_naming_its_service(run_cli, write, tmp_path):
    config = write(
        "bidcheck.yaml",
        """
        organisation:
          services:
            - substance-misuse
            - name: carers-support
              cpv: ["853", "85A", "853120001", "8531-2"]
        """,
    )
    write("t.yaml", "tender: {id: T, title: Carers, cpv: ['85312300']}\n")
    process = run_cli("check", "t.yaml", cwd=tmp_path)
    errors = [line for line in process.stderr.decode().splitlines() if ": organisation.services[1].cpv[" in line]
    assert process.returncode == 2
    assert [line.split(":")[:3] for line in errors] == [[str(config), "5", "20"], [str(config), "5", "27"], [str(config), "5", "40"]]
    assert all("carers-support" in line and "85312000-9" in line for line in errors)


def test_a_cpv_prefix_written_as_a_number_in_pyproject_is_a_located_error(run_cli, write, tmp_path):
    write("pyproject.toml", '[tool.bidcheck.organisation]\nservices = [{name = "carers-support", cpv = [853]}]\n')
    write("t.yaml", "tender: {id: T, title: Carers, cpv: ['85312300']}\n")
    process = run_cli("check", "t.yaml", cwd=tmp_path)
    assert process.returncode == 2
    assert "pyproject.toml:2:" in process.stderr.decode() and 'as text in quotes ("853")' in process.stderr.decode()


def test_a_service_entry_that_is_a_list_is_a_located_error(run_cli, write, tmp_path):
    write("bidcheck.yaml", "organisation:\n  services:\n    - [carers-support, '853']\n")
    write("t.yaml", "tender: {id: T, title: Carers}\n")
    process = run_cli("check", "t.yaml", cwd=tmp_path)
    assert process.returncode == 2
    assert "bidcheck.yaml:3:7: organisation.services[0]: expected a service name, or a mapping" in process.stderr.decode()


def test_the_config_schema_accepts_names_and_cpv_prefixes_and_rejects_letters(run_cli, tmp_path):
    schema = json.loads(stdout_text(run_cli("schema", "config", cwd=tmp_path)))
    jsonschema.validate(yaml.safe_load(CONFIG), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"organisation": {"services": [{"name": "carers-support", "cpv": ["85A"]}]}}, schema)


def test_the_config_template_shows_a_service_with_cpv_prefixes_and_reads_back(run_cli, tmp_path):
    assert run_cli("init", "--config", cwd=tmp_path).returncode == 0
    template = (tmp_path / "bidcheck.yaml").read_text(encoding="utf-8")
    lines = template.splitlines()
    at = lines.index("  services: []")
    notes = []
    while lines[at - len(notes) - 1].startswith("  # "):
        notes.insert(0, lines[at - len(notes) - 1].removeprefix("  # "))
    written = yaml.safe_load(" ".join(notes).split("For example: ", 1)[1])
    assert Organisation(services=written).services[1] == Service(name="carers-support", cpv=["853", "85312"])
    assert run_cli("config", cwd=tmp_path).returncode == 0


def test_bidcheck_config_shows_services_as_written(run_cli, write, tmp_path):
    write("bidcheck.yaml", CONFIG)
    settings = json.loads(stdout_text(run_cli("config", "--format", "json", cwd=tmp_path)))["settings"]
    services = next(row for row in settings if row["key"] == "organisation.services")
    assert services["value"] == ["substance-misuse", {"name": "carers-support", "cpv": ["853"]}]


# --- IMP001 decides from CPV ------------------------------------------------------------------


def test_imp001_is_silent_when_a_cpv_code_starts_with_one_of_our_prefixes(run_cli, write, tmp_path):
    write("bidcheck.yaml", CONFIG)
    write("t.yaml", "tender: {id: T, title: Young carers, cpv: ['85312300']}\n")
    report = json.loads(stdout_text(run_cli("check", "t.yaml", "--select", "IMP001", "--format", "json", cwd=tmp_path)))
    assert report["results"][0]["findings"] == [] and report["results"][0]["verdict"] == "bid"


def test_imp001_concern_names_the_cpv_codes_their_descriptions_and_our_prefixes(run_cli, write, tmp_path):
    write("bidcheck.yaml", CONFIG)
    write("t.yaml", "tender: {id: T, title: Retrofit, cpv: ['45000000']}\n")
    report = json.loads(stdout_text(run_cli("check", "t.yaml", "--select", "IMP001", "--format", "json", cwd=tmp_path)))
    finding = only_finding(report)
    assert (finding["rule"], finding["severity"], finding["field"]) == ("IMP001", "concern", "tender.cpv")
    assert "45000000 (Construction work)" in finding["message"] and "carers-support: 853" in finding["message"]
    assert finding["evidence"]["cpv"] == {"45000000": "Construction work"}
    assert finding["evidence"]["our_cpv"] == {"carers-support": ["853"]}
    assert finding["location"] == {"line": 1, "column": 34}  # tender.cpv


def only_finding(report: dict) -> dict:
    [result] = report["results"]
    [finding] = result["findings"]
    return finding


def test_imp001_asks_for_tender_service_only_when_neither_service_nor_cpv_is_given():
    asked = only(reasons(relevant_expertise, "tender: {buyer: A council}", PROFILE))
    assert asked.severity is Severity.UNKNOWN and asked.finding.field == "tender.service"
    assert "tender.cpv" in asked.finding.question
    assert reasons(relevant_expertise, "tender: {cpv: ['85312300']}", PROFILE) == []


def test_imp001_with_only_cpv_and_no_prefixes_of_ours_asks_which_service_it_is():
    reason = only(reasons(relevant_expertise, "tender: {cpv: ['85312300']}", "organisation: {services: [carers-support]}"))
    assert reason.severity is Severity.UNKNOWN
    assert "85312300 (Guidance and counselling services)" in reason.finding.question
    assert check(relevant_expertise, "tender: {cpv: ['85312300']}", "organisation: {services: [carers-support]}").verdict.value == "bid"


def test_imp001_by_name_keeps_its_evidence():
    reason = only(reasons(relevant_expertise, "tender: {service: domestic-abuse, cpv: ['85312300']}", PROFILE))
    assert reason.severity is Severity.CONCERN and reason.finding.field == "tender.service"
    assert reason.finding.evidence == {"service": "domestic-abuse", "our_services": ["substance-misuse", "carers-support"]}


# --- the CPV 2008 list ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "description"),
    [
        ("85312300", "Guidance and counselling services"),
        ("85312300-2", "Guidance and counselling services"),
        ("853", "Social work and related services"),
        ("85", "Health and social work services"),
        ("8531", "Social work services"),
        ("03", "Agricultural, farming, fishing, forestry and related products"),
    ],
)
def test_describe_gives_a_code_or_prefix_its_description(code, description):
    assert cpv.describe(code) == description


@pytest.mark.parametrize("code", ["3", "8", "85313", "99999999", "85A", "853-2", "123456789", ""])
def test_describe_knows_nothing_of_what_is_not_one_cpv_code(code):
    assert cpv.describe(code) is None


def test_a_prefix_in_a_gap_of_the_hierarchy_describes_its_only_shortest_code():
    found = cpv.lookup("446131")  # no 44613100; 44613110 is the one code under it at its level
    assert found is not None and found.code.startswith("446131") and found.description == cpv.describe("446131")


def test_the_cpv_list_ships_with_the_package_as_provenance_records_it():
    table = cpv.codes()
    assert len(table) == 9454 and len(set(table)) == 9454
    assert all(len(code) == 8 and code.isdigit() for code in table)
    assert (ROOT / "src" / "bidcheck" / "data" / "cpv_2008.md").is_file()


@pytest.mark.skipif(not REFERENCE_CPV.is_file(), reason="../shared/data/reference is not present")
def test_the_shipped_cpv_list_is_the_reference_list():
    with REFERENCE_CPV.open(encoding="utf-8", newline="") as reference:
        rows = list(csv.DictReader(reference))
    assert [(row["code"], row["description_en"]) for row in rows] == [(code, cpv.describe(code)) for code in cpv.codes()]


def test_the_cpv_list_is_not_read_at_start_up():
    code = "import bidcheck.cli, bidcheck.api, bidcheck.cpv; print(bidcheck.cpv._codes.cache_info().currsize)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "0"


# --- bidcheck explain of a CPV code -----------------------------------------------------------


def test_explain_of_a_cpv_code_shows_its_description_and_the_service_it_matches(run_cli, write, tmp_path):
    write("bidcheck.yaml", CONFIG)
    (tmp_path / "tenders").mkdir()
    process = run_cli("explain", "85312300", cwd=tmp_path / "tenders")  # the config is found upward
    text = stdout_text(process)
    assert process.returncode == 0
    assert text.splitlines()[0] == "CPV 85312300-2: Guidance and counselling services (subcategory)"
    assert "85300000-2  Social work and related services (group)" in text
    assert "carers-support: matches (CPV prefix 853)" in text
    assert "substance-misuse: no CPV prefixes" in text


def test_explain_of_a_cpv_prefix_uses_the_config_given(run_cli, write, tmp_path):
    config = write("elsewhere/ours.yaml", "organisation:\n  services: [{name: building, cpv: ['45']}]\n")
    text = stdout_text(run_cli("explain", "853", "--config", str(config), cwd=tmp_path))
    assert text.startswith("CPV prefix 853: Social work and related services (group 85300000-2")
    assert "building: does not match (CPV prefixes 45)" in text


@pytest.mark.parametrize(("given", "hint"), [("99999999", "not a CPV 2008 code"), ("IMP01", "did you mean IMP001?"), ("NOPE", "`bidcheck rules`")])
def test_explain_of_neither_a_rule_nor_a_cpv_code_is_an_error(run_cli, tmp_path, given, hint):
    process = run_cli("explain", given, cwd=tmp_path)
    assert process.returncode == 2 and process.stdout == b""
    assert f"unknown rule or CPV code '{given}'; " in process.stderr.decode() and hint in process.stderr.decode()


def test_a_cpv_code_broader_than_our_prefix_is_unknown_not_a_miss():
    """85000000 (health and social work) takes in 853 (social work) and more: the notice's service must say."""
    from bidcheck.models import Service
    from bidcheck.services import service_match

    ours = [Service(name="social-care", cpv=["853"])]
    match = service_match(ours, None, ["85000000"])
    assert (match.status, match.missing, match.cpv, match.prefix) == ("unknown", "tender.service", "85000000", "853")
    assert service_match(ours, None, ["85300000"]).status == "yes"
    assert service_match(ours, None, ["45000000"]).status == "no"
    assert service_match(ours, None, ["85100000"]).status == "no"  # health services: a sibling of 853, not broader


def test_imp001_asks_for_the_service_when_the_notice_gives_only_a_broader_code(run_cli, write):
    import json

    write("bidcheck.yaml", 'organisation: {services: [{name: social-care, cpv: ["853"]}]}\n')
    tender = write("t.yaml", 'tender: {id: T1, title: Young carers, cpv: ["85000000"]}\n')
    result = run_cli("check", str(tender), "--format", "json", "--select", "IMP001", cwd=tender.parent)
    [finding] = json.loads(result.stdout)["results"][0]["findings"]
    assert (finding["rule"], finding["severity"], finding["field"]) == ("IMP001", "unknown", "tender.service")
    assert "85000000" in finding["question"] and "853" in finding["question"]
