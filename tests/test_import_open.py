"""`bidcheck import ocds` imports open notices only, as of a date: closed, cancelled, withdrawn,
unsuccessful, awarded and terminated procurements are skipped and counted by reason
(`--include-closed` keeps them); award notices are history, never tenders (SPEC §4.1)."""

from __future__ import annotations

import datetime
import json
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bidcheck.ocds import select_procurement
from bidcheck.ocds.skips import SkipReason
from tests.conftest import ROOT, stderr_text
from tests.test_import_ocds import summary_counts

FTS = ROOT.parent / "shared" / "data" / "ocds" / "fts"
needs_fts = pytest.mark.skipif(not FTS.is_dir(), reason="../shared/data/ocds/fts is not present")
YOUNG_CARERS = "ocds-h6vhtk-06e058"  # release 075819-2026, deadline 2026-09-10


def notice(number: int, **tender) -> dict:
    """A small Find a Tender style tender release; ``tender`` fields override the defaults."""
    return {
        "ocid": f"ocds-h6vhtk-test{number:02d}",
        "id": f"9{number:05d}-2026",
        "date": "2026-01-05T10:00:00Z",
        "tag": ["tender"],
        "buyer": {"id": "GB-PPON-TEST-0001", "name": "Test Council"},
        "tender": {
            "title": f"Community support service {number}",
            "status": "active",
            "tenderPeriod": {"endDate": "2026-06-30T12:00:00Z"},
            "documents": [{"id": f"9{number:05d}-2026", "noticeType": "UK4"}],
            **tender,
        },
    }


def import_releases(run_cli, tmp_path: Path, releases: list[dict], *options: str):
    source = tmp_path / "notices.json"
    source.write_text(json.dumps({"releases": releases}), encoding="utf-8")
    process = run_cli("import", "ocds", str(source), "-o", str(tmp_path / "out"), *options)
    assert process.returncode == 0, stderr_text(process)
    return summary_counts(stderr_text(process)), sorted(path.stem for path in (tmp_path / "out").glob("*.yaml"))


@needs_fts
def test_the_young_carers_tender_is_open_on_15_august_2026(run_cli, tmp_path):
    process = run_cli("import", "ocds", str(FTS), "-o", str(tmp_path / "out"), "--as-of", "2026-08-15")
    assert process.returncode == 0, stderr_text(process)
    assert (tmp_path / "out" / f"{YOUNG_CARERS}.yaml").exists()
    counts = summary_counts(stderr_text(process))
    assert counts["read"] == 955 and counts["written"] > 100


@needs_fts
def test_the_young_carers_tender_is_closed_on_1_december_2026_and_counted(run_cli, tmp_path):
    process = run_cli("import", "ocds", str(FTS), "-o", str(tmp_path / "out"), "--as-of", "2026-12-01", "-v")
    err = stderr_text(process)
    assert process.returncode == 0, err
    assert not (tmp_path / "out" / f"{YOUNG_CARERS}.yaml").exists()
    assert summary_counts(err)["closed"] > 100
    [line] = [line for line in err.splitlines() if YOUNG_CARERS in line and " closed: " in line]
    assert "first deadline 2026-09-10 is before 2026-12-01" in line


@needs_fts
def test_no_find_a_tender_award_notice_becomes_a_tender_even_with_include_closed(run_cli, tmp_path):
    process = run_cli("import", "ocds", str(FTS), "-o", str(tmp_path / "out"), "--include-closed")
    counts = summary_counts(stderr_text(process))
    assert counts["award or contract notice"] >= 600  # 623 award,contract releases, some compiled with their tender
    for path in (tmp_path / "out").glob("*.yaml"):
        source = yaml.safe_load(path.read_text(encoding="utf-8"))["tender"]["source"]
        assert source.get("release") not in AWARD_RELEASES


AWARD_RELEASES = {
    release["id"]
    for page in (sorted(FTS.glob("*.json")) if FTS.is_dir() else [])
    for release in json.loads(page.read_text(encoding="utf-8"))["releases"]
    if "award" in release["tag"]
}

