"""What the speed-ups of issue 12 must not change: the notice store written a batch at a time
keeps every release once and every award's latest notice; a closed tender judged from the
store's columns is skipped exactly as compiling it would skip it; and ``check``/``triage``
discover a folder's files as they walk it, each file once."""

from __future__ import annotations

import datetime
import json
import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bidcheck.ocds import store as store_module
from bidcheck.ocds.incumbent import find_incumbent
from bidcheck.ocds.pipeline import plan_import
from bidcheck.ocds.skips import SkipReason
from bidcheck.ocds.store import NoticeStore
from bidcheck.pipeline import discover
from bidcheck.problems import Problem
from tests.test_import_store import AS_OF, YOUNG_CARERS, award

FORMS = st.sampled_from(["absent", "null", "past", "future", "not a date", "number"])
VALUES = {"past": "2026-08-01T12:00:00Z", "future": "2026-09-30T12:00:00Z", "not a date": "soon", "number": 20260930}


def tender_notice(ocid: str, number: int, eoi: str, end: str, status: str = "absent", awarded: bool = False) -> dict:
    """A tender notice (tags only, as Contracts Finder gives them) with its deadline fields in the given forms."""
    tender: dict = {"title": f"Care service {ocid}", "tenderPeriod": {}}
    for form, put in ((eoi, lambda v: tender.__setitem__("expressionOfInterestDeadline", v)), (end, lambda v: tender["tenderPeriod"].__setitem__("endDate", v))):
        if form != "absent":
            put(None if form == "null" else VALUES[form])
    if status != "absent":
        tender["status"] = status
    release = {"ocid": ocid, "id": f"{ocid}-{number}", "date": f"2026-0{number + 1}-01T00:00:00Z", "tag": ["tender" if number == 0 else "tenderUpdate"], "tender": tender}
    if awarded:
        release["awards"] = [{"id": "1", "status": "active"}]
    return release


def counts(releases: list[dict], keep: bool, store: NoticeStore | None = None) -> dict:
    plan = plan_import([("n.json", json.dumps({"releases": releases}).encode())], as_of=AS_OF, keep_skips=keep, store=store)
    return {"skipped": dict(plan.skip_counts()), "notices": plan.notices, "tenders": sorted(t.tender_id for t in plan.tenders)}


STATUSES = ["absent", "active", "cancelled", "complete", "withdrawn", "unsuccessful"]
RELEASE = st.tuples(FORMS, FORMS, st.sampled_from(STATUSES), st.booleans())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(RELEASE, min_size=1, max_size=3), min_size=1, max_size=4))
@example([[(deadline, deadline, status, False)] for status in STATUSES for deadline in ("past", "future", "absent")])
@example([[("past", "absent", "unsuccessful", False), ("past", "absent", status, False)] for status in STATUSES])
@example([[("future", "absent", status, False), ("past", "absent", "unsuccessful", False)] for status in STATUSES])
def test_tenders_judged_from_the_stores_columns_are_skipped_as_compiling_them_skips_them(procurements):
    """keep_skips=False takes the columns' shortcut; keep_skips=True compiles every procurement."""
    releases = [
        tender_notice(f"ocds-x-{index}", number, eoi, end, status, awarded)
        for index, notices in enumerate(procurements)
        for number, (eoi, end, status, awarded) in enumerate(notices)
    ]
    assert counts(releases, keep=False) == counts(releases, keep=True)


def test_outlines_read_a_chunk_at_a_time_are_each_procurements_own(monkeypatch):
    """Procurements are judged on the store's columns a chunk of ocids per query: chunks of 2
    over 9 procurements give what compiling each gives, and what one query per ocid gives."""
    from bidcheck.ocds import pipeline as pipeline_module

    monkeypatch.setattr(pipeline_module, "_OUTLINES_PER_QUERY", 2)
    forms = [("past", "absent"), ("future", "absent"), ("absent", "past"), ("absent", "future"), ("null", "null")]
    releases = [
        tender_notice(f"ocds-c-{index}", number, *forms[(index + number) % len(forms)], awarded=index == 4 and number == 1)
        for index in range(9)
        for number in range(1 + index % 3)
    ]
    assert counts(releases, keep=False) == counts(releases, keep=True)
    with NoticeStore.open(":memory:") as store:
        plan_import([("n.json", json.dumps({"releases": releases}).encode())], as_of=AS_OF, store=store)
        ocids = [f"ocds-c-{index}" for index in range(9)]
        assert store.outlines_of(ocids) == {ocid: store.outlines_of([ocid])[ocid] for ocid in ocids}


def test_a_deadline_extended_by_a_later_notice_keeps_the_tender_open():
    first = tender_notice("ocds-x-1", 0, "absent", "past")
    extended = tender_notice("ocds-x-1", 1, "absent", "future")
    assert counts([first, extended], keep=False)["tenders"] == ["ocds-x-1"]
    assert counts([extended, first], keep=False)["tenders"] == ["ocds-x-1"]  # by date, not by the order read
    brought_forward = tender_notice("ocds-x-1", 1, "absent", "past")
    assert counts([tender_notice("ocds-x-1", 0, "absent", "future"), brought_forward], keep=False)["skipped"][SkipReason.CLOSED] == 1


def test_a_tender_whose_earlier_notice_an_earlier_import_stored_is_compiled_whole(tmp_path):
    path = tmp_path / "store.sqlite"
    with NoticeStore.open(path) as store:
        counts([tender_notice("ocds-x-1", 0, "absent", "future")], keep=False, store=store)
    with NoticeStore.open(path) as store:
        later = counts([tender_notice("ocds-x-1", 1, "absent", "absent")], keep=False, store=store)
    assert later["tenders"] == ["ocds-x-1"]  # open by the deadline only the earlier import read


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(store_module, "BATCH", 2)


