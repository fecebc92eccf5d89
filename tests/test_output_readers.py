"""Output as the people and CI systems that read it see it (issue 11, part 5).

A CI log reads every line of every report; a terminal acts on control characters; a narrow
terminal, a pipe and a Windows code page each see the text report differently. Every run
here goes through the installed console script, and every output is read back with the
parser its consumer uses.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bidcheck.api import number_of, possessive
from tests.conftest import ROOT, console_script, stderr_text, stdout_text

FORMATS = ("text", "json", "markdown", "sarif", "junit", "github", "csv")
CONFIG = {"organisation": {"name": "Us", "annual_income": "£45m", "services": ["carers-support"], "areas": ["Leeds"]}}
# A line the GitHub Actions runner reads as a command: after leading whitespace, "::" or "##[".
_LINES = re.compile(r"\r\n|\r|\n")
# What a terminal acts on or a reader is misled by: C0 (but the line breaks between lines), DEL, C1, bidi controls.
_RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def workflow_command_lines(text: str) -> list[str]:
    return [line for line in _LINES.split(text) if line.lstrip().startswith(("::", "##["))]


def tender_yaml(tender_id: str, title: str = "Carers support", **sections: object) -> str:
    document = {"tender": {"id": tender_id, "title": title, **sections.pop("details", {})}, **sections}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def run_all_formats(folder: Path, *arguments: str, env: dict[str, str] | None = None) -> dict[str, str]:
    """One run: text on stdout, every other format to a file; also stderr, as "stderr"."""
    reports = [f"--report={name}={name}.out" for name in FORMATS if name != "text"]
    process = subprocess.run(
        [console_script(), "check", *arguments, *reports, "--fail-on", "never"],
        cwd=folder,
        capture_output=True,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        timeout=120,
    )
    outputs = {name: (folder / f"{name}.out").read_text(encoding="utf-8") for name in FORMATS if name != "text"}
    outputs["text"] = stdout_text(process)
    outputs["stderr"] = stderr_text(process)
    return outputs


def assert_read_safely(outputs: dict[str, str]) -> None:
    """Every format parses, no line outside --format github reads as a workflow command, and
    text and Markdown carry no raw control character."""
    json.loads(outputs["json"])
    json.loads(outputs["sarif"])
    ET.fromstring(outputs["junit"])
    list(csv.reader(io.StringIO(outputs["csv"])))
    for name, text in outputs.items():
        if name != "github":
            assert workflow_command_lines(text) == [], name
    for name in ("text", "markdown", "stderr"):
        assert not _RAW_CONTROL.search(outputs[name]), name


# --- workflow-command injection and control characters -----------------------------------

HOSTILE = ("::error::owned", "\n::warning::owned", "  ::stop-commands::token", "##[error]owned", "\r::add-mask::x", "x\n  ::notice::y", "\x1b[31mred", "\u202eevil")
hostile_text = st.builds(
    lambda start, middle, end: start + middle + end,
    st.sampled_from(HOSTILE + ("",)),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.sampled_from(HOSTILE + ("",)),
).filter(lambda value: value.strip() != "")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(values=st.lists(hostile_text, min_size=9, max_size=9))
def test_tender_text_never_reads_as_a_workflow_command_or_control_sequence_in_any_format(values):
    tender_id, title, buyer, service, area, incumbent, partner, reason, approver = values
    with tempfile.TemporaryDirectory() as folder:
        folder_path = Path(folder)
        (folder_path / "bidcheck.yaml").write_text(yaml.safe_dump(CONFIG), encoding="utf-8")
        text = tender_yaml(
            tender_id,
            title,
            details={"buyer": buyer, "service": service, "areas": [area], "value": "£1m", "term_months": 36},
            incumbent={"name": incumbent, "annual_income": "£200k", "performance": "good", "local": True, "staff": 4},
            bid={"incumbent_approach": "compete", "role": "prime", "price": "£1m", "full_cost": "£1.1m"},
            partners=[{"name": partner, "annual_income": "£90k", "management_fee_pct": 30, "agreement": "draft"}],
            waivers=[{"rule": "PWR001", "reason": reason, "approved_by": approver, "expires": "2099-01-01"}],
        )
        (folder_path / "t.yaml").write_text(text, encoding="utf-8")
        (folder_path / "copy.yaml").write_text(text, encoding="utf-8")  # the same id twice: a warning too
        (folder_path / "broken.yaml").write_text(tender_yaml(tender_id, title, details={"value": title}), encoding="utf-8")
        assert_read_safely(run_all_formats(folder_path, "t.yaml", "copy.yaml", "broken.yaml"))


@pytest.mark.parametrize("file_name", ["::error::owned.yaml", "  ::warning::owned.yaml", "##[error]owned.yaml", "x\n::error::owned.yaml"])
def test_a_file_name_never_starts_a_line_as_a_workflow_command(tmp_path, file_name):
    (tmp_path / file_name).write_text(tender_yaml("T-1"), encoding="utf-8")
    (tmp_path / ("broken" + file_name)).write_text("tender: [\n", encoding="utf-8")
    outputs = run_all_formats(tmp_path, file_name, "broken" + file_name, "::error::missing.yaml")
    assert "T-1" in outputs["text"] and "owned.yaml" in outputs["stderr"]
    assert_read_safely(outputs)
    assert sum(1 for row in csv.DictReader(io.StringIO(outputs["csv"])) if "owned.yaml" in row["file"]) == 2  # the data unchanged


def test_a_title_with_a_newline_stays_on_its_heading_line(run_cli, write, tmp_path):
    write("t.yaml", tender_yaml("T-1", "Carers support\n::error::owned"))
    text = stdout_text(run_cli("check", "t.yaml", cwd=tmp_path))
    heading = text.splitlines()[0]
    assert heading.startswith("t.yaml  T-1 · Carers support\\n::error::owned")  # the break shown, not made


# --- width: never cut, wrap only on a terminal ---------------------------------------------

LOT_IDS = [f"ocds-b5fd17-8d2c1f4e-1234-4abc-9def-0123456789ab-lot-{lot}" for lot in (1, 2, 3)]


def run_on_terminal(arguments: list[str], cwd: Path, columns: int = 60) -> str:
    """Run the console script with stdout on a pseudo-terminal ``columns`` wide; its output."""
    leader, follower = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": str(columns)}
    process = subprocess.Popen([console_script(), *arguments], cwd=cwd, stdout=follower, stderr=subprocess.DEVNULL, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is done writing
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.fixture
def lots(tmp_path: Path) -> Path:
    """Three imported lots whose ids differ only at the end, each with long findings."""
    (tmp_path / "bidcheck.yaml").write_text(yaml.safe_dump({**CONFIG, "rules": {"select": ["IMP001"]}}), encoding="utf-8")
    for number, tender_id in enumerate(LOT_IDS, 1):
        (tmp_path / f"lot-{number}.yaml").write_text(
            tender_yaml(tender_id, details={"service": "domestic-abuse-support"}, incumbent="none"), encoding="utf-8"
        )
    return tmp_path


def summary_rows(text: str) -> list[list[str]]:
    lines = text.splitlines()
    start = next(number for number, line in enumerate(lines) if line.split()[:1] == ["tender"])
    return [line.split() for line in lines[start + 1 :] if line.strip()][:-1]  # up to the closing count line


def test_piped_text_never_cuts_or_wraps_an_id_a_verdict_or_a_message(run_cli, lots):
    process = run_cli("check", ".", "--fail-on", "never", cwd=lots, env={"COLUMNS": "60"})
    text = stdout_text(process)
    rows = summary_rows(text)
    assert [row[0] for row in rows] == LOT_IDS and {row[2] for row in rows} == {"bid-with-conditions"}
    message = "The service, domestic-abuse-support, is not among the services you deliver (carers-support)"
    assert any(line.strip() == message for line in text.splitlines())  # one line, however wide
    assert max(len(line) for line in text.splitlines()) > 60


def test_on_a_narrow_terminal_text_wraps_to_its_width_and_keeps_ids_whole(lots):
    text = run_on_terminal(["check", ".", "--fail-on", "never"], lots, columns=60)
    assert max(len(line) for line in text.splitlines()) <= 60
    table = text[text.index("\ntender ") :]
    first_cells = [line.split()[0] for line in table.splitlines()[2:] if line.strip() and not line.startswith(" ")]
    rejoined = "".join(first_cells)
    assert all(tender_id in rejoined for tender_id in LOT_IDS)  # each id whole, across its lines
    assert table.split("\nB: ")[0].count("bid-with-conditions") == 3  # every verdict whole
    assert "The service, domestic-abuse-support, is not among the" in text  # the message wrapped, not cut


def test_rules_wraps_to_a_terminal_and_is_never_cut_when_piped(run_cli, tmp_path):
    titles = {rule["id"]: rule["title"] for rule in json.loads(stdout_text(run_cli("rules", "--format", "json", cwd=tmp_path)))}
    piped = stdout_text(run_cli("rules", cwd=tmp_path, env={"COLUMNS": "60"})).splitlines()
    assert all(any(line.startswith(rule_id) and title in line for line in piped) for rule_id, title in titles.items())
    on_terminal = run_on_terminal(["rules"], tmp_path, columns=60).splitlines()
    assert max(len(line) for line in on_terminal) <= 60
    assert [line.split()[0] for line in on_terminal[1:] if line[:1].strip()] == list(titles)  # every id, whole, in order


# --- colour: the flag wins ------------------------------------------------------------------


def sgr_codes(output: bytes) -> set[str]:
    return set(_SGR.findall(output.decode("utf-8")))


def run_with_environment(arguments: list[str], cwd: Path, **environment: str) -> bytes:
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([console_script(), *arguments], cwd=cwd, env={**env, **environment}, capture_output=True, timeout=120).stdout


def test_color_flag_wins_fully_over_no_color_and_no_color_flag_over_force_color(lots):
    arguments = ["check", ".", "--fail-on", "never"]
    forced = sgr_codes(run_with_environment([*arguments, "--color"], lots))
    assert any(re.search(r"(^|;)(3[0-7]|4[0-7])(;|$)", code) for code in forced)  # colours, not only bold
    assert sgr_codes(run_with_environment([*arguments, "--color"], lots, NO_COLOR="1")) == forced
    for environment in ({"FORCE_COLOR": "1"}, {"FORCE_COLOR": "1", "TERM": "xterm-256color"}):
        assert b"\x1b" not in run_with_environment([*arguments, "--no-color"], lots, **environment)


# --- encodings that cannot carry every character ---------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_text_report_to_a_narrow_encoding_degrades_to_ascii_marks(run_cli, write, tmp_path, encoding):
    write("bidcheck.yaml", yaml.safe_dump({**CONFIG, "policies": {"refuse_loss_making_bids": True}}))
    write("a.yaml", tender_yaml("A-1", "Soutien aux aidants – 日本", incumbent="none", bid={"price": "£500k", "full_cost": "£600k"}))
    write("b.yaml", tender_yaml("B-1", "Second", incumbent="none"))
    process = run_cli("check", "a.yaml", "b.yaml", cwd=tmp_path, env={"PYTHONIOENCODING": encoding})
    assert process.returncode == 1, stderr_text(process)  # the no-bid reached, not an internal error
    text = process.stdout.decode(encoding)
    assert "x blocker  PWR001" in text and "-> " in text  # the marks, in ASCII
    assert "Soutien aux aidants" in text and " ??\n" in text and "2 tenders checked" in text  # the rest replaced, the report whole


# --- help and usage errors -------------------------------------------------------------------


def commands(run_cli, *group: str) -> list[tuple[str, ...]]:
    help_text = stdout_text(run_cli(*group, "--help"))
    listed = help_text.split("Commands:", 1)[1] if "Commands:" in help_text else ""
    return [(*group, line.split()[0]) for line in listed.splitlines() if line.startswith("  ") and line.split()]


def test_no_command_help_shows_a_python_type(run_cli):
    found = commands(run_cli)
    assert ("check",) in found and ("import",) in found
    found += commands(run_cli, "import")
    assert ("import", "ocds") in found
    for command in found:
        help_text = stdout_text(run_cli(*command, "--help"))
        assert not re.search(r"<[^|>]*>", help_text), (command, help_text)  # <str>, <list[str]>, <path>; not <a|b>
        assert not re.search(r"\b(str|int|float|bool|Path)\b[\]>]|list\[", help_text), command
        assert not re.search(r"\{\w+\}", help_text.splitlines()[0]), command  # usage: PATH..., not {paths}...


@pytest.mark.parametrize(
    ("arguments", "option", "accepted"),
    [
        (["check", "t.yaml", "--fail-on", "nobid"], "--fail-on", ["no-bid", "needs-info", "bid-with-conditions", "never"]),
        (["check", "t.yaml", "--format", "jsn"], "--format", list(FORMATS)),
        (["rules", "--format", "yaml"], "--format", ["text", "json", "markdown"]),
        (["schema", "tenders"], "tender", ["tender", "config"]),
    ],
)
def test_a_choice_typo_lists_the_accepted_values_plainly(run_cli, write, tmp_path, arguments, option, accepted):
    write("t.yaml", tender_yaml("T-1"))
    process = run_cli(*arguments, cwd=tmp_path)
    error = stderr_text(process)
    assert process.returncode == 2 and "Traceback" not in error
    assert "Value error" not in error and all(value in error for value in accepted)


def test_choices_are_accepted_in_any_letter_case(run_cli, write, tmp_path):
    write("bidcheck.yaml", yaml.safe_dump({**CONFIG, "policies": {"refuse_loss_making_bids": True}}))
    write("t.yaml", tender_yaml("T-1", incumbent="none", bid={"price": "£500k", "full_cost": "£600k"}))
    assert run_cli("check", "t.yaml", "--fail-on", "No-Bid", cwd=tmp_path).returncode == 1
    assert run_cli("check", "t.yaml", "--fail-on", "NEVER", cwd=tmp_path).returncode == 0
    assert json.loads(stdout_text(run_cli("check", "t.yaml", "--format", "JSON", "--fail-on", "never", cwd=tmp_path)))["results"]


# --- a missing file: named, not placed at a line that does not exist -------------------------


@pytest.mark.parametrize(
    "arguments",
    [["check", "missing.yaml"], ["check", "t.yaml", "--config", "missing.yaml"], ["rules", "--config", "missing.yaml"],
     ["explain", "PWR001", "--config", "missing.yaml"], ["import", "ocds", "missing.yaml", "-o", "out"]],
)  # fmt: skip
def test_a_missing_file_is_named_without_a_made_up_line(run_cli, write, tmp_path, arguments):
    write("t.yaml", tender_yaml("T-1"))
    process = run_cli(*arguments, cwd=tmp_path)
    assert process.returncode == 2
    assert stderr_text(process).splitlines()[0] == "missing.yaml: no such file or folder"


def test_a_missing_file_record_has_no_line_in_every_format(tmp_path):
    (tmp_path / "t.yaml").write_text(tender_yaml("T-1"), encoding="utf-8")
    outputs = run_all_formats(tmp_path, "t.yaml", "missing.yaml")
    (error,) = json.loads(outputs["json"])["errors"]
    assert (error["file"], error["line"], error["column"], error["message"]) == ("missing.yaml", 0, 0, "no such file or folder")
    (notification,) = json.loads(outputs["sarif"])["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert "region" not in notification["locations"][0]["physicalLocation"]
    (row,) = [row for row in csv.DictReader(io.StringIO(outputs["csv"])) if row["verdict"] == "error"]
    assert (row["file"], row["error"]) == ("missing.yaml", "no such file or folder")
    assert "missing.yaml:1:1" not in outputs["stderr"] + outputs["markdown"] + outputs["junit"] + outputs["github"]


# --- a tender id used twice in one batch --------------------------------------------------------


@pytest.fixture
def reused_id(tmp_path: Path) -> Path:
    (tmp_path / "a.yaml").write_text(tender_yaml("HCK-1", "First"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text("# a copy, not yet renamed\n" + tender_yaml("HCK-1", "Second"), encoding="utf-8")
    (tmp_path / "c.yaml").write_text(tender_yaml("HCK-2", "Third"), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_tender_id_used_twice_in_a_batch_is_a_located_warning_in_every_format(reused_id, jobs):
    outputs = run_all_formats(reused_id, "a.yaml", "b.yaml", "c.yaml", "--jobs", jobs)
    report = json.loads(outputs["json"])
    warnings = {result["file"]: result["warnings"] for result in report["results"]}
    assert warnings["a.yaml"] == [] and warnings["c.yaml"] == []
    (warning,) = warnings["b.yaml"]
    assert (warning["line"], warning["column"]) == (3, 3) and "HCK-1" in warning["message"] and "a.yaml" in warning["message"]
    assert report["errors"] == [] and report["summary"]["errors"] == 0  # shown, never counted
    assert "HCK-1" in outputs["stderr"] and f"b.yaml:3:3: {warning['message']}" in outputs["text"]
    rows = {row["file"]: row for row in csv.DictReader(io.StringIO(outputs["csv"]))}
    assert rows["b.yaml"]["warnings"] == f"3:3: {warning['message']}" and rows["a.yaml"]["warnings"] == ""
    notifications = json.loads(outputs["sarif"])["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [(n["level"], n["message"]["text"], n["locations"][0]["physicalLocation"]["region"]["startLine"]) for n in notifications] == [
        ("note", warning["message"], 3)
    ]
    cases = {case.get("classname"): case for case in ET.fromstring(outputs["junit"]).iter("testcase")}
    assert warning["message"] in cases["b.yaml"].findtext("system-err") and cases["a.yaml"].find("system-err") is None
    assert cases["b.yaml"].find("failure") is None and cases["b.yaml"].find("error") is None
    assert f"`b.yaml:3`: {warning['message']}" in outputs["markdown"]
    assert any(line.startswith("::warning file=b.yaml,line=3,col=3,") for line in outputs["github"].splitlines())


def test_a_reused_id_warning_is_the_same_whatever_the_number_of_processes(reused_id):
    one, two = (run_all_formats(reused_id, "a.yaml", "b.yaml", "c.yaml", "--jobs", jobs) for jobs in ("1", "2"))
    assert one == two


def test_a_reused_id_leaves_the_exit_status_alone(run_cli, reused_id):
    assert run_cli("check", "a.yaml", "b.yaml", cwd=reused_id).returncode == run_cli("check", "a.yaml", "c.yaml", cwd=reused_id).returncode == 0


# --- csv: errors and warnings in their own columns -----------------------------------------------


def test_csv_gives_errors_and_waiver_warnings_their_own_columns(run_cli, write, tmp_path):
    write("bidcheck.yaml", yaml.safe_dump({**CONFIG, "policies": {"refuse_loss_making_bids": True}}))
    expired = {"rule": "PWR001", "reason": "Board decision", "approved_by": "Board", "expires": "2020-01-01"}
    write("a.yaml", tender_yaml("A-1", incumbent="none", bid={"price": "£500k", "full_cost": "£600k"}, waivers=[expired]))
    write("b.yaml", tender_yaml("B-1", details={"value": "about a million"}))
    rows = {row["file"]: row for row in csv.DictReader(io.StringIO(stdout_text(run_cli("check", ".", "--format", "csv", cwd=tmp_path))))}
    broken = rows["./b.yaml"]
    assert broken["verdict"] == "error" and broken["questions"] == "" and "tender.value" in broken["error"]
    assert re.match(r"\d+:\d+: ", broken["error"])
    waived = rows["./a.yaml"]
    assert waived["error"] == "" and "expired" in waived["warnings"] and re.match(r"\d+:\d+: waiver for PWR001", waived["warnings"])


# --- wording: possessives, counts, docstrings ----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Haven Routes", "Haven Routes'"), ("Sale Young Carers", "Sale Young Carers'"), ("Local Project", "Local Project's"),
     ("the incumbent", "the incumbent's"), ("NHS", "NHS's"), ("St Mungo's", "St Mungo's")],
)  # fmt: skip
def test_possessive_of_an_organisation_name(name, expected):
    assert possessive(name) == expected


def test_counts_agree_with_their_nouns():
    assert (number_of(1, "partner"), number_of(0, "partner"), number_of(3, "partner")) == ("1 partner", "0 partners", "3 partners")
    assert number_of(2, "info", "info") == "2 info"


def test_rule_messages_use_the_possessive_and_agreeing_counts(run_cli, write, tmp_path):
    write("bidcheck.yaml", yaml.safe_dump(CONFIG))
    write(
        "t.yaml",
        tender_yaml(
            "T-1",
            details={"value": "£1.2m", "term_months": 36},
            incumbent={"name": "Sale Young Carers", "annual_income": "£400k", "performance": "good", "staff": 5},
            bid={"incumbent_approach": "compete", "role": "prime", "transition_plan": False},
            partners=[{"name": "Haven Routes", "annual_income": "£90k", "management_fee_pct": 30}],
        ),
    )
    report = json.loads(stdout_text(run_cli("check", "t.yaml", "--format", "json", "--fail-on", "never", cwd=tmp_path)))
    messages = " ".join(finding["message"] for finding in report["results"][0]["findings"])
    assert "Sale Young Carers' performance" in messages and "Sale Young Carers' staff" in messages
    assert "Haven Routes' allocation" in messages and "'s's" not in messages and "s's " not in messages
    assert "prime over 1 partner, which is smaller than you" in messages


def test_explain_shows_no_rst_markup_for_any_rule(run_cli, invoke, tmp_path):
    text = " ".join(stdout_text(run_cli("explain", "IMP003", cwd=tmp_path)).split())
    assert "share is incumbent.contract_share_pct when given" in text and "``" not in text
    for rule in json.loads(stdout_text(run_cli("rules", "--format", "json", cwd=tmp_path))):
        text = invoke("explain", rule["id"]).stdout  # every rule's docs, in-process to keep this quick
        assert "``" not in text and not re.search(r":(func|class|meth|mod|attr):`", text), rule["id"]


# --- the benchmark generator -------------------------------------------------------------------


def run_generator(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), *arguments], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_benchmark_generator_prints_usage_and_refuses_bad_arguments(tmp_path):
    shown = run_generator("--help", cwd=tmp_path)
    assert shown.returncode == 0 and "usage:" in shown.stdout and "Traceback" not in shown.stderr
    for arguments in ((), ("out",), ("out", "many"), ("out", "0")):
        refused = run_generator(*arguments, cwd=tmp_path)
        assert refused.returncode == 2 and "usage:" in refused.stderr and "Traceback" not in refused.stderr, arguments
    assert not (tmp_path / "out").exists()
    assert run_generator("out", "3", cwd=tmp_path).returncode == 0
    assert len(list((tmp_path / "out").rglob("tender-*.yaml"))) == 3


@settings(max_examples=100, deadline=None)
@given(
    rows=st.integers(1, 4).flatmap(
        lambda columns: st.lists(st.tuples(*[st.text(st.characters(whitelist_categories=("L", "N", "Pd", "Zs")), max_size=40)] * columns), min_size=1, max_size=5)
    ),
    width=st.one_of(st.none(), st.integers(1, 80)),
)
def test_a_laid_out_table_never_loses_a_character_of_a_cell(rows, width):
    """What wraps the summary table and ``bidcheck rules`` only moves text onto more lines."""
    from bidcheck.display import layout_table

    columns = len(rows[0])
    lines = layout_table(rows, width=width, wrap=frozenset(range(1, columns)))
    joined = ["".join(line[column] for line in lines) for column in range(columns)]
    for column in range(columns):
        expected = "".join("".join(row[column].split()) for row in rows)
        assert "".join(joined[column].split()) == expected
    if width is None:
        assert len(lines) == len(rows)  # no width: one line per row
