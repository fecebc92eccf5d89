"""`bidcheck import ocds`: real UK notices in, tender files that `bidcheck check` accepts out.

The core tests use the six real notices copied into tests/data/ocds (see its README); the
full-set tests import all 780 releases in ../shared/data/ocds when that folder is present.
"""

from __future__ import annotations

import datetime
import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from bidcheck.ocds import (
    NoticeFilter,
    Release,
    SkipReason,
    latest_releases,
    plan_import,
    select_procurement,
    read_releases,
    safe_file_name,
    tenders_from_release,
)
from bidcheck.problems import ProblemsFound
from tests.conftest import ROOT, console_script, stderr_text, stdout_text
from tests.yaml12 import load_yaml

DATA = ROOT / "tests" / "data" / "ocds"
SHARED = ROOT.parent / "shared" / "data" / "ocds"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/ocds is not present")

LINCOLNSHIRE = "ocds-b5fd17-5e6c6f29-9a57-42b3-a4dc-9828e51ad503"
REGENT_THEATRE = "ocds-b5fd17-77c2b2da-8f41-4ccf-8b73-39c90ec15cb2"
CYP_AWARD = "ocds-b5fd17-04f03bea-20ae-40b4-afd3-b572bf7b4bf4"
RENFREWSHIRE = "ocds-r6ebe6-0000569951"
SWANSEA = "ocds-kuma6s-145895"
SOUTH_GLOS_2014 = "ocds-b5fd17-2c3de2dc-adc8-11e6-9901-0019b9f3037b"
CORE_FILES = sorted(DATA.glob("*.json*"))
CORE_IDS = {
    LINCOLNSHIRE,
    REGENT_THEATRE,
    f"{RENFREWSHIRE}-lot-1",
    f"{RENFREWSHIRE}-lot-2",
    SWANSEA,
    SOUTH_GLOS_2014,
}


def plan_for(*paths: Path, **options):
    notice_filter = NoticeFilter(**options.pop("filter", {}))
    return plan_import([(str(path), path.read_bytes()) for path in paths], notice_filter, include_closed=True, **options)


def core_tenders(**options) -> dict[str, object]:
    return {tender.tender_id: tender for tender in plan_for(*CORE_FILES, **options).tenders}


def written(folder: Path) -> dict[str, dict]:
    """Every tender file in ``folder``, read as plain YAML (dates as strings), by tender id."""
    found = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDates)
        found[data["tender"]["id"]] = data
    return found


class _TextDates(yaml.SafeLoader):
    pass


