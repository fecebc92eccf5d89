"""Every output format, read back by the parser its real consumer uses.

One batch covers each verdict, a valid waiver (reason, approver, expiry in the future) and a
file that cannot be validated. Runs go through the installed console script and, where
noted, in-process.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml
from markdown_it import MarkdownIt  # installed with rich, which bidcheck depends on

from bidcheck import __version__
from bidcheck.decide import TenderResult
from bidcheck.pipeline import CheckOptions, check
from bidcheck.render import RenderOptions, renderer_for
from bidcheck.render.as_sarif import artifact_uri
from tests.conftest import stdout_text

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
POLICY = {
    "organisation": {"name": "Us", "annual_income": "£45m"},
    "policies": {"refuse_loss_making_bids": True},
    "rules": {"select": ["PWR"]},
}
# Text chosen to need escaping in every format: a table pipe, a comma, a colon, a newline, a percent.
AWKWARD_TITLE = "Carers | support, phase: 2\nLot 1"
WAIVER_REASON = "Subsidised from reserves, 100% agreed: see minutes,\nitem 4"
APPROVER = "Board of Trustees, 2026-11-10"
EXPIRES = "2099-12-31"
BROKEN = "tender:\n  id: BAD-1\n  title: Broken\n  value: about a million\n"
FINAL_VERDICTS = {
    "CLEAN-1": "bid",
    "INFO-1": "needs-info",
    "LOSS-1": "no-bid",
    "WAIVED-1": "bid",
    "FEE-1": "bid-with-conditions",
}


def tender(tender_id: str, title: str, *, price: str = "£300k", full_cost: str | None = "£280k", role: str | None = None,
           **sections: object) -> str:
    """A tender file with no incumbent, a bid at ``price`` (in ``role``, when given) and any further sections."""
    bid = {"price": price} if full_cost is None else {"price": price, "full_cost": full_cost}
    if role is not None:
        bid["role"] = role
    document = {"tender": {"id": tender_id, "title": title, **sections.pop("details", {})}, "incumbent": "none", "bid": bid, **sections}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def fair_partner(**terms: object) -> dict[str, object]:
    partner = {
        "name": "Small Local Group",
        "annual_income": "£90k",
        "local": True,
        "role": "subcontractor",
        "value_pct": 20,
        "delivers": "outreach",
        "management_fee_pct": 5,
        "results_pct": 0,
        "exclusivity": False,
        "agreement": "signed",
        "shaped_bid": True,
        "consented": True,
        "engaged": "before-publication",
    }
    return {**partner, **terms}


@pytest.fixture
def batch(tmp_path: Path, write) -> Path:
    """Each verdict once, a waived blocker, and a file that cannot be validated."""
    write("bidcheck.yaml", yaml.safe_dump(POLICY, allow_unicode=True))
    write("a-clean.yaml", tender("CLEAN-1", "New advice line"))
    write("b-info.yaml", tender("INFO-1", "Housing support", full_cost=None))
    write("c-loss.yaml", tender("LOSS-1", AWKWARD_TITLE, price="£500k", full_cost="£560k", details={"buyer": "Anytown Council", "value": "£600k"}))
    waiver = {"rule": "PWR001", "reason": WAIVER_REASON, "approved_by": APPROVER, "expires": EXPIRES}
    write("d-waived.yaml", tender("WAIVED-1", "Day centre", price="£500k", full_cost="£560k", waivers=[waiver]))
    write("e-fee.yaml", tender("FEE-1", "Outreach", role="prime", partners=[fair_partner(management_fee_pct=15)]))
    write("f-broken.yaml", BROKEN)
    return tmp_path


def line_of(path: Path, key: str) -> int:
    """The 1-based line where ``key:`` is written (the YAML layout is yaml.safe_dump's)."""
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.strip().startswith(f"{key}:"))


def run_format(run_cli, batch: Path, output_format: str, *extra: str) -> str:
    process = run_cli("check", ".", "--format", output_format, *extra, cwd=batch)
    assert process.returncode == 2, process.stderr  # the broken file
    return stdout_text(process)


# --- json -----------------------------------------------------------------------------


