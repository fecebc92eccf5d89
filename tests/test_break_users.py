"""Faults found by using the merged issue-11 work as its users do: a bid manager, a CI engineer,
a consultant and a newcomer (issue 11 §3-§6). Each test is named for the kind of fault."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import stderr_text, stdout_text

RELEASE = {
    "ocid": "ocds-abc123-0001",
    "id": "r1",
    "date": "2026-01-01T00:00:00Z",
    "tag": ["tender"],
    "tender": {"id": "t1", "title": "Young carers support", "status": "active", "value": {"amount": 250000, "currency": "GBP"}},
    "buyer": {"name": "Sale Borough Council"},
}


@pytest.mark.parametrize(
    ("codec", "named"),
    [
        ("utf-16", "UTF-16"),  # with a byte-order mark, as PowerShell's `>` writes it
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-32", "UTF-32"),
        ("utf-32-be", "UTF-32"),
    ],
)
@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_ocds_input_in_another_unicode_encoding_is_named_by_its_encoding(run_cli, tmp_path: Path, codec, named, suffix):
    document = json.dumps({"releases": [RELEASE]}) if suffix == ".json" else json.dumps(RELEASE) + "\n"
    notices = tmp_path / f"notices{suffix}"
    notices.write_bytes(document.encode(codec))

    result = run_cli("import", "ocds", str(notices), "-o", str(tmp_path / "out"))

    assert result.returncode == 2
    [message] = [line for line in stderr_text(result).splitlines() if line.startswith(str(notices))]
    assert named in message and "UTF-8" in message
    assert "invalid JSON" not in message
    assert not (tmp_path / "out").exists()


def _whole_file_lines(stderr: str, path: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(path)]


@pytest.mark.parametrize(
    "case",
    ["rules path missing", "init over a tender", "init --config over a config", "import -o names a file", "init a tender as a config"],
)
def test_a_problem_with_a_whole_file_is_not_given_a_false_line_and_column(run_cli, tmp_path: Path, case):
    (tmp_path / "t.yaml").write_text("tender:\n  id: A\n  title: B\n", encoding="utf-8")
    (tmp_path / "bidcheck.yaml").write_text("{}\n", encoding="utf-8")
    (tmp_path / "notices.json").write_text(json.dumps({"releases": [RELEASE]}), encoding="utf-8")
    arguments, named = {
        "rules path missing": (["check", "--rules", "gone.py", "t.yaml"], "gone.py"),
        "init over a tender": (["init", "t.yaml"], "t.yaml"),
        "init --config over a config": (["init", "--config", "bidcheck.yaml"], "bidcheck.yaml"),
        "import -o names a file": (["import", "ocds", "notices.json", "-o", "t.yaml"], "t.yaml"),
        "init a tender as a config": (["init", "sub/bidcheck.yaml"], "sub/bidcheck.yaml"),
    }[case]

    result = run_cli(*arguments, cwd=tmp_path)

    assert result.returncode == 2
    [line] = _whole_file_lines(stderr_text(result), named)
    assert line.startswith(f"{named}: "), line  # not `name:1:1:`, which points at a line that is not at fault


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("tender:\n  - id: A\n    title: B\n", '"id: A"'),
        ("tender: {id: A, title: B}\nbid:\n  - price: 5k\n    full_cost: 6k\n", '"price: 5k"'),
        ("tender: {id: A, title: B}\nincumbent:\n  - name: Forum\n", '"name: Forum"'),
        ("tender: {id: A, title: B}\norganisation:\n  - name: Ours\n", '"name: Ours"'),
    ],
)
def test_a_mapping_given_as_a_list_shows_the_form_without_dashes(run_cli, write, text, shown):
    tender = write("t.yaml", text)
    result = run_cli("check", str(tender), "--format", "json")
    assert result.returncode == 2
    [error] = json.loads(stdout_text(result))["errors"]
    assert "got a list" in error["message"] and shown in error["message"] and "dash" in error["message"]


def test_a_config_mapping_given_as_a_list_shows_the_form_without_dashes(run_cli, write):
    config = write("bidcheck.yaml", "rules:\n  severity:\n    - PWR002: blocker\n")
    result = run_cli("config", "--config", str(config))
    assert result.returncode == 2
    [error] = [line for line in stderr_text(result).splitlines() if "rules.severity" in line]
    assert '"PWR002: blocker"' in error and "dash" in error


@pytest.mark.parametrize(("written", "meant"), [("2025/01/01", "2025-01-01"), ("1/2/2025", "2025-02-01"), ("3 March 2025", "2025-03-03")])
def test_a_date_option_in_another_form_gets_the_same_iso_date_hint_as_a_tender_date(run_cli, tmp_path: Path, written, meant):
    notices = tmp_path / "notices.json"
    notices.write_text(json.dumps({"releases": [RELEASE]}), encoding="utf-8")
    result = run_cli("import", "ocds", str(notices), "-o", str(tmp_path / "out"), "--since", written)
    assert result.returncode == 2
    assert meant in stderr_text(result) and "YYYY-MM-DD" in stderr_text(result)
    assert not (tmp_path / "out").exists()


def test_one_file_named_several_ways_is_one_tender_not_a_duplicate_id(run_cli, tmp_path: Path):
    tenders = tmp_path / "tenders"
    tenders.mkdir()
    (tenders / "a.yaml").write_text("tender:\n  id: HCK-1\n  title: Advice line\n", encoding="utf-8")
    (tenders / "b.yaml").write_text("tender:\n  id: HCK-2\n  title: Carers support\n", encoding="utf-8")
    (tenders / "hard.yml").hardlink_to(tenders / "b.yaml")

    result = run_cli("check", "tenders", "tenders/a.yaml", "./tenders/a.yaml", "tenders/*.yaml", "--format", "json", cwd=tmp_path)

    report = json.loads(stdout_text(result))
    assert sorted(result["tender"]["id"] for result in report["results"]) == ["HCK-1", "HCK-2"]
    assert all(not result["warnings"] for result in report["results"])
    assert "also the id of" not in stderr_text(result)


def test_config_for_a_path_that_does_not_exist_is_an_error_not_the_working_folders_config(run_cli, tmp_path: Path):
    (tmp_path / "bidcheck.yaml").write_text("policies: {refuse_loss_making_bids: true}\n", encoding="utf-8")
    result = run_cli("config", "tendres/hck.yaml", cwd=tmp_path)  # a typo: the folder is tenders/
    assert result.returncode == 2
    assert "tendres/hck.yaml: no such file or folder" in stderr_text(result)
    assert "refuse_loss_making_bids" not in stdout_text(result)


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("ST MUNGO'S", "ST MUNGO'S"),  # already possessive, in capitals
        ("St Mungo’S", "St Mungo’S"),
        ("HAVEN ROUTES", "HAVEN ROUTES'"),  # a plural word in capitals is not an acronym
        ("Haven Routes", "Haven Routes'"),
        ("NHS", "NHS's"),
        ("Sale CAMHS", "Sale CAMHS's"),
        ("Fitz", "Fitz's"),
        ("Max", "Max's"),
    ],
)
def test_possessives_of_names_in_capitals_are_written_once(name, written):
    from bidcheck.wording import possessive

    assert possessive(name) == written


def test_an_incumbent_named_in_capitals_gets_one_possessive_in_the_report(run_cli, write):
    tender = write(
        "t.yaml",
        """
        tender: {id: A, title: B, value: "£600k", term_months: 12}
        incumbent: {name: "ST MUNGO'S", annual_income: "£1m", performance: good}
        bid: {incumbent_approach: compete}
        organisation: {name: Ours, annual_income: "£45m"}
        """,
    )
    result = run_cli("check", str(tender), "--format", "json")
    messages = " ".join(finding["message"] + finding["action"] for finding in json.loads(stdout_text(result))["results"][0]["findings"])
    assert "ST MUNGO'S" in messages and "MUNGO'S's" not in messages


@pytest.mark.parametrize("tag", [["Tender"], ["TENDER"], "Tender", " tenderupdate ", ["TenderAmendment"]])
def test_a_release_tag_in_another_case_is_still_a_tender_notice(run_cli, tmp_path: Path, tag):
    notices = tmp_path / "notices.json"
    notices.write_text(json.dumps({"releases": [{**RELEASE, "tag": tag}]}), encoding="utf-8")
    result = run_cli("import", "ocds", str(notices), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, stderr_text(result)
    assert [path.name for path in (tmp_path / "out").iterdir()] == ["ocds-abc123-0001.yaml"]


@pytest.mark.parametrize("tender_id", ["::error::PWN", "##[warning]PWN", "  ::stop-commands::x"])
def test_summary_table_columns_stay_aligned_when_an_id_is_made_inert(run_cli, tmp_path: Path, tender_id):
    for name, this_id in (("a.yaml", tender_id), ("b.yaml", "B-1")):
        (tmp_path / name).write_text(json.dumps({"tender": {"id": this_id, "title": "T", "value": 1000}}), encoding="utf-8")
    result = run_cli("check", "a.yaml", "b.yaml", "--fail-on", "never", cwd=tmp_path)
    lines = stdout_text(result).splitlines()
    heading = next(index for index, line in enumerate(lines) if line.startswith("tender ") and "verdict" in line)
    table = lines[heading : heading + 3]
    assert not any(line.lstrip().startswith(("::", "##[")) for line in table)
    # Every row's verdict starts in the heading's verdict column.
    column = table[0].index("verdict")
    assert [line[column : column + len(word)] for line, word in zip(table, ("verdict", "needs-info", "needs-info"))] == [
        "verdict",
        "needs-info",
        "needs-info",
    ], table


def _with_closed_stderr(arguments: list[str], cwd: Path) -> int:
    """Run the console script with stderr a pipe nobody reads (closed at once); its exit status."""
    import os
    import subprocess

    from tests.conftest import console_script

    process = subprocess.Popen(
        [console_script(), *arguments], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"}
    )
    assert process.stderr is not None
    process.stderr.close()
    return process.wait(timeout=120)


@pytest.mark.parametrize(
    "arguments",
    [
        ["check", "tenders", "--format", "json"],  # errors on stderr
        ["check", "tenders"],
        ["import", "ocds", "notices.jsonl", "-o", "imported", "-v"],  # the summary and -v lines
        ["rules", "--rules", "gone.py"],
    ],
)
def test_a_closed_stderr_pipe_exits_quietly_with_the_closed_pipe_status_not_1(tmp_path: Path, arguments):
    tenders = tmp_path / "tenders"
    tenders.mkdir()
    for number in range(400):  # more than a pipe holds
        (tenders / f"t{number:03d}.yaml").write_text(f"tender:\n  id: X{number}\n  title: T\n  value: bogus\n", encoding="utf-8")
    lines = [json.dumps({**RELEASE, "ocid": f"ocds-abc123-{number:04d}", "tag": ["award"]}) for number in range(2000)]
    (tmp_path / "notices.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _with_closed_stderr(arguments, tmp_path) == 141