_TextDates.yaml_implicit_resolvers = {
    first: [resolver for resolver in resolvers if resolver[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


SUMMARY = re.compile(
    r"^read (?P<read>\d+) releases? from (?P<files>\d+) files?: (?P<notices>\d+) notices? imported, "
    r"(?P<skipped>\d+) releases? skipped(?: \((?P<reasons>[^)]*)\))?\n"
    r"(?P<tender_files>\d+) tender files? from the \d+ notices? \([^)]*\): (?P<selected>\d+) selected, "
    r"(?P<filtered>\d+) filtered out(?:, (?P<value_not_known>\d+) kept with no value in GBP [^\n]*)?\n"
    r"wrote (?P<written>\d+) tender files? to [^\n]*?(?: \((?P<wrote>[^)]*)\))?(?:; left (?P<left>\d+) as they were \((?P<kept>[^)]*)\))?$",
    re.MULTILINE,
)
COUNTS = ("read", "files", "notices", "skipped", "tender_files", "selected", "filtered", "value_not_known", "written", "left")


def summary_counts(stderr: str) -> dict[str, int]:
    """The numbers in the import summary, by unit: releases (read, notices, skipped and each
    reason), tender files (made from the notices, selected, filtered out) and files written
    (written, left, and each outcome such as "new" or "unchanged"); zero when not said."""
    match = SUMMARY.search(stderr)
    assert match, stderr
    counts = {key: int(match[key] or 0) for key in COUNTS}
    for group in ("reasons", "wrote", "kept"):
        for part in (match[group] or "").split(", "):
            if part:
                label, count = part.rsplit(": ", 1)
                counts[label] = int(count)
    assert counts["read"] == counts["notices"] + counts["skipped"]  # every release accounted for once
    assert counts["tender_files"] == counts["selected"] + counts["filtered"]
    return counts


def check_json(run_cli, folder: Path) -> dict:
    process = run_cli("check", str(folder), "--format", "json", "--fail-on", "never")
    assert "Traceback" not in stderr_text(process)
    report = json.loads(stdout_text(process))
    assert report["errors"] == [], report["errors"][:5]
    assert process.returncode == 0, stderr_text(process)
    return report


# --- mapping: real notices, spot-checked ------------------------------------------------


def test_lincolnshire_domestic_abuse_service_keeps_the_range_and_the_closing_date():
    tender = core_tenders()[LINCOLNSHIRE]
    data = yaml.load(tender.text, Loader=_TextDates)
    assert data == {
        "tender": {
            "id": LINCOLNSHIRE,
            "title": "Domestic Abuse Support Service",
            "buyer": "Lincolnshire County Council",
            "cpv": ["85300000"],
            "value": 11000000,  # the upper bound
            "term_months": 60,  # 2023-04-01 to 2028-03-31
            "areas": ["Lincolnshire"],  # the notice says England; the council buys for its own county
            "published": "2022-10-19",
            "deadline": "2022-11-17",
            "suitable_for": ["sme", "vcse"],
            "source": {
                "ocid": LINCOLNSHIRE,
                "release": "711f665b-3153-4f1f-b1e5-09394c6493af-582298",
                "publisher": "Contracts Finder",
                "url": "https://www.contractsfinder.service.gov.uk/Notice/711f665b-3153-4f1f-b1e5-09394c6493af",
            },
        }
    }
    assert "value: 11000000  # upper bound: the notice gives £8,275,000 to £11,000,000" in tender.text
    assert "# The buyer marks it suitable for SMEs: yes; for VCSEs: yes." in tender.text
    assert "# Areas: the notice gives England; these are its buyers' local authorities, within it." in tender.text
    assert (tender.value, tender.value_low, tender.vcse) == (11_000_000, 8_275_000, True)
    assert tender.file_name == f"{LINCOLNSHIRE}.yaml"


def test_what_ocds_cannot_know_is_left_out_with_the_questions_to_answer():
    tender = core_tenders()[LINCOLNSHIRE]
    data = yaml.safe_load(tender.text)
    assert set(data) == {"tender"}  # no incumbent, bid or partners: nobody guessed them
    questions = [line for line in tender.text.splitlines() if line.startswith("# - ")]
    assert [line.split(":")[0] for line in questions] == ["# - service", "# - incumbent", "# - bid", "# - partners"]
    assert "Lincolnshire residents" not in tender.text  # descriptions stay out


def test_scottish_notice_whose_lots_carry_values_becomes_one_tender_per_lot():
    tenders = core_tenders()
    assert RENFREWSHIRE not in tenders
    lot_1 = yaml.load(tenders[f"{RENFREWSHIRE}-lot-1"].text, Loader=_TextDates)["tender"]
    lot_2 = yaml.load(tenders[f"{RENFREWSHIRE}-lot-2"].text, Loader=_TextDates)["tender"]
    assert lot_1["title"].endswith(" - Lot 1: Design and Build for affrodable housing at Albert Road, Renfrew")  # sic
    assert (lot_1["value"], lot_2["value"]) == (9500000, 4000000)
    assert lot_1["term_months"] == lot_2["term_months"] == 24  # durationInDays 720
    assert lot_1["areas"] == ["UKM83"]  # a NUTS code, as published
    assert lot_1["cpv"] == ["45211300"]
    assert lot_1["deadline"] == "2019-04-29"
    assert lot_1["source"] == {  # Public Contracts Scotland releases have no id
        "ocid": RENFREWSHIRE,
        "publisher": "Public Contracts Scotland",
        "url": "https://www.publiccontractsscotland.gov.uk/search/show/search_view.aspx?ID=APR350001",
    }
    assert "# Lot 1 of 2; the notice as a whole: £9,500,000." in tenders[f"{RENFREWSHIRE}-lot-1"].text


def test_welsh_notice_whose_lots_have_no_values_is_one_tender_with_the_lots_noted():
    tender = core_tenders()[SWANSEA]
    data = yaml.load(tender.text, Loader=_TextDates)["tender"]
    assert data["buyer"] == "City & County of Swansea"
    assert data["cpv"] == ["79600000", "85000000", "85300000", "85310000", "85311000", "85312000"]  # tender then items
    assert (data["value"], data["term_months"], data["areas"]) == (3000000, 12, ["UKL18"])
    assert "# Lots: 2, imported as one tender (not every lot states its own value):" in tender.text
    assert "#   - Lot 2: Provision of Agency Adult Services Support, 12 months" in tender.text
    assert tender.vcse is None  # Sell2Wales publishes no suitability flags


def test_legacy_2014_contracts_finder_notice_is_imported_without_trusting_its_quirks():
    tender = core_tenders()[SOUTH_GLOS_2014]
    data = yaml.load(tender.text, Loader=_TextDates)["tender"]
    assert data["title"] == "South Gloucestershire Council: Housing Advice Service (AH009)"
    assert data["cpv"] == ["85000000"]  # item-level classification
    assert data["published"] == "2014-12-17"
    # tenderPeriod is the contract period in this data; minValue alone is no value; "Spend Network" is no buyer.
    assert not {"deadline", "term_months", "value", "buyer"} & set(data)
    assert "# Value: at least £125,332 (the notice gives only a lower bound), so `value` is left out." in tender.text
    assert "'Spend Network', not the buyer; its contact's email is at southglos.gov.uk" in tender.text
    assert "looks like the contract period" in tender.text
    assert "andy.hichens" not in tender.text  # no one's personal address copied into tender files


def test_latest_release_per_notice_is_kept_and_award_notices_are_skipped():
    plan = plan_for(DATA / "cf_release_package_2022-10-20.json")
    assert [tender.tender_id for tender in plan.tenders] == [LINCOLNSHIRE, REGENT_THEATRE]
    reasons = {(skip.ocid, skip.reason) for skip in plan.skips}
    assert reasons == {(REGENT_THEATRE, SkipReason.SUPERSEDED), (CYP_AWARD, SkipReason.AWARD)}
    superseded = next(skip for skip in plan.skips if skip.reason is SkipReason.SUPERSEDED)
    assert "tenderAmendment release of 2022-10-19T16:20:52+01:00" in superseded.detail


def test_the_amendment_supersedes_the_original_tender():
    package = json.loads((DATA / "cf_release_package_2022-10-20.json").read_text(encoding="utf-8"))
    regent = {release["tag"][0]: release for release in package["releases"] if release["ocid"] == REGENT_THEATRE}
    plan = plan_for(DATA / "cf_release_package_2022-10-20.json")
    kept = next(tender for tender in plan.tenders if tender.tender_id == REGENT_THEATRE)
    assert kept.release_id == regent["tenderAmendment"]["id"]
    assert yaml.safe_load(kept.text)["tender"]["source"]["release"] == regent["tenderAmendment"]["id"]


def test_releases_without_an_id_are_told_apart_by_date():
    line = json.loads((DATA / "pcs_scotland_lots.jsonl").read_text(encoding="utf-8"))
    later = {**line, "date": "2019-04-10T00:00:00Z", "tender": {**line["tender"], "title": "Amended title"}}
    releases = [Release(line, "a:1"), Release(later, "a:2"), Release(line, "a:3")]
    kept, skips = latest_releases(releases)
    assert [release.where for release in kept] == ["a:2"]
    assert sorted((skip.where, skip.reason) for skip in skips) == [
        ("a:1", SkipReason.SUPERSEDED),
        ("a:3", SkipReason.DUPLICATE),
    ]


def test_dates_with_different_time_zones_compare_as_instants():
    base = {"ocid": "ocds-x-1", "tag": ["tender"], "tender": {"title": "T"}}
    early = Release({**base, "id": "a", "date": "2022-10-19T23:30:00+01:00"}, "x:1")  # 22:30 UTC
    late = Release({**base, "id": "b", "date": "2022-10-19T22:45:00Z"}, "x:2")
    kept, _ = latest_releases([late, early])
    assert [release.release_id for release in kept] == ["b"]


def test_planning_notices_only_with_include_planning():
    package = json.loads((DATA / "cf_release_package_2022-10-20.json").read_text(encoding="utf-8"))
    release = next(release for release in package["releases"] if release["ocid"] == LINCOLNSHIRE)
    planning = {**release, "tag": ["planning"]}
    skipped = select_procurement(planning, datetime.date(2000, 1, 1))
    assert skipped.reason is SkipReason.PLANNING and "--include-planning" in skipped.detail
    assert select_procurement(planning, datetime.date(2000, 1, 1), include_planning=True).reason is None
    [tender] = tenders_from_release(Release(planning, "p:1"))
    assert tender.tender_id == LINCOLNSHIRE


def test_record_packages_with_embedded_or_compiled_releases():
    package = json.loads((DATA / "cf_release_package_2022-10-20.json").read_text(encoding="utf-8"))
    lincolnshire = next(release for release in package["releases"] if release["ocid"] == LINCOLNSHIRE)
    regent = [release for release in package["releases"] if release["ocid"] == REGENT_THEATRE]
    compiled = {**lincolnshire, "tag": ["compiled"]}
    records = {
        "uri": "https://example.org/records.json",
        "publisher": package["publisher"],
        "records": [
            {"ocid": REGENT_THEATRE, "releases": regent},
            {"ocid": LINCOLNSHIRE, "releases": [{"url": "https://example.org/r.json", "date": "2022-10-19"}], "compiledRelease": compiled},
        ],
    }
    plan = plan_import([("records.json", json.dumps(records).encode())], include_closed=True)
    assert sorted(tender.tender_id for tender in plan.tenders) == sorted([LINCOLNSHIRE, REGENT_THEATRE])
    assert [skip.reason for skip in plan.skips] == [SkipReason.SUPERSEDED]


def test_json_lines_of_release_packages_and_a_bare_array_of_releases():
    package = json.loads((DATA / "cf_release_package_2022-10-20.json").read_text(encoding="utf-8"))
    lines = "\n".join(json.dumps({**package, "releases": [release]}) for release in package["releases"]) + "\n"
    from_lines = plan_import([("page.jsonl", lines.encode())], include_closed=True)
    from_array = plan_import([("array.json", json.dumps(package["releases"]).encode())], include_closed=True)
    from_package = plan_for(DATA / "cf_release_package_2022-10-20.json")
    expected = [tender.text for tender in from_package.tenders]
    assert [tender.text for tender in from_lines.tenders] == expected
    assert [tender.text for tender in from_array.tenders] == expected


def test_yaml_is_quoted_so_any_title_reads_back_exactly():
    package = json.loads((DATA / "cf_release_package_2022-10-20.json").read_text(encoding="utf-8"))
    release = next(release for release in package["releases"] if release["ocid"] == LINCOLNSHIRE)
    awkward = '- "no": yes # not a comment \\ {a: [b]} & *alias ~ null 0123 £1.2m Ffrâm24 ✓ 🚲 é'
    lot_title = "ends a line\u2028then\u0085more\ttabbed"
    release = {
        **release,
        "buyer": {"name": "@buyer: 'quoted'"},
        "tender": {**release["tender"], "title": awkward, "lots": [{"id": "../1", "title": lot_title}]},
    }
    [tender] = tenders_from_release(Release(release, "x:1"))
    data = yaml.safe_load(tender.text)
    assert data["tender"]["title"] == awkward
    assert data["tender"]["buyer"] == "@buyer: 'quoted'"
    assert set(data) == {"tender"}  # nothing leaked out of a comment


@pytest.mark.parametrize(
    "tender_id",
    [LINCOLNSHIRE, "../../etc/passwd", "ocds-a/b\\c:d", "CON", "bidcheck", ".hidden", "", "x" * 500, "ocds-é-1"],
)
def test_file_names_from_ids_are_safe(tender_id):
    name = safe_file_name(tender_id)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.yaml", name)
    assert "/" not in name and "\\" not in name and ".." not in name
    assert len(name) <= 140
    assert name.lower() not in ("con.yaml", "bidcheck.yaml")


def test_ids_that_only_differ_in_unsafe_characters_get_different_file_names():
    assert safe_file_name("ocds-a/1") != safe_file_name("ocds-a:1")
    assert safe_file_name(LINCOLNSHIRE) == f"{LINCOLNSHIRE}.yaml"


# --- selection --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"cpv_prefixes": ("853",)}, {LINCOLNSHIRE, SWANSEA}),
        ({"cpv_prefixes": ("45", "51")}, {REGENT_THEATRE, f"{RENFREWSHIRE}-lot-1", f"{RENFREWSHIRE}-lot-2"}),
        ({"areas": ("Scotland",)}, {f"{RENFREWSHIRE}-lot-1", f"{RENFREWSHIRE}-lot-2"}),
        ({"areas": ("TLL",)}, {SWANSEA}),  # ITL Wales finds NUTS UKL18
        ({"areas": ("UKL1",)}, {SWANSEA}),
        ({"areas": ("Lincolnshire",)}, {LINCOLNSHIRE}),  # the county council's notice, "England" in the notice
        ({"min_value": 4_000_000}, {LINCOLNSHIRE, f"{RENFREWSHIRE}-lot-1", f"{RENFREWSHIRE}-lot-2"}),
        ({"min_value": 100_000, "max_value": 5_000_000}, {f"{RENFREWSHIRE}-lot-2", SWANSEA, SOUTH_GLOS_2014}),
        ({"max_value": 50_000}, {REGENT_THEATRE}),
        ({"suitable_vcse": True}, {LINCOLNSHIRE}),
        ({"since": datetime.date(2022, 10, 19)}, {LINCOLNSHIRE, REGENT_THEATRE, SWANSEA}),
        ({"cpv_prefixes": ("853",), "suitable_vcse": True, "min_value": 1_000_000}, {LINCOLNSHIRE}),
    ],
)
def test_filters_keep_only_matching_notices(options, expected):
    plan = plan_for(*CORE_FILES, filter=options)
    assert {tender.tender_id for tender in plan.tenders} == expected
    filtered = [skip for skip in plan.skips if skip.reason is SkipReason.FILTERED]
    assert len(filtered) == len(CORE_IDS) - len(expected)
    assert all(skip.detail for skip in filtered)


@pytest.mark.parametrize(
    ("wanted", "area", "overlaps"),
    [
        ("Scotland", "UKM71", True),
        ("UKM7", "UKM", False),  # --area is ours, as in the rules: Edinburgh does not cover all of Scotland
        ("UKM7", "City of Edinburgh", True),
        ("TLI41", "London", False),
        ("London", "TLI41", True),
        ("England", "London", True),
        ("London", "England", False),
        ("london", "LONDON", True),
        ("Wales", "UKM71", False),
        ("LN1", "LN1 1YL", True),
        ("LN", "LN1 1YL", True),
        ("LN10", "LN1 1YL", False),
        ("London", "Hackney", True),  # the gazetteer places local authorities in regions
    ],
)
def test_the_area_filter_keeps_what_our_area_covers(wanted, area, overlaps):
    from bidcheck.places import covers

    assert covers(wanted, area) is overlaps


# --- reading: errors are located, never tracebacks -------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "location", "message"),
    [
        ("bad.json", '{"releases": [\n  {"ocid": "ocds-x-1",}\n]}', "bad.json:2:23", "invalid JSON"),
        ("bad.jsonl", '{"ocid": "ocds-x-1"}\n{"ocid": "ocds-x-2"}\n{"ocid": \n', "bad.jsonl:3:10", "invalid JSON on this line"),
        ("tender.json", '{"tender": {"id": "A", "title": "B"}}', "tender.json:1:1", "not OCDS"),
        ("numbers.json", "[1, 2, 3]", "numbers.json:1:1", "not OCDS"),
        ("lines.jsonl", '{"ocid": "ocds-x-1"}\n"just text"\n', "lines.jsonl:2:1", "not OCDS"),
        ("package.json", '{"releases": {"ocid": "x"}}', "package.json:1:1", '"releases" should be a list'),
        ("latin1.json", b'{"releases": []}\n\xa3', "latin1.json:2:1", "not UTF-8"),
    ],
)
def test_bad_input_is_a_located_problem(name, content, location, message):
    raw = content if isinstance(content, bytes) else content.encode()
    with pytest.raises(ProblemsFound) as caught:
        read_releases(raw, name)
    [problem] = caught.value.problems
    assert str(problem).startswith(f"{location}: ")
    assert message in problem.message