def test_json_reads_back_with_every_verdict_the_waiver_and_the_error(run_cli, batch):
    report = json.loads(run_format(run_cli, batch, "json"))
    assert {r["tender"]["id"]: r["verdict"] for r in report["results"]} == FINAL_VERDICTS
    waived = next(r for r in report["results"] if r["tender"]["id"] == "WAIVED-1")["findings"][0]
    assert waived["waived"] is True
    assert waived["waiver"] == {"reason": WAIVER_REASON, "approved_by": APPROVER, "expires": EXPIRES}
    assert [(e["file"], e["line"], e["column"]) for e in report["errors"]] == [("./f-broken.yaml", 4, 10)]


# --- sarif ----------------------------------------------------------------------------


def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


def assert_valid_sarif(log: dict) -> None:
    errors = sorted(sarif_validator().iter_errors(log), key=lambda error: list(error.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(run_cli, batch):
    log = json.loads(run_format(run_cli, batch, "sarif"))
    assert_valid_sarif(log)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json" and log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "bidcheck" and driver["version"] == __version__


def test_the_schema_copy_rejects_what_sarif_forbids():
    """The validator must bite: a level SARIF does not define, or a result with no message."""
    log = {
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "R1", "level": "warning", "message": {"text": "m"}}]}],
    }
    assert_valid_sarif(log)
    bad_level = copy.deepcopy(log)
    bad_level["runs"][0]["results"][0]["level"] = "blocker"
    no_message = copy.deepcopy(log)
    del no_message["runs"][0]["results"][0]["message"]
    for broken in (bad_level, no_message):
        assert list(sarif_validator().iter_errors(broken))


