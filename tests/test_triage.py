"""`bidcheck triage`: the tenders checked as `check` checks them, ranked by fit (SPEC §4, §4.1)."""

from __future__ import annotations

import csv
import datetime
import io
import json
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from bidcheck.decide import TenderResult
from bidcheck.models import Tender, TenderFile, Verdict
from bidcheck.triage import Ranking, fit, fit_order
from tests.conftest import ROOT, console_script, stderr_text, stdout_text

AS_OF = "2026-08-15"
CONFIG = {"organisation": {"name": "Camden Carers Trust", "annual_income": "£2m", "services": ["carers-support"], "areas": ["Camden"]}}


def tender(tender_id: str, **fields) -> dict:
    """A tender file's data: a carers' service in Camden, due in 47 days, unless ``fields`` say otherwise."""
    base = {"id": tender_id, "title": f"Tender {tender_id}", "service": "carers-support", "areas": ["Camden"], "deadline": "2026-10-01"}
    data = {key: value for key, value in {**base, **fields}.items() if value is not None}
    return {"tender": data, "incumbent": "none"}


def write_batch(folder: Path, tenders: dict[str, dict], config: dict | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bidcheck.yaml").write_text(yaml.safe_dump(config or CONFIG), encoding="utf-8")
    for name, data in tenders.items():
        (folder / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


def triage_json(run_cli, folder: Path, *options: str) -> dict:
    process = run_cli("triage", ".", "--format", "json", "--as-of", AS_OF, *options, cwd=folder)
    assert process.returncode == 0, stderr_text(process)
    return json.loads(stdout_text(process))


# Each pair: the better tender and the worse, equal on every earlier level of the order.
# The worse one's file sorts first, so discovery order never explains the ranking.
ORDER_PAIRS = {
    "service yes before unknown": ({}, {"service": None}),
    "service unknown before no": ({"service": None}, {"service": "housing-support"}),
    "areas all before some": ({}, {"areas": ["Camden", "Islington"]}),
    "areas some before unknown": ({"areas": ["Camden", "Islington"]}, {"areas": None}),
    "areas unknown before none": ({"areas": None}, {"areas": ["Leeds"]}),
    "enough time before a short window even with a later deadline": ({"deadline": "2026-10-01"}, {"deadline": "2026-08-25"}),
    "a short window before no deadline": ({"deadline": "2026-08-25"}, {"deadline": None}),
    "no deadline before a deadline already passed": ({"deadline": None}, {"deadline": "2026-08-01"}),
    "earliest deadline first": ({"deadline": "2026-10-01"}, {"deadline": "2026-11-01"}),
    "id decides the rest": ({}, {}),
}


@pytest.mark.parametrize("better, worse", ORDER_PAIRS.values(), ids=ORDER_PAIRS.keys())
def test_each_level_of_fit_decides_the_order(run_cli, tmp_path, better, worse):
    folder = write_batch(tmp_path, {"1-worse.yaml": tender("B-2", **worse), "2-better.yaml": tender("A-1", **better)})
    report = triage_json(run_cli, folder)
    assert [result["tender"]["id"] for result in report["results"]] == ["A-1", "B-2"]
    assert [result["fit"]["rank"] for result in report["results"]] == [1, 2]


def test_min_response_days_from_the_config_moves_the_line_between_enough_time_and_a_short_window(run_cli, tmp_path):
    tenders = {"1-later.yaml": tender("LATER", deadline="2026-10-01"), "2-soon.yaml": tender("SOON", deadline="2026-08-25")}
    default = triage_json(run_cli, write_batch(tmp_path / "default", tenders))
    relaxed = triage_json(run_cli, write_batch(tmp_path / "relaxed", tenders, {**CONFIG, "thresholds": {"min_response_days": 5}}))
    assert [result["tender"]["id"] for result in default["results"]] == ["LATER", "SOON"]  # 10 days is a short window
    assert [result["tender"]["id"] for result in relaxed["results"]] == ["SOON", "LATER"]  # both enough: earliest first


def test_json_has_checks_shape_schema_2_ranked_with_fit(run_cli, tmp_path):
    folder = write_batch(
        tmp_path,
        {
            "a.yaml": tender("NOT-OURS", service="housing-support", areas=["Leeds"], deadline=None),
            "b.yaml": tender("OURS", value="£450k", cpv=["85312000"]),
        },
    )
    report = triage_json(run_cli, folder)
    assert report["schema"] == 2 and set(report) >= {"bidcheck", "results", "errors", "summary"}
    best, worst = report["results"]
    assert best["fit"] == {"service": "yes", "areas": "all", "days_left": 47, "rank": 1}
    assert worst["fit"] == {"service": "no", "areas": "none", "days_left": None, "rank": 2}
    assert best["tender"]["id"] == "OURS" and best["tender"]["value"] == 450000 and best["tender"]["days_left"] == 47
    assert set(best) >= {"file", "tender", "verdict", "findings", "conditions", "questions", "warnings", "fit"}
    assert report["summary"]["shown"] == report["summary"]["ranked"] == 2
    assert sum(report["summary"][verdict] for verdict in ("bid", "bid-with-conditions", "needs-info", "no-bid")) == 2


def test_top_keeps_the_best_n_and_says_how_many_were_left_out(run_cli, tmp_path):
    tenders = {f"t{number}.yaml": tender(f"T-{number}", deadline=f"2026-10-{number:02d}") for number in range(1, 8)}
    folder = write_batch(tmp_path, tenders)
    report = triage_json(run_cli, folder, "--top", "3")
    assert [result["tender"]["id"] for result in report["results"]] == ["T-1", "T-2", "T-3"]
    assert report["summary"]["shown"] == 3 and report["summary"]["ranked"] == 7
    text = stdout_text(run_cli("triage", ".", "--top", "3", "--as-of", AS_OF, cwd=folder))
    assert "showing 3 of 7 tenders" in text
    assert "T-4" not in text


@settings(max_examples=60, deadline=None)
@given(
    deadlines=st.lists(st.one_of(st.none(), st.dates(datetime.date(2026, 7, 1), datetime.date(2027, 1, 1))), max_size=30),
    top=st.integers(1, 10),
)
def test_a_bounded_ranking_is_the_head_of_the_full_ranking_and_never_holds_more(deadlines, top):
    as_of = datetime.date(2026, 8, 15)
    results = [
        TenderResult(f"t{number}.yaml", TenderFile(tender=Tender(id=f"T-{number % 4}", title="t", deadline=deadline)), Verdict.BID, [])
        for number, deadline in enumerate(deadlines)
    ]
    kept: list[str] = []
    bounded = Ranking(as_of, top, lambda result, _: kept.append(result.file) or result.file, lambda *_: None)
    full = Ranking(as_of, None, lambda result, _: result.file, lambda *_: None)
    for result in results:
        bounded.result(result)
        full.result(result)
        assert bounded.shown <= top
    assert [file for file, _ in bounded.ranked()] == [file for file, _ in full.ranked()][:top]
    assert bounded.seen == len(results)
    assert [judged.rank for _, judged in bounded.ranked()] == list(range(1, min(top, len(results)) + 1))
    expected = sorted(results, key=lambda result: (*fit_order(result, fit(result, as_of)), results.index(result)))
    assert [file for file, _ in full.ranked()] == [result.file for result in expected]


def test_csv_has_one_row_per_tender_with_facts_fit_and_what_to_ask(run_cli, tmp_path):
    incumbent = {"name": "Camden Young Carers", "vcse": True, "source": "award notice 012345-2022 (same buyer, CPV 85312)"}
    folder = write_batch(
        tmp_path,
        {
            "a.yaml": {**tender("SECOND", deadline="2026-12-01"), "incumbent": incumbent},
            "b.yaml": tender("FIRST", cpv=["85312000", "85311000"], suitable_for=["sme", "vcse"], light_touch=True),
        },
    )
    process = run_cli("triage", ".", "--format", "csv", "--as-of", AS_OF, cwd=folder)
    rows = list(csv.DictReader(io.StringIO(stdout_text(process))))
    assert [row["id"] for row in rows] == ["FIRST", "SECOND"]
    first, second = rows
    assert first["rank"] == "1" and first["fit_service"] == "yes" and first["fit_areas"] == "all"
    assert first["cpv"] == "85312000; 85311000" and first["suitable_for"] == "sme; vcse" and first["light_touch"] == "true"
    assert first["days_left"] == "47" and first["deadline"] == "2026-10-01"
    assert first["likely_incumbent"] == "none" and first["incumbent_source"] == ""
    assert second["likely_incumbent"] == "Camden Young Carers" and second["incumbent_source"].startswith("award notice")
    assert all(row["first_question"] for row in rows)  # each has something to ask or do first
    assert {"ocid", "url", "value_includes_vat", "verdict", "blockers", "file"} <= set(first)


def test_the_first_question_is_the_first_unknowns_and_blockers_are_rule_ids(run_cli, tmp_path):
    loss_making = {**tender("LOSS"), "bid": {"price": "£100k", "full_cost": "£200k"}}
    folder = write_batch(tmp_path, {"a.yaml": loss_making}, {**CONFIG, "policies": {"refuse_loss_making_bids": True}})
    (row,) = csv.DictReader(io.StringIO(stdout_text(run_cli("triage", ".", "--format", "csv", "--as-of", AS_OF, cwd=folder))))
    report = json.loads(stdout_text(run_cli("check", ".", "--format", "json", "--as-of", AS_OF, cwd=folder)))
    (result,) = report["results"]
    assert row["verdict"] == "no-bid" and "PWR001" in row["blockers"].split()
    assert result["questions"] and row["first_question"] == result["questions"][0]["question"]  # the most pressing first


def test_markdown_is_one_table_with_a_row_per_tender_in_ranked_order(run_cli, tmp_path):
    folder = write_batch(
        tmp_path,
        {"a.yaml": tender("LATE", deadline="2026-12-01"), "b.yaml": tender("PIPE|TITLE", title="Carers | *support* <b>now</b>")},
    )
    markdown = stdout_text(run_cli("triage", ".", "--format", "markdown", "--as-of", AS_OF, cwd=folder))
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    rows, row, cell = [], None, None
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(token.content)
        elif token.type == "tr_close":
            rows.append(row)
            row = None
    assert sum(1 for token in tokens if token.type == "table_open") == 1
    header, *body = rows
    assert header[:3] == ["#", "id", "title"] and "first question" in header
    assert [cells[0] for cells in body] == ["1", "2"]
    assert len(body[0]) == len(header)  # a "|" in a title did not add a cell
    assert "<b>" not in MarkdownIt("commonmark").enable("table").render(markdown)


def test_hostile_text_in_a_title_stays_inert_in_the_text_table(run_cli, tmp_path):
    hostile = "\x1b[31mred\x1b[0m [bold]loud[/bold] \u202eevil\n::error::forged"
    folder = write_batch(tmp_path, {"a.yaml": tender("HOSTILE", title=hostile, buyer="::warning::buyer")})
    process = run_cli("triage", ".", "--as-of", AS_OF, cwd=folder)
    out = stdout_text(process)
    assert process.returncode == 0
    assert "\x1b" not in out and "\u202e" not in out
    assert "[bold]loud[/bold]" in out and "\\x1b[31mred" in out
    assert not any(line.lstrip().startswith(("::", "##[")) for line in out.splitlines())


def test_exit_status_is_0_whatever_the_verdicts_unless_fail_on_is_given(run_cli, tmp_path):
    loss_making = {**tender("LOSS"), "bid": {"price": "£100k", "full_cost": "£200k"}}
    folder = write_batch(tmp_path, {"a.yaml": loss_making}, {**CONFIG, "policies": {"refuse_loss_making_bids": True}})
    assert run_cli("triage", ".", cwd=folder).returncode == 0
    assert run_cli("triage", ".", "--fail-on", "no-bid", cwd=folder).returncode == 1


def test_a_bad_file_is_reported_located_and_the_rest_still_ranked(run_cli, tmp_path):
    folder = write_batch(tmp_path, {"a.yaml": tender("GOOD")})
    (folder / "b.yaml").write_text("tender:\n  id: BAD\n  title: Bad\n  deadline: 15/08/2026\n", encoding="utf-8")
    process = run_cli("triage", ".", "--format", "json", "--as-of", AS_OF, cwd=folder)
    report = json.loads(stdout_text(process))
    assert process.returncode == 2
    assert [result["tender"]["id"] for result in report["results"]] == ["GOOD"]
    (error,) = report["errors"]
    assert error["file"].endswith("b.yaml") and (error["line"], error["column"]) == (4, 13)
    assert "b.yaml:4:13:" in stderr_text(process) and "Traceback" not in stderr_text(process)


@pytest.mark.parametrize("as_of", ["15/08/2026", "2026-02-30", "tomorrow", ""])
def test_a_bad_as_of_is_a_usage_error_saying_what_was_expected(run_cli, tmp_path, as_of):
    folder = write_batch(tmp_path, {"a.yaml": tender("T")})
    for command in ("triage", "check"):
        process = run_cli(command, ".", "--as-of", as_of, cwd=folder)
        assert process.returncode == 2
        assert "--as-of" in stderr_text(process) and stdout_text(process) == ""
        assert "Traceback" not in stderr_text(process)


def test_output_is_written_whole_and_never_over_an_input(run_cli, tmp_path):
    folder = write_batch(tmp_path, {"a.yaml": tender("T")})
    before = (folder / "a.yaml").read_bytes()
    refused = run_cli("triage", ".", "--output", "a.yaml", cwd=folder)
    assert refused.returncode == 2 and (folder / "a.yaml").read_bytes() == before
    written = run_cli("triage", ".", "--format", "csv", "--output", "ranked.csv", cwd=folder)
    assert written.returncode == 0 and stdout_text(written) == ""
    assert [row["id"] for row in csv.DictReader(io.StringIO((folder / "ranked.csv").read_text(encoding="utf-8")))] == ["T"]


SHARED_FTS = ROOT.parent / "shared" / "data" / "ocds" / "fts"


@pytest.mark.skipif(not SHARED_FTS.is_dir(), reason="../shared/data/ocds/fts is not present")
def test_done_when_london_social_care_notices_come_first_with_fit_days_left_and_a_first_question(tmp_path):
    """Issue 12's Done-when run on the real Find a Tender notices: import with a config, then triage."""
    config = {"organisation": {"name": "London Carers", "services": [{"name": "social-care", "cpv": ["853"]}], "areas": ["London"]}}
    (tmp_path / "bidcheck.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    notices = sorted(str(path) for path in SHARED_FTS.glob("*.json"))
    imported = subprocess.run([console_script(), "import", "ocds", *notices, "-o", "tenders", "--as-of", AS_OF], cwd=tmp_path, capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    command = f"{shlex.quote(console_script())} triage tenders --as-of {AS_OF} --format csv"
    process = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True)
    rows = list(csv.DictReader(io.StringIO(process.stdout)))
    ours = [row for row in rows if row["fit_service"] == "yes" and row["fit_areas"] in ("all", "some")]
    assert ours, "no London social-care notice among the open Find a Tender notices"
    assert rows[: len(ours)] == ours
    for row in ours:
        assert row["days_left"].lstrip("-").isdigit() and row["first_question"]
        assert any(code.startswith("853") for code in row["cpv"].split("; "))
    # The Young Carers notice (CPV 85000000, health and social work: broader than 853) asks what its
    # service is, and is the London notice to look at next: across Camden and Islington, both ours.
    [carers] = [row for row in rows if row["title"] == "Young Carers services across Camden and Islington"]
    assert (carers["fit_service"], carers["fit_areas"], carers["areas"]) == ("unknown", "all", "Camden; Islington")
    unknown_service = [row for row in rows if row["fit_service"] == "unknown"]
    assert carers in unknown_service[:2] and carers["first_question"]
    closed = subprocess.run([console_script(), "import", "ocds", *notices, "-o", "today"], cwd=tmp_path, capture_output=True, text=True)
    assert closed.returncode == 0 and "closed" in closed.stderr  # with today's date, the notices of August 2026 are closed and counted


def test_fit_is_the_same_when_worker_processes_check_the_batch(run_cli, tmp_path):
    tenders = {f"t{number}.yaml": tender(f"T-{number}", areas=[["Camden"], ["Leeds"], ["Camden", "Hackney"]][number % 3]) for number in range(6)}
    folder = write_batch(tmp_path, tenders)
    alone, workers = (triage_json(run_cli, folder, "--jobs", jobs) for jobs in ("1", "2"))
    assert alone == workers
    assert {result["fit"]["areas"] for result in workers["results"]} == {"all", "some", "none"}


@pytest.mark.parametrize("top", ["0", "-3", "many"])
def test_top_must_be_a_whole_number_of_one_or_more(run_cli, tmp_path, top):
    folder = write_batch(tmp_path, {"a.yaml": tender("T")})
    process = run_cli("triage", ".", "--top", top, cwd=folder)
    assert process.returncode == 2 and "--top" in stderr_text(process) and stdout_text(process) == ""