def test_json_lines_in_a_json_file_are_read_as_lines():
    text = (DATA / "sell2wales_lots.jsonl").read_text(encoding="utf-8") + (DATA / "pcs_scotland_lots.jsonl").read_text(encoding="utf-8")
    releases = read_releases(text.encode(), "both.json")
    assert [release.where for release in releases] == ["both.json:1", "both.json:2"]


def test_a_malformed_release_is_skipped_with_a_warning_naming_its_ocid(run_cli, tmp_path):
    package = json.loads((DATA / "cf_release_package_2022-10-20.json").read_text(encoding="utf-8"))
    package["releases"] += [
        {"ocid": "ocds-b5fd17-broken-1", "id": "r1", "date": "2022-10-20T00:00:00Z", "tag": ["tender"], "tender": "oops"},
        {"ocid": "ocds-b5fd17-broken-2", "id": "r2", "date": "2022-10-20T00:00:00Z", "tag": ["tender"], "tender": {"title": " "}},
        {"id": "r3", "tag": ["tender"], "tender": {"title": "No ocid"}},
        "not a release",
    ]
    source = tmp_path / "package.json"
    source.write_text(json.dumps(package), encoding="utf-8")
    process = run_cli("import", "ocds", "--include-closed", str(source), "-o", str(tmp_path / "out"))
    err = stderr_text(process)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert f"warning: {source}: releases[4]: ocds-b5fd17-broken-1 malformed: tender is a string, not an object" in err
    assert f"warning: {source}: releases[5]: ocds-b5fd17-broken-2 malformed: the tender has no title" in err
    assert f"warning: {source}: releases[6]: malformed: release has no ocid" in err
    assert f"warning: {source}: releases[7]: malformed: the release is a string, not an object" in err
    counts = summary_counts(err)
    assert (counts["read"], counts["written"], counts["malformed"]) == (8, 2, 4)
    assert sorted(written(tmp_path / "out")) == sorted([LINCOLNSHIRE, REGENT_THEATRE])