def test_sarif_lists_each_rule_once_sorted_and_results_point_at_them(run_cli, batch):
    (run,) = json.loads(run_format(run_cli, batch, "sarif"))["runs"]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert ids == sorted(set(ids)) and ids[:6] == ["PWR001", "PWR002", "PWR003", "PWR004", "PWR005", "PWR006"]
    pwr001 = rules[0]
    assert pwr001["shortDescription"]["text"] == "Loss-making bid"
    assert "Recognise your power" in pwr001["help"]["text"] and "Rebalancing the Relationship" in pwr001["help"]["text"]
    assert pwr001["properties"]["recommendation"] == "Recognise your power"
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    by_tender = {}
    for result in run["results"]:
        by_tender.setdefault(result["properties"]["tender"], []).append(result)
    assert set(by_tender) == {"INFO-1", "LOSS-1", "WAIVED-1", "FEE-1"}
    (loss,) = by_tender["LOSS-1"]
    assert loss["level"] == "error" and "suppressions" not in loss
    assert " → Reprice to at least the full cost" in loss["message"]["text"]
    price_line = line_of(batch / "c-loss.yaml", "price")
    assert loss["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "c-loss.yaml"}, "region": {"startLine": price_line, "startColumn": 3}}
    assert by_tender["FEE-1"][0]["level"] == "warning"
    assert by_tender["INFO-1"][0]["level"] == "note"  # unknown: a question, not a defect
    verdicts = {entry["tender"]: entry["verdict"] for entry in run["properties"]["verdicts"]}
    assert verdicts == FINAL_VERDICTS


def test_sarif_keeps_a_waived_finding_as_a_suppressed_result(run_cli, batch):
    (run,) = json.loads(run_format(run_cli, batch, "sarif"))["runs"]
    (waived,) = [r for r in run["results"] if r["properties"]["tender"] == "WAIVED-1"]
    assert waived["level"] == "error"  # still a blocker; the suppression is what dismisses it
    (suppression,) = waived["suppressions"]
    assert suppression["kind"] == "external" and suppression["status"] == "accepted"
    assert suppression["justification"] == WAIVER_REASON
    assert suppression["properties"] == {"approvedBy": APPROVER, "expires": EXPIRES}


def test_sarif_reports_the_broken_file_as_a_failed_execution(run_cli, batch):
    (run,) = json.loads(run_format(run_cli, batch, "sarif"))["runs"]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert notification["message"]["text"].startswith("tender.value: expected an amount of money")
    location = notification["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "f-broken.yaml"}, "region": {"startLine": 4, "startColumn": 10}}


def test_sarif_in_process_without_errors_is_a_successful_execution(invoke, batch, monkeypatch):
    monkeypatch.chdir(batch)
    (batch / "sub").mkdir()
    result = invoke("check", "a-clean.yaml", "d-waived.yaml", "sub/../c-loss.yaml", "--format", "sarif")
    assert result.exit_code == 1  # LOSS-1 is a no-bid
    log = json.loads(result.stdout)
    assert_valid_sarif(log)
    (run,) = log["runs"]
    assert run["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"d-waived.yaml", "sub/../c-loss.yaml"}  # relative as given, forward slashes


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("./tenders/a.yaml", "tenders/a.yaml"),
        ("tenders\\b.yaml", "tenders/b.yaml"),
        ("../up/c d.yaml", "../up/c%20d.yaml"),
        ("odd:name.yaml", "odd%3Aname.yaml"),  # not read as a URI scheme
        ("/srv/bids/bidcheck.yaml", "file:///srv/bids/bidcheck.yaml"),
        ("C:\\bids\\e.yaml", "file:///C:/bids/e.yaml"),
        ("<stdin>", "%3Cstdin%3E"),
    ],
)
def test_sarif_uris_use_forward_slashes_and_stay_relative_as_given(path, uri):
    assert artifact_uri(path) == uri


def test_sarif_report_file_alongside_text_on_stdout(run_cli, batch):
    process = run_cli("check", ".", "--report", "sarif=bidcheck.sarif", cwd=batch)
    assert process.returncode == 2
    out = stdout_text(process)
    assert "NO BID" in out and "BID WITH CONDITIONS" in out and "5 tenders checked" in out
    log = json.loads((batch / "bidcheck.sarif").read_text(encoding="utf-8"))
    assert_valid_sarif(log)
    assert len(log["runs"][0]["properties"]["verdicts"]) == 5


# --- junit ----------------------------------------------------------------------------


def junit(text: str) -> tuple[ET.Element, dict[str, ET.Element]]:
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "bidcheck"
    return suite, {case.get("name"): case for case in suite.findall("testcase")}


@pytest.mark.parametrize(
    ("fail_on", "failing"),
    [
        ("no-bid", {"LOSS-1"}),
        ("bid-with-conditions", {"INFO-1", "LOSS-1", "FEE-1"}),
        ("never", set()),
    ],
)
def test_junit_fails_the_tenders_fail_on_counts(run_cli, batch, fail_on, failing):
    suite, cases = junit(run_format(run_cli, batch, "junit", "--fail-on", fail_on))
    assert len(cases) == 6
    names = {name.split(":")[0]: case for name, case in cases.items()}
    failed = {tender_id for tender_id, case in names.items() if case.find("failure") is not None}
    assert failed == failing
    for tender_id in failing:
        failure = names[tender_id].find("failure")
        verdict = FINAL_VERDICTS[tender_id]
        assert failure.get("message") == f"verdict: {verdict}" and failure.get("type") == verdict
        assert failure.text and "PWR00" in failure.text
    (broken,) = [case for case in cases.values() if case.find("error") is not None]
    assert broken.get("classname") == "./f-broken.yaml" and broken.find("error").get("type") == "input-error"
    assert "4:10" in broken.find("error").text
    root_counts = {key: suite.get(key) for key in ("tests", "failures", "errors")}
    assert root_counts == {"tests": "6", "failures": str(len(failing)), "errors": "1"}


def test_junit_names_each_tender_by_id_and_title_under_its_file(run_cli, batch):
    _, cases = junit(run_format(run_cli, batch, "junit"))
    loss = cases["LOSS-1: " + AWKWARD_TITLE.replace("\n", "\\n")]  # the title whole, its line break shown as \n
    assert loss.get("classname") == "./c-loss.yaml"
    assert "Bid price £500k is £60k" in loss.find("failure").text


def test_junit_in_process_matches_the_console_script(invoke, run_cli, batch, monkeypatch):
    monkeypatch.chdir(batch)
    in_process = invoke("check", ".", "--format", "junit", "--fail-on", "needs-info")
    assert in_process.exit_code == 2
    assert in_process.stdout == run_format(run_cli, batch, "junit", "--fail-on", "needs-info")
    suite, _ = junit(in_process.stdout)
    assert suite.get("failures") == "2"


def test_junit_stays_well_formed_with_control_characters_in_a_title(run_cli, write, tmp_path):
    write("t.yaml", 'tender: {id: CTRL-1, title: "bell\\x07 <b>&amp;</b>"}\nincumbent: none\n')
    process = run_cli("check", "t.yaml", "--format", "junit", cwd=tmp_path)
    _, cases = junit(stdout_text(process))
    assert list(cases) == ["CTRL-1: bell\\x07 <b>&amp;</b>"]  # the control character shown as an escape


# --- github ---------------------------------------------------------------------------

WORKFLOW_COMMAND = re.compile(r"^::(?P<command>error|warning|notice)(?: (?P<properties>[a-z]+=[^,:]*(?:,[a-z]+=[^,:]*)*))?::(?P<message>.*)$")


def unescape_data(text: str) -> str:
    return text.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def unescape_property(text: str) -> str:
    return unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def workflow_commands(text: str) -> list[tuple[str, dict[str, str], str]]:
    """Parse as the Actions runner does: one command per line, properties split on ','."""
    commands = []
    for line in text.splitlines():
        match = WORKFLOW_COMMAND.match(line)
        assert match, f"not a workflow command: {line!r}"
        properties = dict(item.split("=", 1) for item in match["properties"].split(",")) if match["properties"] else {}
        commands.append((match["command"], {k: unescape_property(v) for k, v in properties.items()}, unescape_data(match["message"])))
    return commands


def test_github_commands_annotate_each_finding(run_cli, batch):
    commands = workflow_commands(run_format(run_cli, batch, "github"))
    findings = [c for c in commands if c[1].get("title", "").startswith("PWR")]
    by_file = {properties["file"]: (command, properties, message) for command, properties, message in findings}
    assert by_file["c-loss.yaml"][0] == "error"
    price_line = str(line_of(batch / "c-loss.yaml", "price"))
    assert by_file["c-loss.yaml"][1] == {"file": "c-loss.yaml", "line": price_line, "col": "3", "title": "PWR001 Loss-making bid"}
    assert " → Reprice to at least the full cost" in by_file["c-loss.yaml"][2]
    assert by_file["e-fee.yaml"][0] == "warning"
    assert by_file["b-info.yaml"][0] == "notice"  # unknown
    waived_command, _, waived_message = by_file["d-waived.yaml"]
    assert waived_command == "notice" and waived_message.endswith(f"(waived: {WAIVER_REASON})")
    verdicts = [c for c in commands if c[1].get("title", "").startswith("bidcheck verdict")]
    assert len(verdicts) == 5 and all(command == "notice" for command, _, _ in verdicts)
    (input_error,) = [c for c in commands if c[1].get("title") == "bidcheck input error"]
    assert input_error[0] == "error" and input_error[1]["file"] == "f-broken.yaml"
    assert (input_error[1]["line"], input_error[1]["col"]) == ("4", "10")
    assert commands[-1][1] == {"title": "bidcheck summary"}


def test_github_escaping_round_trips_newlines_commas_colons_and_percent(run_cli, batch):
    text = run_format(run_cli, batch, "github")
    assert all("\r" not in line for line in text.split("\n"))
    commands = workflow_commands(text)
    (loss_verdict,) = [c for c in commands if c[1].get("title", "").startswith("bidcheck verdict LOSS-1")]
    assert loss_verdict[1]["title"] == "bidcheck verdict LOSS-1: no-bid"  # ':' came through %3A
    assert loss_verdict[2].startswith(f"LOSS-1: {AWKWARD_TITLE}: no-bid")  # newline, comma, colon intact
    assert "%0A" in text and "100%25 agreed" in text


def test_github_in_process(invoke, batch, monkeypatch):
    monkeypatch.chdir(batch)
    result = invoke("check", "c-loss.yaml", "--format", "github")
    assert result.exit_code == 1
    commands = workflow_commands(result.stdout)
    proposals = [1 for _, properties, _ in commands if properties.get("title", "").startswith("bidcheck what it would take")]
    assert proposals  # the loss-making bid: what it would take is a notice of its own (SPEC §5)
    assert [command for command, properties, _ in commands if not properties.get("title", "").startswith("bidcheck what it would take")] == ["error", "notice", "notice"]


# --- csv ------------------------------------------------------------------------------


def test_csv_has_one_row_per_tender_and_one_per_broken_file(run_cli, batch):
    rows = list(csv.DictReader(io.StringIO(run_format(run_cli, batch, "csv"))))
    assert list(rows[0])[:15] == ["file", "id", "title", "buyer", "value", "verdict", "blockers", "concerns", "unknowns", "info", "waived", "rules", "questions", "error", "warnings"]
    assert list(rows[0])[15:] == ["ocid", "value_includes_vat", "deadline", "days_left", "areas", "cpv", "service", "suitable_for", "light_touch", "url", "what_it_would_take"]
    by_id = {row["id"]: row for row in rows}
    assert {tender_id: row["verdict"] for tender_id, row in by_id.items() if tender_id} == FINAL_VERDICTS
    loss = by_id["LOSS-1"]
    assert (loss["title"], loss["buyer"], loss["value"], loss["blockers"], loss["rules"]) == (AWKWARD_TITLE.replace(chr(10), "\\n"), "Anytown Council", "600000", "1", "PWR001")
    assert by_id["WAIVED-1"]["waived"] == "1" and by_id["WAIVED-1"]["blockers"] == "0" and by_id["WAIVED-1"]["rules"] == "PWR001"
    assert by_id["FEE-1"]["concerns"] == "1" and by_id["FEE-1"]["rules"] == "PWR005"
    assert by_id["INFO-1"]["unknowns"] == "1" and by_id["INFO-1"]["questions"].startswith("What is the full cost")
    (broken,) = [row for row in rows if row["verdict"] == "error"]
    assert broken["file"] == "./f-broken.yaml" and broken["id"] == ""
    assert broken["error"].startswith("4:10: tender.value: expected an amount of money") and broken["questions"] == ""


def test_csv_keeps_formulas_from_running_in_a_spreadsheet(run_cli, write, tmp_path):
    write("t.yaml", tender("F-1", "=HYPERLINK(\"http://x\")"))
    rows = list(csv.DictReader(io.StringIO(stdout_text(run_cli("check", "t.yaml", "--format", "csv", cwd=tmp_path)))))
    assert rows[0]["title"] == "'=HYPERLINK(\"http://x\")"


# --- markdown -------------------------------------------------------------------------


def markdown_tokens(text: str):
    return MarkdownIt("commonmark").enable("table").parse(text)


def plain(inline_token) -> str:
    """What a reader sees of an inline token: escapes resolved, markup dropped."""
    return "".join(child.content for child in inline_token.children or [] if child.type in ("text", "code_inline"))


def test_markdown_is_a_paper_per_tender_with_verdict_and_sign_off(run_cli, batch):
    text = run_format(run_cli, batch, "markdown")
    tokens = markdown_tokens(text)
    headings = [plain(tokens[i + 1]) for i, token in enumerate(tokens) if token.type == "heading_open" and token.tag == "h2"]
    assert headings == [
        "CLEAN-1: New advice line",
        "INFO-1: Housing support",
        f"LOSS-1: {AWKWARD_TITLE.replace(chr(10), ' ')}",
        "WAIVED-1: Day centre",
        "FEE-1: Outreach",
        "Run summary",
    ]
    papers = re.split(r"^## ", text, flags=re.MULTILINE)[1:-1]
    for paper, (tender_id, verdict) in zip(papers, FINAL_VERDICTS.items()):
        assert paper.startswith(tender_id)
        assert f"({verdict})" in paper and "**Verdict: " in paper
        assert "### Sign-off" in paper
        for label in ("Decision", "Name", "Role", "Date"):
            assert f"| {label} | |" in paper
    info = papers[1]
    assert "### Questions to answer before deciding" in info and "`bid.full_cost`: What is the full cost" in info
    fee = papers[4]
    assert "### Conditions of bidding" in fee and "1. Cut the management fee" in fee
    loss = papers[2]
    assert "#### Recognise your power" in loss and "Guidance: Rebalancing the Relationship" in loss
    assert "| blocker | PWR001 Loss-making bid |" in loss and f"`./c-loss.yaml:{line_of(batch / 'c-loss.yaml', 'price')}`" in loss
    summary = text.split("## Run summary", 1)[1]
    assert "| no-bid | 1 |" in summary and "`./f-broken.yaml:4:10`" in summary


def test_markdown_waiver_shows_reason_approver_and_expiry(run_cli, batch):
    text = run_format(run_cli, batch, "markdown")
    waived_paper = text.split("## WAIVED-1", 1)[1].split("\n## ", 1)[0]
    assert "### Waivers" in waived_paper
    row = next(line for line in waived_paper.splitlines() if line.startswith("| PWR001 |"))
    cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]]
    assert cells[2] == WAIVER_REASON.replace("\n", " ")  # one line, so the row holds
    assert cells[3:] == [APPROVER, EXPIRES]
    assert "| blocker (waived) | PWR001" in waived_paper


