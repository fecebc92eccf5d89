"""`bidcheck ledger record|outcome|history` (SPEC §5): what is remembered, where, and that nothing is lost or changed."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.conftest import stderr_text, stdout_text
from tests.ledger_helpers import AS_OF, history_json, record, rows, tender, write_tenders

LOSS_MAKING = {"role": "sole", "price": "£900k", "full_cost": "£1m", "mission_fit": "strong", "coproduction": "done"}
PRICED_WELL = {**LOSS_MAKING, "price": "£1.1m"}


def test_recording_an_unchanged_tender_again_adds_no_version(run_cli, tmp_path):
    folder = write_tenders(tmp_path / "t", {"a.yaml": tender("A-1"), "b.yaml": tender("B-1")})
    ledger = tmp_path / "ledger.sqlite"
    first = record(run_cli, ledger, ".", cwd=folder)
    again = record(run_cli, ledger, ".", cwd=folder)
    assert "2 new versions, 0 unchanged" in stdout_text(first)
    assert "0 new versions, 2 unchanged" in stdout_text(again)
    assert rows(ledger, "SELECT tender_id, count(*) FROM versions GROUP BY tender_id ORDER BY tender_id") == [("A-1", 1), ("B-1", 1)]


def test_a_changed_tender_adds_a_version_and_history_shows_how_its_verdict_and_findings_moved(run_cli, tmp_path):
    folder = write_tenders(tmp_path / "t", {"a.yaml": tender("A-1", bid=LOSS_MAKING)})
    ledger = tmp_path / "ledger.sqlite"
    record(run_cli, ledger, ".", cwd=folder)
    write_tenders(folder, {"a.yaml": tender("A-1", bid=PRICED_WELL)})
    record(run_cli, ledger, ".", cwd=folder)

    document = history_json(run_cli, ledger, "A-1")
    assert list(document) == ["tenders"]
    (found,) = document["tenders"]
    assert found["id"] == "A-1"
    assert [list(version) for version in found["versions"]] == [["recorded", "verdict", "findings", "outcome"]] * 2
    first, second = found["versions"]
    assert first["recorded"] < second["recorded"]  # oldest first
    assert (first["verdict"], second["verdict"]) == ("no-bid", "bid")
    assert [f["rule"] for f in first["findings"] if f["severity"] == "blocker"] == ["PWR001"]
    assert not any(f["rule"] == "PWR001" for f in second["findings"])

    # Each finding is remembered as check --format json gave it: what to do, where, and why.
    check = json.loads(stdout_text(run_cli("check", "a.yaml", "--format", "json", "--as-of", AS_OF, cwd=folder)))
    (blocker,) = [f for f in first["findings"] if f["rule"] == "PWR001"]
    assert blocker["action"] and blocker["citation"].startswith("Rebalancing the Relationship")
    assert blocker["location"]["line"] >= 1 and blocker["field"] == "bid.price"
    assert [{k: v for k, v in f.items() if k != "policy"} for f in second["findings"]] == check["results"][0]["findings"]

    text = run_cli("ledger", "history", "A-1", "--ledger", str(ledger))
    assert text.returncode == 0
    lines = stdout_text(text).splitlines()
    assert lines[0] == "A-1: 2 versions"
    assert any(line.strip().endswith("no-bid -> bid") for line in lines)
    assert "- PWR001 blocker" in [line.strip() for line in lines]


def test_the_record_holds_facts_findings_waivers_decision_policies_thresholds_and_version(run_cli, tmp_path):
    data = tender(
        "A-1",
        bid={**LOSS_MAKING, "decision": {"by": "Board of trustees", "on": "2026-11-10"}},
        waivers=[{"rule": "PWR001", "reason": "Funded from reserves", "approved_by": "Board", "expires": "2027-01-31"}],
    )
    folder = write_tenders(tmp_path / "t", {"a.yaml": data})
    ledger = tmp_path / "ledger.sqlite"
    record(run_cli, ledger, ".", cwd=folder)
    version = run_cli("--version").stdout.decode().split()[-1]
    ((text,),) = rows(ledger, "SELECT record FROM versions")
    kept = json.loads(text)
    assert kept["tender"]["id"] == "A-1" and kept["tender"]["deadline"] == "2026-12-30"
    assert kept["verdict"] == "bid"  # the blocker is waived
    (loss,) = [f for f in kept["findings"] if f["rule"] == "PWR001"]
    assert loss["waived"] and loss["severity"] == "blocker" and loss["evidence"]
    assert kept["waivers"] == [{"rule": "PWR001", "reason": "Funded from reserves", "approved_by": "Board", "expires": "2027-01-31", "applied": True}]
    assert kept["decision"] == {"by": "Board of trustees", "on": "2026-11-10"}
    assert kept["policies"]["refuse_loss_making_bids"] is True
    assert kept["thresholds"]["smaller_income_ratio"] == 0.5
    assert kept["bidcheck"] == version
    assert rows(ledger, "SELECT rule, severity, waived, policy FROM findings WHERE rule = 'PWR001'") == [("PWR001", "blocker", 1, "refuse_loss_making_bids")]


def test_an_outcome_is_recorded_against_the_latest_version_and_history_shows_it(run_cli, tmp_path):
    folder = write_tenders(tmp_path / "t", {"a.yaml": tender("A-1")})
    ledger = tmp_path / "ledger.sqlite"
    record(run_cli, ledger, ".", cwd=folder)
    said = run_cli("ledger", "outcome", "A-1", "lost", "--winner", "Big Care plc", "--note", "price", "--ledger", str(ledger))
    assert said.returncode == 0, stderr_text(said)
    (version,) = history_json(run_cli, ledger)["tenders"][0]["versions"]
    assert {key: version["outcome"][key] for key in ("status", "winner", "note")} == {"status": "lost", "winner": "Big Care plc", "note": "price"}


def test_an_outcome_for_an_unknown_id_is_an_error_with_a_did_you_mean(run_cli, tmp_path):
    folder = write_tenders(tmp_path / "t", {"a.yaml": tender("HCK-2026-014")})
    ledger = tmp_path / "ledger.sqlite"
    record(run_cli, ledger, ".", cwd=folder)
    process = run_cli("ledger", "outcome", "HCK-2026-14", "won", "--ledger", str(ledger))
    assert process.returncode == 2
    assert "did you mean HCK-2026-014?" in stderr_text(process)
    assert "Traceback" not in stderr_text(process)
    assert rows(ledger, "SELECT count(*) FROM outcomes") == [(0,)]


@pytest.mark.parametrize("status", ["maybe", "WON!"])
def test_an_outcome_that_is_not_one_of_the_statuses_is_a_usage_error(run_cli, tmp_path, status):
    folder = write_tenders(tmp_path / "t", {"a.yaml": tender("A-1")})
    ledger = tmp_path / "ledger.sqlite"
    record(run_cli, ledger, ".", cwd=folder)
    process = run_cli("ledger", "outcome", "A-1", status, "--ledger", str(ledger))
    assert process.returncode == 2
    assert rows(ledger, "SELECT count(*) FROM outcomes") == [(0,)]


def test_history_of_an_unknown_id_is_an_error_with_a_did_you_mean(run_cli, tmp_path):
    folder = write_tenders(tmp_path / "t", {"a.yaml": tender("LCC-PH-0147")})
    ledger = tmp_path / "ledger.sqlite"
    record(run_cli, ledger, ".", cwd=folder)
    process = run_cli("ledger", "history", "LCC-PH-147", "--ledger", str(ledger))
    assert process.returncode == 2 and "did you mean LCC-PH-0147?" in stderr_text(process)


def test_a_bad_file_is_a_located_error_and_the_rest_are_recorded(run_cli, tmp_path):
    folder = write_tenders(tmp_path / "t", {"a.yaml": tender("A-1"), "c.yaml": tender("C-1")})
    (folder / "b.yaml").write_text("tender:\n  id: B-1\n  title: Broken\n  value: [not money\n", encoding="utf-8")
    ledger = tmp_path / "ledger.sqlite"
    process = record(run_cli, ledger, ".", cwd=folder, expect=2)
    assert any(line.removeprefix("./").startswith("b.yaml:") and line.split(":")[1].isdigit() for line in stderr_text(process).splitlines())
    assert rows(ledger, "SELECT tender_id FROM versions ORDER BY tender_id") == [("A-1",), ("C-1",)]


def test_exit_status_follows_fail_on_which_is_never_by_default(run_cli, tmp_path):
    folder = write_tenders(tmp_path / "t", {"a.yaml": tender("A-1", bid=LOSS_MAKING)})
    assert record(run_cli, tmp_path / "one.sqlite", ".", cwd=folder).returncode == 0
    failing = run_cli("ledger", "record", ".", "--ledger", str(tmp_path / "two.sqlite"), "--fail-on", "no-bid", cwd=folder)
    assert failing.returncode == 1
    assert rows(tmp_path / "two.sqlite", "SELECT verdict FROM versions") == [("no-bid",)]


def test_two_files_with_one_id_record_the_first_and_warn_at_the_second_id(run_cli, tmp_path):
    folder = write_tenders(tmp_path / "t", {"a.yaml": tender("SAME-1"), "b.yaml": tender("SAME-1", bid=LOSS_MAKING)})
    ledger = tmp_path / "ledger.sqlite"
    process = record(run_cli, ledger, ".", cwd=folder)
    assert "warning: ./b.yaml:2:" in stderr_text(process) and "not recorded" in stderr_text(process)
    assert rows(ledger, "SELECT tender_id, json_extract(record, '$.file') FROM versions") == [("SAME-1", "./a.yaml")]
    record(run_cli, ledger, ".", cwd=folder)  # and again: still one version, no flip-flop
    assert rows(ledger, "SELECT count(*) FROM versions") == [(1,)]


def test_recording_never_modifies_an_input(run_cli, tmp_path):
    folder = write_tenders(tmp_path / "t", {"a.yaml": tender("A-1", bid=LOSS_MAKING), "b.yaml": tender("B-1")})
    before = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in folder.iterdir()}
    record(run_cli, tmp_path / "ledger.sqlite", ".", cwd=folder)
    assert {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in folder.iterdir() if path.is_file()} == before


def test_by_default_the_ledger_is_beside_the_config_in_use(run_cli, tmp_path):
    folder = write_tenders(tmp_path / "repo", {})
    write_tenders(folder / "tenders", {"a.yaml": tender("A-1")}, config=None)
    process = run_cli("ledger", "record", "tenders", cwd=folder, env={"BIDCHECK_LEDGER": ""})
    assert process.returncode == 0, stderr_text(process)
    assert rows(folder / ".bidcheck" / "ledger.sqlite", "SELECT tender_id FROM versions") == [("A-1",)]
    listed = run_cli("ledger", "history", "--format", "json", cwd=folder / "tenders", env={"BIDCHECK_LEDGER": ""})
    assert [t["id"] for t in json.loads(stdout_text(listed))["tenders"]] == ["A-1"]


def test_with_no_config_the_ledger_is_in_the_current_folder(run_cli, tmp_path):
    (tmp_path / ".git").mkdir()  # the config search stops at the repository's root
    write_tenders(tmp_path / "tenders", {"a.yaml": tender("A-1")}, config=None)
    process = run_cli("ledger", "record", "tenders", cwd=tmp_path, env={"BIDCHECK_LEDGER": ""})
    assert process.returncode == 0, stderr_text(process)
    assert (tmp_path / ".bidcheck" / "ledger.sqlite").is_file()
    assert not (tmp_path / "tenders" / ".bidcheck").exists()


def test_bidcheck_ledger_names_another_ledger_and_ledger_option_wins_over_it(run_cli, tmp_path):
    folder = write_tenders(tmp_path / "t", {"a.yaml": tender("A-1")})
    by_variable = tmp_path / "variable.sqlite"
    assert run_cli("ledger", "record", ".", cwd=folder, env={"BIDCHECK_LEDGER": str(by_variable)}).returncode == 0
    by_option = tmp_path / "option.sqlite"
    assert run_cli("ledger", "record", ".", "--ledger", str(by_option), cwd=folder, env={"BIDCHECK_LEDGER": str(by_variable)}).returncode == 0
    assert rows(by_variable, "SELECT count(*) FROM versions") == [(1,)] == rows(by_option, "SELECT count(*) FROM versions")
    assert not (folder / ".bidcheck").exists()


@pytest.mark.parametrize("kind", ["an input tender", "the config", "a symbolic link", "a file through a linked folder"])
def test_the_ledger_may_not_be_an_input_a_config_or_a_link(run_cli, tmp_path, kind):
    folder = write_tenders(tmp_path / "t", {"a.yaml": tender("A-1")})
    (tmp_path / "elsewhere").mkdir()
    (folder / "link.sqlite").symlink_to(tmp_path / "elsewhere" / "x.sqlite")
    (folder / "linked").symlink_to(tmp_path / "elsewhere")
    ledger = {"an input tender": "a.yaml", "the config": "bidcheck.yaml", "a symbolic link": "link.sqlite", "a file through a linked folder": "linked/x.sqlite"}[kind]
    before = {name: (folder / name).read_bytes() for name in ("a.yaml", "bidcheck.yaml")}
    process = run_cli("ledger", "record", ".", "--ledger", ledger, cwd=folder)
    assert process.returncode == 2
    assert stderr_text(process).startswith(ledger)
    assert {name: (folder / name).read_bytes() for name in before} == before
    assert not list((tmp_path / "elsewhere").iterdir())


def test_a_file_that_is_not_a_ledger_is_refused_and_left_as_it_is(run_cli, tmp_path):
    folder = write_tenders(tmp_path / "t", {"a.yaml": tender("A-1")})
    other = tmp_path / "notes.sqlite"
    other.write_text("my notes\n")
    for command in (["ledger", "record", "."], ["ledger", "history"], ["portfolio"]):
        process = run_cli(*command, "--ledger", str(other), cwd=folder)
        assert process.returncode == 2 and "not a ledger" in stderr_text(process)
    assert other.read_text() == "my notes\n"


def test_another_sqlite_database_or_a_newer_ledger_is_refused_and_left_as_it_is(run_cli, tmp_path):
    folder = write_tenders(tmp_path / "t", {"a.yaml": tender("A-1")})
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
    newer = tmp_path / "newer.sqlite"
    with sqlite3.connect(newer) as db:
        db.execute("PRAGMA user_version = 99")
        db.execute("CREATE TABLE versions (x)")
    for path, says in ((other, "not a bidcheck ledger"), (newer, "a newer bidcheck's ledger")):
        process = run_cli("ledger", "record", ".", "--ledger", str(path), cwd=folder)
        assert process.returncode == 2 and says in stderr_text(process)
    assert rows(other, "SELECT name FROM sqlite_master WHERE type = 'table'") == [("notes",)]
    assert rows(newer, "PRAGMA user_version") == [(99,)]


def test_reading_commands_on_a_missing_ledger_create_nothing(run_cli, tmp_path):
    missing = tmp_path / "none" / "ledger.sqlite"
    history = run_cli("ledger", "history", "--format", "json", "--ledger", str(missing))
    assert history.returncode == 0 and json.loads(stdout_text(history)) == {"tenders": []}
    portfolio = run_cli("portfolio", "--format", "json", "--ledger", str(missing))
    assert portfolio.returncode == 0 and json.loads(stdout_text(portfolio))["tenders"] == 0
    assert not (tmp_path / "none").exists()


def _version_0_ledger(path: Path, records: list[dict]) -> None:
    """A ledger as schema 0 kept it: versions only, no hashes, findings or outcomes, user_version 0."""
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE versions (version INTEGER PRIMARY KEY AUTOINCREMENT, tender_id TEXT NOT NULL, "
            "recorded TEXT NOT NULL, verdict TEXT NOT NULL, record TEXT NOT NULL)"
        )
        for number, kept in enumerate(records):
            db.execute(
                "INSERT INTO versions (tender_id, recorded, verdict, record) VALUES (?, ?, ?, ?)",
                (kept["tender"]["id"], f"2026-10-0{number + 1}T09:00:00+00:00", kept["verdict"], json.dumps(kept)),
            )


OLD_RECORD = {
    "tender": {"id": "OLD-1", "title": "Old"},
    "verdict": "no-bid",
    "findings": [{"rule": "PWR001", "severity": "blocker", "waived": False, "field": "bid.price", "evidence": {"price": 900000}, "policy": "refuse_loss_making_bids"}],
    "decision": {"by": "Board", "on": "2026-09-30"},
}


def test_a_version_0_ledger_is_migrated_forward_and_keeps_its_history(run_cli, tmp_path):
    ledger = tmp_path / "old.sqlite"
    _version_0_ledger(ledger, [OLD_RECORD, {**OLD_RECORD, "verdict": "bid", "findings": []}])
    document = history_json(run_cli, ledger, "OLD-1")
    assert [v["verdict"] for v in document["tenders"][0]["versions"]] == ["no-bid", "bid"]
    assert rows(ledger, "PRAGMA user_version") == [(2,)]
    assert rows(ledger, "SELECT rule, severity, policy FROM findings") == [("PWR001", "blocker", "refuse_loss_making_bids")]
    assert all(len(digest) == 64 for (digest,) in rows(ledger, "SELECT content_hash FROM versions"))
    assert rows(ledger, "SELECT day FROM versions") == [("2026-09-30",), ("2026-09-30",)]
    assert rows(ledger, "PRAGMA integrity_check") == [("ok",)]


def test_a_version_1_ledger_gains_the_day_each_version_counts_for(run_cli, tmp_path):
    ledger = tmp_path / "v1.sqlite"
    undecided = {**OLD_RECORD, "decision": None}
    _version_0_ledger(ledger, [undecided])
    with sqlite3.connect(ledger) as db:  # as schema 1 left it
        from bidcheck.ledger.database import _TABLES_1

        for statement in _TABLES_1.split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute("PRAGMA user_version = 1")
    assert run_cli("ledger", "outcome", "OLD-1", "not-bid", "--ledger", str(ledger)).returncode == 0
    assert rows(ledger, "SELECT day FROM versions") == [("2026-10-01",)]  # no decision: the day it was recorded
    assert rows(ledger, "SELECT status FROM outcomes") == [("not-bid",)]


@settings(max_examples=5, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(winner=st.text(min_size=1, max_size=40).filter(lambda s: "\x00" not in s and not s.startswith("-")), note=st.text(max_size=60).filter(lambda s: "\x00" not in s and not s.startswith("-")))
def test_any_winner_and_note_come_back_as_written(run_cli, tmp_path_factory, winner, note):
    folder = write_tenders(tmp_path_factory.mktemp("t"), {"a.yaml": tender("A-1")})
    ledger = tmp_path_factory.mktemp("ledger") / "ledger.sqlite"
    record(run_cli, ledger, ".", cwd=folder)
    said = run_cli("ledger", "outcome", "A-1", "won", "--winner", winner, "--note", note, "--ledger", str(ledger))
    assert said.returncode == 0, stderr_text(said)
    outcome = history_json(run_cli, ledger)["tenders"][0]["versions"][0]["outcome"]
    assert (outcome["winner"], outcome["note"]) == (winner, note)


def _readme_session() -> list[tuple[str, str]]:
    """(command, output) of each ``$`` line in the README's "Decisions remembered" session."""
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Decisions remembered") :]
    block = section[section.index("```console\n") + len("```console\n") :]
    block = block[: block.index("```")]
    steps = []
    for chunk in block.split("$ ")[1:]:
        command, _, output = chunk.partition("\n")
        steps.append((command, output.rstrip("\n") + "\n"))
    return steps