@pytest.mark.parametrize(
    ("content", "located"),
    [
        ('{"releases": [\n  {"ocid": "ocds-x-1",}\n]}', "input.json:2:23: invalid JSON"),
        ('{"tender": {"id": "A", "title": "B"}}', "input.json:1:1: not OCDS"),
    ],
)
def test_invalid_or_non_ocds_input_exits_2_with_a_located_error(run_cli, tmp_path, content, located):
    (tmp_path / "input.json").write_text(content, encoding="utf-8")
    process = run_cli("import", "ocds", "--include-closed", "input.json", "-o", "tenders", cwd=tmp_path)
    err = stderr_text(process)
    assert process.returncode == 2
    assert err.startswith(located), err
    assert "Traceback" not in err
    assert not list((tmp_path / "tenders").glob("*.yaml"))


def test_a_bad_file_does_not_stop_the_good_ones(run_cli, tmp_path):
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    process = run_cli("import", "ocds", "--include-closed", str(tmp_path / "bad.json"), str(DATA / "sell2wales_lots.jsonl"), "-o", str(tmp_path / "out"))
    assert process.returncode == 2
    assert "bad.json:1:2: invalid JSON" in stderr_text(process)
    assert list(written(tmp_path / "out")) == [SWANSEA]


@pytest.mark.parametrize(
    ("option", "value"),
    [("--since", "2022-13-01"), ("--since", "19/10/2022"), ("--cpv", "social"), ("--min-value", "€5m"), ("--max-value", "-1")],
)
def test_bad_option_values_are_usage_errors(invoke, tmp_path, option, value):
    result = invoke("import", "ocds", str(DATA / "sell2wales_lots.jsonl"), "-o", str(tmp_path / "out"), option, value)
    assert result.exit_code == 2
    assert option in result.output
    assert not (tmp_path / "out").exists()