def test_markdown_tables_hold_whatever_the_tender_text(run_cli, batch):
    """A pipe in a title stays in its cell; every row has as many cells as its header."""
    tokens = markdown_tokens(run_format(run_cli, batch, "markdown"))
    rows, cells = [], 0
    for token in tokens:
        if token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            rows.append(cells)
    assert rows and len(set(rows) - {2, 5, 6}) == 0  # detail, findings and summary tables
    cells = [plain(t) for t in tokens if t.type == "inline" and "Carers" in t.content]
    assert "Carers | support, phase: 2 Lot 1" in cells  # the run summary's title cell


def test_markdown_never_renders_tender_text_as_markup(run_cli, write, tmp_path):
    write("t.yaml", tender("X-1", "<script>alert(1)</script> *bold* [link](http://example.com) ~~old~~"))
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(stdout_text(run_cli("check", "t.yaml", "--format", "markdown", cwd=tmp_path)))
    assert "<script>" not in html and "<em>" not in html and "<a href" not in html and "<s>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *bold* [link](http://example.com) ~~old~~" in html


# --- all formats ----------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["text", "json", "markdown", "sarif", "junit", "github", "csv"])
def test_every_format_shows_the_waiver(run_cli, batch, output_format):
    out = run_format(run_cli, batch, output_format)
    if output_format == "csv":
        (row,) = [row for row in csv.DictReader(io.StringIO(out)) if row["id"] == "WAIVED-1"]
        assert row["waived"] == "1"
        return
    if output_format == "github":
        out = "\n".join(message for _, _, message in workflow_commands(out))
    elif output_format == "junit":
        out = "\n".join(ET.fromstring(out).itertext())
    elif output_format in ("json", "sarif"):
        out = json.dumps(json.loads(out), ensure_ascii=False)
    out = out.replace("\\n", "\n")  # JSON's escape, and how text and JUnit show a line break in a value
    flat = " ".join(out.split())
    assert " ".join(WAIVER_REASON.split()) in flat
    if output_format not in ("github",):  # an annotation carries the reason only
        assert APPROVER in flat and EXPIRES in flat