def test_the_readme_session_runs_as_written(run_cli, tmp_path):
    import re
    import shlex
    import shutil

    from tests.conftest import EXAMPLES

    shutil.copy(EXAMPLES / "bidcheck.yaml", tmp_path / "bidcheck.yaml")
    shutil.copytree(EXAMPLES / "tenders", tmp_path / "tenders")
    (tmp_path / ".git").mkdir()
    hackney = tmp_path / "tenders" / "hackney-young-peoples-substance-misuse.yaml"
    records = 0
    minute = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")
    for command, shown in _readme_session():
        if command.startswith("bidcheck ledger record"):
            records += 1
            if records == 2:  # the bid director's change, as the README tells it
                text = re.sub(r"  incumbent_approach: compete .*", "  incumbent_approach: support", hackney.read_text(encoding="utf-8"))
                text = re.sub(r"  transition_plan: false .*", "  transition_plan: true\n  decision: {by: Board of trustees, on: 2026-11-24}", text)
                hackney.write_text(text, encoding="utf-8")
        process = run_cli(*shlex.split(command)[1:], cwd=tmp_path, env={"BIDCHECK_LEDGER": "", "COLUMNS": "100"})
        printed = stdout_text(process) + stderr_text(process)
        assert minute.sub("<time>", printed) == minute.sub("<time>", shown), f"README's output of `{command}` drifted"


def test_a_committed_bidcheck_folder_that_is_a_link_is_never_written_through(run_cli, tmp_path):
    (tmp_path / ".git").mkdir()
    write_tenders(tmp_path, {"a.yaml": tender("A-1")})
    (tmp_path / "outside").mkdir()
    (tmp_path / ".bidcheck").symlink_to(tmp_path / "outside")
    process = run_cli("ledger", "record", "a.yaml", cwd=tmp_path, env={"BIDCHECK_LEDGER": ""})
    assert process.returncode == 2 and "symbolic link" in stderr_text(process)
    assert not list((tmp_path / "outside").iterdir())