def test_output_that_is_a_file_is_refused(run_cli, tmp_path):
    (tmp_path / "tenders").write_text("not a folder", encoding="utf-8")
    process = run_cli("import", "ocds", "--include-closed", str(DATA / "sell2wales_lots.jsonl"), "-o", str(tmp_path / "tenders"))
    assert process.returncode == 2
    assert "not a folder" in stderr_text(process)


def test_missing_input_file_is_reported(run_cli, tmp_path):
    process = run_cli("import", "ocds", "--include-closed", str(tmp_path / "nope.json"), "-o", str(tmp_path / "out"))
    assert process.returncode == 2
    assert stderr_text(process).startswith(f"{tmp_path / 'nope.json'}: no such file or folder")


# --- the command: writing, re-importing, checking ---------------------------------------


def test_import_in_process_writes_one_file_per_tender(invoke, tmp_path):
    result = invoke("import", "ocds", "--include-closed", *map(str, CORE_FILES), "-o", str(tmp_path / "tenders"))
    assert result.exit_code == 0, result.output
    assert set(written(tmp_path / "tenders")) == CORE_IDS
    assert "read 7 releases from 4 files: 5 notices imported, 2 releases skipped" in result.output
    assert "(award or contract notice: 1, superseded by a later release: 1)" in result.output
    assert "6 tender files from the 5 notices" in result.output