def test_formats_that_can_stream_write_each_tender_before_the_run_ends(batch):
    first = next(item for item in check([str(batch / "c-loss.yaml")], CheckOptions()) if isinstance(item, TenderResult))
    for output_format, streams in {"markdown": True, "github": True, "csv": True, "sarif": False, "junit": False}.items():
        out = io.StringIO()
        renderer_for(output_format, out, RenderOptions(False)).result(first)
        assert ("LOSS-1" in out.getvalue()) is streams, output_format


def test_a_rule_that_fails_is_reported_once_with_its_tender(run_cli, write, tmp_path):
    write("bidcheck.yaml", yaml.safe_dump(POLICY))
    write("t.yaml", tender("CLEAN-1", "New advice line"))
    write(
        "failing_rule.py",
        '''
        from bidcheck.api import RECOGNISE_YOUR_POWER, Severity, rule


        @rule("PWR900", title="Always fails", recommendation=RECOGNISE_YOUR_POWER, severity=Severity.CONCERN)
        def always_fails(tender, context):
            """Fails on purpose."""
            raise RuntimeError("boom")
        ''',
    )

    def run(output_format: str) -> str:
        process = run_cli("check", "t.yaml", "--rules", "failing_rule.py", "--format", output_format, cwd=tmp_path)
        assert process.returncode == 2
        return stdout_text(process)

    _, cases = junit(run("junit"))
    assert list(cases) == ["CLEAN-1: New advice line"] and cases["CLEAN-1: New advice line"].find("error").get("type") == "rule-error"
    log = json.loads(run("sarif"))
    assert_valid_sarif(log)
    (notification,) = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notification["associatedRule"] == {"id": "PWR900"} and log["runs"][0]["invocations"][0]["executionSuccessful"] is False
    (row,) = list(csv.DictReader(io.StringIO(run("csv"))))
    assert row["verdict"] == "needs-info" and "incomplete: rule PWR900" in row["error"]
    assert sum("RuntimeError: boom" in message for _, _, message in workflow_commands(run("github"))) == 1
    markdown = run("markdown")
    assert markdown.count("RuntimeError: boom") == 1 and "### Incomplete: rules that failed" in markdown