CLOSED = {
    "cancelled": dict(status="cancelled"),
    "withdrawn": dict(status="withdrawn"),
    "unsuccessful": dict(status="unsuccessful"),
    "awarded": dict(status="complete"),
    "closed": dict(tenderPeriod={"endDate": "2025-12-31T12:00:00Z"}),
}


@pytest.mark.parametrize("reason", sorted(CLOSED))
def test_each_closed_reason_is_skipped_and_counted_and_include_closed_keeps_it(run_cli, tmp_path, reason):
    releases = [notice(1), notice(2, **CLOSED[reason])]
    counts, files = import_releases(run_cli, tmp_path, releases, "--as-of", "2026-01-10")
    assert counts[reason] == 1 and files == ["ocds-h6vhtk-test01"]
    counts, files = import_releases(run_cli, tmp_path, releases, "--as-of", "2026-01-10", "--include-closed")
    assert reason not in counts and files == ["ocds-h6vhtk-test01", "ocds-h6vhtk-test02"]


def test_an_award_on_the_procurement_makes_it_awarded(run_cli, tmp_path):
    tender = notice(1)
    award = {**notice(1), "id": "990002-2026", "date": "2026-02-01T00:00:00Z", "tag": ["tenderUpdate"], "awards": [{"id": "1", "status": "active"}]}
    award["tender"] = {"documents": [{"id": "990002-2026", "noticeType": "UK4"}]}
    counts, files = import_releases(run_cli, tmp_path, [tender, award], "--as-of", "2026-01-10")
    assert counts["awarded"] == 1 and counts["superseded by a later release"] == 1 and files == []


def test_a_uk12_termination_notice_is_counted_as_terminated(run_cli, tmp_path):
    tender = notice(3)
    termination = {**tender, "id": "990099-2026", "date": "2026-01-08T00:00:00Z", "tag": ["tenderCancellation"]}
    termination["tender"] = {"status": "cancelled", "documents": [{"id": "990099-2026", "noticeType": "UK12"}]}
    counts, files = import_releases(run_cli, tmp_path, [tender, termination], "--as-of", "2026-01-10")
    assert counts["terminated"] == 1 and files == []
    counts, files = import_releases(run_cli, tmp_path, [tender, termination], "--as-of", "2026-01-10", "--include-closed")
    assert files == ["ocds-h6vhtk-test03"]  # the compiled procurement keeps the tender's title and facts


def test_a_cancellation_compiles_over_the_tender_it_cancels(run_cli, tmp_path):
    tender = notice(4)
    cancellation = {"ocid": tender["ocid"], "id": "990100-2026", "date": "2026-01-09T00:00:00Z", "tag": ["tenderCancellation"], "tender": {"status": "cancelled"}}
    counts, files = import_releases(run_cli, tmp_path, [cancellation, tender], "--as-of", "2026-01-10")  # read out of order
    assert counts["cancelled"] == 1 and files == []


@pytest.mark.parametrize(("as_of", "open_"), [("2026-02-28", True), ("2026-03-01", True), ("2026-03-02", False)])
def test_an_expression_of_interest_deadline_before_the_tender_deadline_decides(as_of, open_):
    release = notice(5, expressionOfInterestDeadline="2026-03-01T12:00:00Z")
    selection = select_procurement(release, datetime.date.fromisoformat(as_of))
    assert (selection.reason is None) is open_
    assert selection.deadline == datetime.date(2026, 3, 1)


def test_a_notice_with_no_deadline_is_kept_and_the_summary_says_so(run_cli, tmp_path):
    releases = [notice(6, tenderPeriod={}), notice(7)]
    counts, files = import_releases(run_cli, tmp_path, releases, "--as-of", "2026-01-10")
    assert files == ["ocds-h6vhtk-test06", "ocds-h6vhtk-test07"]
    process = run_cli("import", "ocds", str(tmp_path / "notices.json"), "-o", str(tmp_path / "out"), "--as-of", "2026-01-10")
    assert "1 notice with no deadline kept" in stderr_text(process)