def test_every_imported_core_notice_passes_check(run_cli, tmp_path):
    process = run_cli("import", "ocds", "--include-closed", *map(str, CORE_FILES), "-o", str(tmp_path / "tenders"))
    assert process.returncode == 0, stderr_text(process)
    assert stdout_text(process) == ""  # stdout stays free for pipelines
    report = check_json(run_cli, tmp_path / "tenders")
    assert {result["tender"]["id"] for result in report["results"]} == CORE_IDS
    assert {result["verdict"] for result in report["results"]} == {"needs-info"}


def test_imported_files_match_the_published_json_schema(run_cli, tmp_path):
    import jsonschema

    schema = json.loads(stdout_text(run_cli("schema", "tender")))
    run_cli("import", "ocds", "--include-closed", *map(str, CORE_FILES), "-o", str(tmp_path / "tenders"))
    validator = jsonschema.Draft202012Validator(schema)
    for tender_id, data in written(tmp_path / "tenders").items():
        assert not list(validator.iter_errors(data)), tender_id


def test_reimport_of_the_same_notices_changes_nothing_and_force_writes_beside_the_edited_file(run_cli, tmp_path):
    out = tmp_path / "tenders"
    arguments = ["import", "ocds", "--include-closed", *map(str, CORE_FILES), "-o", str(out)]
    assert run_cli(*arguments).returncode == 0
    edited = out / f"{LINCOLNSHIRE}.yaml"
    imported = edited.read_bytes()
    edited.write_bytes(imported + b"incumbent: none\n")
    before = {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in out.iterdir()}

    again = run_cli(*arguments)
    assert again.returncode == 0, stderr_text(again)
    assert {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in out.iterdir()} == before
    counts = summary_counts(stderr_text(again))
    assert (counts["written"], counts["unchanged"], counts["kept with your edits"]) == (0, 5, 1)

    forced = run_cli(*arguments, "--force")
    assert forced.returncode == 0
    counts = summary_counts(stderr_text(forced))
    assert (counts["written"], counts["amended notice beside a file you edited"], counts["unchanged"]) == (1, 1, 5)
    assert edited.read_bytes() == imported + b"incumbent: none\n"  # --force never replaces the team's edits
    assert (out / f"{LINCOLNSHIRE}.amended.yaml").read_bytes() == imported  # a fresh import beside it
    assert {path.name: path.read_bytes() for path in out.iterdir() if path.name in before} == {
        name: content for name, (content, _) in before.items()
    }
    assert sorted(path.name for path in out.iterdir()) == sorted([*before, f"{LINCOLNSHIRE}.amended.yaml"])  # no temporary files left