def test_a_release_read_again_in_a_later_batch_is_a_duplicate_stored_once(small_batches):
    releases = [award(), award(id="000002-2022"), award(id="000003-2022"), award()]
    with NoticeStore.open(":memory:") as store:
        plan = plan_import([("h.json", json.dumps({"releases": releases}).encode())], as_of=AS_OF, store=store)
        assert (plan.new_releases, store.release_count()) == (3, 3)
    assert [(skip.reason, skip.where) for skip in plan.skips if skip.reason is SkipReason.DUPLICATE] == [(SkipReason.DUPLICATE, "h.json: releases[3]")]


def test_a_release_stored_by_an_earlier_import_is_not_new_again(tmp_path, small_batches):
    path = tmp_path / "store.sqlite"
    releases = [award(), award(id="000002-2022"), award(id="000003-2022")]
    for expected_new in (3, 0):
        with NoticeStore.open(path) as store:
            plan = plan_import([("h.json", json.dumps({"releases": releases}).encode())], as_of=AS_OF, store=store)
            assert (plan.new_releases, store.release_count()) == (expected_new, 3)


@pytest.mark.parametrize("batch", [1, 2, 1000])
def test_a_later_notice_of_an_award_replaces_its_end_date_in_the_index(monkeypatch, batch):
    """The award's contract first ends long before the new start, then a contract notice
    (same award, read later, whether in the same batch or not) extends it to just before."""
    monkeypatch.setattr(store_module, "BATCH", batch)
    ended_long_ago = award(**{"contracts.0.period": {"startDate": "2012-02-01T00:00:00Z", "endDate": "2015-01-31T00:00:00Z"}})
    extended = award(id="000009-2026", date="2026-01-10T09:00:00Z")
    with NoticeStore.open(":memory:") as store:
        plan_import([("h.json", json.dumps({"releases": [ended_long_ago, extended]}).encode())], as_of=AS_OF, store=store)
        guess = find_incumbent(store, YOUNG_CARERS, AS_OF)
        rows = store.connection.execute("SELECT ends FROM award_keys").fetchall()
    assert guess is not None and guess.name == "Carers Trust Camden"
    assert {end for (end,) in rows} == {"2027-01-31"}  # the 2015 end date is gone from the index


def test_a_folder_is_walked_as_its_files_are_checked(tmp_path, monkeypatch):
    """The first file comes before the walk reaches the next folder: a folder is never listed whole."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "t.yaml").write_text("tender: {}\n", encoding="utf-8")
    walked: list[str] = []
    real_walk = os.walk

    def walk(top, *args, **kwargs):
        for root, directories, files in real_walk(top, *args, **kwargs):
            walked.append(os.path.basename(root))
            yield root, directories, files

    monkeypatch.setattr(os, "walk", walk)
    found = discover([str(tmp_path)])
    assert next(found) == str(tmp_path / "a" / "t.yaml")
    assert "b" not in walked
    assert list(found) == [str(tmp_path / "b" / "t.yaml")]


def test_a_folder_without_tender_files_is_still_a_problem_said_first(tmp_path):
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    [problem] = discover([str(tmp_path)])
    assert isinstance(problem, Problem) and "no tender files" in problem.message


def test_a_file_named_twice_and_by_a_hard_link_is_discovered_once(tmp_path):
    (tmp_path / "a.yaml").write_text("tender: {}\n", encoding="utf-8")
    os.link(tmp_path / "a.yaml", tmp_path / "b.yaml")
    found = list(discover([str(tmp_path), str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")]))
    assert found == [str(tmp_path / "a.yaml")]


def test_the_deadline_fields_are_read_as_selection_reads_them():
    """The columns' deadline is facts.first_deadline of the latest value of each field."""
    early = tender_notice("ocds-x-1", 0, "past", "future")
    assert counts([early], keep=False) == counts([early], keep=True)
    assert counts([early], keep=False)["skipped"][SkipReason.CLOSED] == 1
    assert datetime.date.fromisoformat(VALUES["past"][:10]) < AS_OF


@pytest.mark.parametrize("known", [False, True], ids=["found here", "passed in"])
def test_each_award_names_its_own_notice_whatever_the_awards_before_it(known):
    """Award history reads what a release's awards share once; an award without a notice document
    of its own is the release's notice (its id and type), never the award read before it."""
    from bidcheck.ocds.history import award_facts
    from bidcheck.ocds.notice_types import notice_type

    def award(number: int, documents: list) -> dict:
        return {"id": str(number), "status": "active", "suppliers": [{"name": f"Supplier {number}"}],
                "items": [{"classification": {"scheme": "CPV", "id": "85312000"}}], "documents": documents}  # fmt: skip

    release = {
        "ocid": "ocds-x-1", "id": "notice-9", "buyer": {"name": "Camden Council"},
        "tender": {"documents": [{"id": "notice-9", "noticeType": "UK7"}]},
        "awards": [award(1, [{"id": "notice-3", "noticeType": "UK6"}]), award(2, []), award(3, [{"id": "notice-4", "noticeType": "UK6"}]), award(4, [])],
    }  # fmt: skip
    facts = list(award_facts(release, notice_type(release) if known else None))
    assert [(fact.award_id, fact.notice_id, fact.notice_type) for fact in facts] == [
        ("1", "notice-3", "UK6"), ("2", "notice-9", "UK7"), ("3", "notice-4", "UK6"), ("4", "notice-9", "UK7"),
    ]  # fmt: skip