@pytest.mark.parametrize("kind", ["UK5", "UK6", "UK7"])
def test_award_and_contract_notice_types_are_history_even_tagged_tender(kind):
    release = notice(8)
    release["tender"]["documents"] = [{"id": release["id"], "noticeType": kind}]
    for include_closed in (False, True):
        assert select_procurement(release, datetime.date(2026, 1, 1), include_closed=include_closed).reason is SkipReason.AWARD


@pytest.mark.parametrize("kind", ["UK1", "UK2", "UK3"])
def test_pipeline_and_engagement_notice_types_are_planning(kind):
    release = notice(9)
    release["tender"]["documents"] = [{"id": release["id"], "noticeType": kind}]
    assert select_procurement(release, datetime.date(2026, 1, 1)).reason is SkipReason.PLANNING
    assert select_procurement(release, datetime.date(2026, 1, 1), include_planning=True).reason is None


@pytest.mark.parametrize("value", ["2026-13-01", "tomorrow", "01/02/2026", ""])
def test_a_bad_as_of_date_is_a_usage_error(run_cli, tmp_path, value):
    source = tmp_path / "notices.json"
    source.write_text(json.dumps({"releases": [notice(1)]}), encoding="utf-8")
    process = run_cli("import", "ocds", str(source), "-o", str(tmp_path / "out"), "--as-of", value)
    assert process.returncode == 2
    assert "Traceback" not in stderr_text(process)
    assert not (tmp_path / "out").exists()


# --- JSON Lines are streamed from the file, line by line ----------------------------------


@given(st.text(alphabet=st.sampled_from("\u2028\u2029\u0085\x1c\x0b\x0c\r") | st.characters(codec="utf-8"), max_size=12))
def test_json_lines_streamed_from_a_file_split_on_newlines_only(inside):
    from bidcheck.ocds.read import Release, stream_releases

    releases = [notice(n, title=f"a{inside}b") for n in range(3)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notices.jsonl"
        path.write_bytes("".join(json.dumps(release, ensure_ascii=False) + "\n" for release in releases).encode("utf-8"))
        found = list(stream_releases([str(path)], bytes))
    read = [item for item in found if isinstance(item, Release)]
    assert [release.data["tender"]["title"] for release in read] == [f"a{inside}b"] * 3
    assert [release.where for release in read] == [f"{path}:{n}" for n in (1, 2, 3)]


def test_a_bad_byte_spoils_only_its_own_line_of_a_streamed_file(tmp_path):
    from bidcheck.ocds.read import Release, stream_releases
    from bidcheck.problems import Problem

    lines = [json.dumps(notice(n)).encode() for n in range(3)]
    lines[1] = lines[1].replace(b"Community", b"Caf\xe9", 1)  # Windows-1252, not UTF-8
    path = tmp_path / "notices.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    found = list(stream_releases([str(path)], bytes))
    assert [item.where for item in found if isinstance(item, Release)] == [f"{path}:1", f"{path}:3"]
    [problem] = [item for item in found if isinstance(item, Problem)]
    assert (problem.line, "skipped" in problem.message) == (2, True)


def test_a_procurements_releases_compile_in_time_order_across_time_zones():
    from bidcheck.ocds import plan_import

    early = {**notice(10, title="Early title"), "id": "a", "date": "2022-10-19T23:30:00+01:00"}  # 22:30 UTC
    late = {**notice(10, title="Late title"), "id": "b", "date": "2022-10-19T22:45:00Z"}
    for order in ([early, late], [late, early]):
        plan = plan_import([("p.json", json.dumps({"releases": order}).encode())], as_of=datetime.date(2022, 10, 20))
        [tender] = plan.tenders
        assert yaml.safe_load(tender.text)["tender"]["title"] == "Late title"