def test_verbose_lists_every_skip_and_unchanged_file(run_cli, tmp_path):
    arguments = ["import", "ocds", "--include-closed", str(DATA / "cf_release_package_2022-10-20.json"), "-o", str(tmp_path), "-v"]
    first = stderr_text(run_cli(*arguments))
    assert f"{CYP_AWARD} award or contract notice: tags award" in first
    assert f"{REGENT_THEATRE} superseded by a later release: by the tenderAmendment release" in first
    second = stderr_text(run_cli(*arguments))
    assert f"{tmp_path / (LINCOLNSHIRE + '.yaml')}: unchanged" in second


def test_filters_on_the_command_line_write_only_matching_notices(run_cli, tmp_path):
    process = run_cli(
        "import", "ocds", "--include-closed", *map(str, CORE_FILES), "-o", str(tmp_path / "out"),
        "--cpv", "853", "--cpv", "4521", "--area", "Scotland,England", "--min-value", "£5m",
    )  # fmt: skip
    assert process.returncode == 0, stderr_text(process)
    assert set(written(tmp_path / "out")) == {LINCOLNSHIRE, f"{RENFREWSHIRE}-lot-1"}
    assert summary_counts(stderr_text(process))["filtered"] == 4


def test_stdin_is_an_input(run_cli, tmp_path):
    process = run_cli("import", "ocds", "--include-closed", "-", "-o", str(tmp_path), input=(DATA / "sell2wales_lots.jsonl").read_bytes())
    assert process.returncode == 0, stderr_text(process)
    assert list(written(tmp_path)) == [SWANSEA]


def test_triage_in_one_line_gives_a_spreadsheet(tmp_path):
    script = shlex.quote(console_script())
    files = " ".join(shlex.quote(str(path)) for path in CORE_FILES)
    command = f"{script} import ocds --include-closed {files} -o tenders/ && {script} check tenders/ --format csv"
    process = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert process.returncode == 0, process.stderr
    rows = process.stdout.splitlines()
    assert rows[0].startswith("file,id,title,buyer,value,verdict,")
    assert len(rows) == 1 + len(CORE_IDS)
    lincolnshire = next(row for row in rows if LINCOLNSHIRE in row)
    assert "Domestic Abuse Support Service,Lincolnshire County Council,11000000,needs-info," in lincolnshire


# --- the full real data set (../shared/data/ocds) ---------------------------------------

# Measured, then fixed here: releases read, tender files written, notices they came from,
# and each reason for skipping. PCS and Sell2Wales write more files than notices: lots.
FULL_SET = {
    "cf_2025-03_releases.jsonl": dict(read=100, written=8, notices=8, award=84, superseded=4, planning=4),
    "cf_legacy_2014-2015_packages.jsonl": dict(read=200, written=200, notices=200),
    "cf_search_page_2022-10-20.json": dict(read=100, written=36, notices=36, award=48, superseded=14, planning=2),
    "cf_search_page_2022-10-22.json": dict(read=100, written=60, notices=60, award=25, superseded=12, planning=3),
    "cf_search_page_2025-01-23.json": dict(read=100, written=34, notices=34, award=57, superseded=6, planning=3),
    "pcs_scotland_releases.jsonl": dict(read=90, written=111, notices=90),
    "sell2wales_releases.jsonl": dict(read=90, written=101, notices=90),
}
REASON_NAMES = {
    "award": "award or contract notice",
    "superseded": "superseded by a later release",
    "planning": "planning notice",
}


@needs_shared
def test_the_shared_folder_holds_the_files_measured():
    assert sorted(path.name for path in SHARED.glob("*.json*")) == sorted(FULL_SET)


@needs_shared
@pytest.mark.parametrize("name", sorted(FULL_SET))
def test_each_real_file_imports_with_the_measured_counts(run_cli, tmp_path, name):
    expected = FULL_SET[name]
    process = run_cli("import", "ocds", "--include-closed", str(SHARED / name), "-o", str(tmp_path))
    err = stderr_text(process)
    assert process.returncode == 0, err
    assert "warning" not in err
    counts = summary_counts(err)
    skips = {key: value for key, value in counts.items() if key in REASON_NAMES.values()}
    assert counts["read"] == expected["read"]
    assert counts["written"] == expected["written"] == len(list(tmp_path.glob("*.yaml")))
    assert skips == {REASON_NAMES[key]: value for key, value in expected.items() if key in REASON_NAMES}
    assert len({data["tender"]["source"]["ocid"] for data in written(tmp_path).values()}) == expected["notices"]


@needs_shared
def test_all_real_notices_import_together_and_every_file_passes_check(run_cli, tmp_path):
    files = sorted(str(path) for path in SHARED.glob("*.json*"))
    process = run_cli("import", "ocds", "--include-closed", *files, "-o", str(tmp_path / "tenders"))
    assert process.returncode == 0, stderr_text(process)
    counts = summary_counts(stderr_text(process))
    assert counts == {
        "read": 780,
        "files": 7,
        "notices": 518,
        "skipped": 262,
        "award or contract notice": 214,
        "superseded by a later release": 36,
        "planning notice": 12,
        "tender_files": 550,
        "selected": 550,
        "filtered": 0,
        "value_not_known": 0,
        "written": 550,
        "new": 550,
        "left": 0,
    }
    report = check_json(run_cli, tmp_path / "tenders")
    assert len(report["results"]) == 550
    assert report["summary"]["errors"] == 0


@needs_shared
def test_planning_notices_join_with_include_planning():
    plan = plan_for(*sorted(SHARED.glob("*.json*")), include_planning=True)
    assert len(plan.tenders) == 562
    assert SkipReason.PLANNING not in plan.skip_counts()
    planning = [tender for tender in plan.tenders if "Planning notice:" in tender.text]
    assert planning, "CF planning notices carry an engagement milestone"


@needs_shared
def test_real_lincolnshire_notice_from_the_full_page():
    [tender] = [t for t in plan_for(SHARED / "cf_search_page_2022-10-20.json").tenders if t.tender_id == LINCOLNSHIRE]
    data = yaml.load(tender.text, Loader=_TextDates)["tender"]
    assert (data["value"], data["deadline"], data["buyer"]) == (11000000, "2022-11-17", "Lincolnshire County Council")
    assert "£8,275,000 to £11,000,000" in tender.text


@needs_shared
def test_euro_value_is_recorded_not_converted():
    tenders = {t.tender_id: t for t in plan_for(SHARED / "pcs_scotland_releases.jsonl").tenders}
    tender = tenders["ocds-r6ebe6-0000577987"]
    assert "value" not in yaml.safe_load(tender.text)["tender"]
    assert "# Value: EUR 114,000; not converted to GBP, so `value` is left out." in tender.text
    assert tender.value is None


@needs_shared
def test_lots_across_the_real_scottish_and_welsh_notices():
    plan = plan_for(SHARED / "pcs_scotland_releases.jsonl", SHARED / "sell2wales_releases.jsonl")
    lot_tenders = [tender for tender in plan.tenders if "-lot-" in tender.tender_id]
    assert len(lot_tenders) == 39  # 26 lots of 5 Scottish notices, 13 of 2 Welsh ones: every lot has a value
    assert all(tender.value is not None for tender in lot_tenders)
    big = next(tender for tender in plan.tenders if tender.ocid == "ocds-r6ebe6-0000578888")  # 54 lots, 6 valued
    assert "-lot-" not in big.tender_id
    assert "... and 34 more lots; see the notice." in big.text


@needs_shared
def test_every_real_tender_notice_has_cpv_and_a_title_and_most_have_an_area():
    plan = plan_for(*sorted(SHARED.glob("*.json*")))
    assert all(tender.cpv for tender in plan.tenders)
    with_area = [tender for tender in plan.tenders if tender.areas]
    # Every one but the 200 legacy notices and one CF notice with no address give a delivery place;
    # of those, a notice whose buyer is a local authority (the gazetteer's) gets the buyer's area.
    from_buyers = [tender for tender in with_area if "names no delivery place" in tender.text]
    assert len(with_area) - len(from_buyers) == 349
    from bidcheck import places

    local = getattr(places, "local_authority", lambda name: None)
    assert not [tender.buyer for tender in plan.tenders if not tender.areas and tender.buyer and local(tender.buyer)]


def test_a_file_the_importer_would_write_wrongly_is_caught_not_written():
    from bidcheck.ocds.render import validation_problem

    assert validation_problem({"tender": {"id": "X-1", "title": "Carers"}}, "X-1") is None
    missing = validation_problem({"tender": {"title": "Carers"}}, "X-2")
    assert missing is not None and "X-2" in missing and "tender.id" in missing
    wrong_type = validation_problem({"tender": {"id": "X-4", "title": "Carers", "value": "lots"}}, "X-4")
    assert wrong_type is not None and "tender.value" in wrong_type


@given(st.text())
@example('say "hello"\\ to C:\\temp\t\x85\u2028é')
def test_a_quoted_text_reads_back_exactly_in_yaml_1_1_and_1_2(text):
    from bidcheck.ocds.render import quote

    assert yaml.safe_load(quote(text)) == text
    assert load_yaml(quote(text)) == text


@given(st.text(alphabet=st.sampled_from(list(" \t\n\r\x0b\x0c\x1f\x7f\x85\xa0\u2028\ufeffab-é"))) | st.text())
def test_a_one_line_field_is_cleaned_the_same_whatever_the_text(text):
    """The shortcut for text that is already one clean line gives what the full cleaning gives."""
    from bidcheck.ocds.values import CONTROL, clean_line

    full = re.sub(r"\s+", " ", CONTROL.sub(" ", text.strip())).strip() or None
    assert clean_line(text) == full
