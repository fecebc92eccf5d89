"""The benchmark's generated tenders are valid and varied (the benchmark itself is not a test)."""

from __future__ import annotations

import datetime
import functools
import importlib.util
import json
import subprocess
import sys
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import ROOT, console_script, stdout_text


def test_generated_tenders_are_valid_and_cover_every_verdict(tmp_path, run_cli):
    spec = importlib.util.spec_from_file_location("benchmark_generate", ROOT / "benchmarks" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    generate.generate(tmp_path / "data", 200)
    again = tmp_path / "again"
    generate.generate(again, 200)
    first = sorted(p.read_bytes() for p in (tmp_path / "data").rglob("*.yaml"))
    assert first == sorted(p.read_bytes() for p in again.rglob("*.yaml"))  # deterministic

    report = json.loads(stdout_text(run_cli("check", "data", "--format", "json", "--fail-on", "never", cwd=tmp_path)))
    assert report["errors"] == []
    assert all(report["summary"][verdict] > 0 for verdict in ("bid", "bid-with-conditions", "needs-info", "no-bid"))
    assert any(f["waived"] for result in report["results"] for f in result["findings"])


# --- benchmarks/notices.py: a year of notices replayed from the real ones -----------------

SHARED = ROOT.parent / "shared" / "data" / "ocds"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/ocds is not present")
REAL_RELEASES = 780 + 955  # SOURCES.md: the seven files, and fts/
TENDER_TAGS = {"tender", "tenderAmendment", "tenderUpdate", "planning,tender"}
AWARD_TAGS = {"award", "awardUpdate", "award,contract", "awardUpdate,contractUpdate", "contractAmendment", "contractTermination", "implementation"}


@functools.lru_cache
def _benchmark_module(name: str):
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def notices():
    return _benchmark_module("notices")


@pytest.fixture(scope="module")
def two_megabytes(tmp_path_factory):
    notices = _benchmark_module("notices")
    path = tmp_path_factory.mktemp("notices") / "notices.jsonl"
    made = notices.generate_notices(path, target_bytes=2 * notices.MB)
    return path, made, [json.loads(line) for line in path.read_bytes().split(b"\n") if line]  # JSON Lines: lines end at \n only


def _share(tags: Counter, group: set[str]) -> float:
    return sum(count for tag, count in tags.items() if tag in group) / sum(tags.values())


@needs_shared
def test_notice_generator_replays_every_real_release(notices):
    assert len(notices.real_releases()) == REAL_RELEASES


@needs_shared
def test_the_same_seed_gives_the_same_notices_and_another_seed_others(notices, tmp_path, two_megabytes):
    path, _, _ = two_megabytes
    again, other = tmp_path / "again.jsonl", tmp_path / "other.jsonl"
    notices.generate_notices(again, target_bytes=2 * notices.MB)
    notices.generate_notices(other, target_bytes=2 * notices.MB, seed=7)
    assert again.read_bytes() == path.read_bytes()
    assert other.read_bytes() != path.read_bytes()


@needs_shared
@pytest.mark.parametrize("megabytes", [1, 3])
def test_notice_file_is_its_size_within_a_few_percent(notices, tmp_path, megabytes):
    path = tmp_path / "notices.jsonl"
    made = notices.generate_notices(path, target_bytes=megabytes * notices.MB)
    assert made.bytes == path.stat().st_size
    assert 0.97 * megabytes * notices.MB <= made.bytes <= megabytes * notices.MB


@pytest.fixture(scope="module")
def into_a_second_round(tmp_path_factory):
    path = tmp_path_factory.mktemp("notices") / "notices.jsonl"
    made = _benchmark_module("notices").generate_notices(path, releases=REAL_RELEASES + 200)
    return made, [json.loads(line) for line in path.read_bytes().split(b"\n") if line]  # JSON Lines: lines end at \n only


@needs_shared
def test_notice_file_by_releases_has_exactly_that_many_lines(into_a_second_round):
    made, releases = into_a_second_round
    assert made.releases == len(releases) == REAL_RELEASES + 200


@needs_shared
def test_every_line_is_an_ocds_release_with_a_fresh_unique_ocid_and_id(notices, into_a_second_round):
    _, releases = into_a_second_round  # more than one round: replays must not collide
    real_ocids = {release["ocid"] for release in notices.real_releases()}
    for release in releases:
        # OCDS 1.1 release schema: required ocid, id, date, tag, initiationType
        assert isinstance(release["ocid"], str) and release["ocid"].startswith("ocds-")
        assert isinstance(release["id"], str) and release["id"]
        assert datetime.datetime.fromisoformat(release["date"].replace("Z", "+00:00"))
        assert isinstance(release["tag"], list) and release["tag"]
        assert release["initiationType"] == "tender"
        assert release["ocid"] not in real_ocids
    assert len({(release["ocid"], release["id"]) for release in releases}) == len(releases)
    assert len({release["id"] for release in releases}) == len(releases)


@needs_shared
def test_a_procurement_keeps_its_releases_together_under_one_fresh_ocid(notices, two_megabytes):
    _, made, releases = two_megabytes
    ocids = [release["ocid"] for release in releases]
    assert len(set(ocids)) == made.procurements
    runs = sum(1 for index, ocid in enumerate(ocids) if index == 0 or ocids[index - 1] != ocid)
    assert runs == made.procurements  # each ocid's releases are adjacent


@needs_shared
def test_the_mix_of_tenders_awards_and_contracts_is_the_real_one(notices, two_megabytes):
    _, made, releases = two_megabytes
    real = Counter(",".join(release["tag"]) for release in notices.real_releases())
    generated = Counter(",".join(release["tag"]) for release in releases)
    assert generated == made.tags
    for group in (TENDER_TAGS, AWARD_TAGS):
        assert abs(_share(generated, group) - _share(real, group)) < 0.04
    fts = Counter(",".join(release["tag"]) for release in releases if release["ocid"].startswith("ocds-h6vhtk-"))
    assert 0.6 < _share(fts, AWARD_TAGS) < 0.75  # Find a Tender: about 2/3 award and contract notices


@needs_shared
def test_a_known_share_of_procurements_is_open_as_of_the_fixed_date(notices, two_megabytes):
    from bidcheck.ocds.facts import first_deadline

    _, made, releases = two_megabytes
    latest: dict[str, datetime.date] = {}
    for release in releases:  # in date order within a procurement: the latest deadline counts
        deadline = first_deadline(release.get("tender"))
        if deadline is not None:
            latest[release["ocid"]] = deadline
    open_ = sum(deadline >= notices.AS_OF for deadline in latest.values())
    assert (len(latest), open_) == (made.with_deadline, made.open)
    assert abs(open_ / len(latest) - notices.OPEN_SHARE) < 0.04
    assert any(deadline < notices.AS_OF - datetime.timedelta(days=180) for deadline in latest.values())  # spread over the year


@needs_shared
def test_every_date_of_a_release_moves_by_the_same_days_so_periods_keep_their_length(notices, two_megabytes):
    _, _, releases = two_megabytes
    real = {release["id"]: release for release in notices.real_releases() if "id" in release}
    checked = 0
    for release in releases:
        original = real.get(release["id"].rsplit("-", 1)[0])
        period = release.get("tender", {}).get("tenderPeriod")
        if original is None or not isinstance(period, dict) or "endDate" not in period:
            continue
        moved = notices._date(release["date"]) - notices._date(original["date"])
        assert notices._date(period["endDate"]) - notices._date(original["tender"]["tenderPeriod"]["endDate"]) == moved
        checked += 1
    assert checked > 100


@given(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 1, 1)),
    st.sampled_from(["", "T09:42:00+01:00", "T14:59:00Z", "T00:00:00.000Z", "T10:00"]),
    st.integers(-5000, 5000),
)
def test_shifting_a_date_keeps_its_time_and_zone_and_can_be_undone(day, time, days):
    notices = _benchmark_module("notices")
    text = day.isoformat() + time
    moved = notices.shift_date(text, days)
    assert moved.endswith(time)
    assert datetime.date.fromisoformat(moved[:10]) - day == datetime.timedelta(days=days)
    assert notices.shift_date(moved, -days) == text


@given(st.text())
def test_text_that_is_not_a_date_is_never_shifted(text):
    notices = _benchmark_module("notices")
    if notices._DATE.fullmatch(text) is None:
        assert notices.shift_date(text, 30) == text


@needs_shared
def test_generated_notices_import_with_no_error(run_cli, tmp_path, notices):
    path = tmp_path / "notices.jsonl"
    notices.generate_notices(path, target_bytes=notices.MB)
    process = run_cli("import", "ocds", str(path), "-o", str(tmp_path / "tenders"))
    assert process.returncode == 0, process.stderr


def test_notice_generator_without_the_real_notices_says_where_it_looked(tmp_path):
    process = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "notices.py"), str(tmp_path / "out.jsonl"), "--mb", "1", "--source", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
    )
    assert process.returncode == 2
    assert str(tmp_path / "nowhere") in process.stderr
    assert not (tmp_path / "out.jsonl").exists()


# --- benchmarks/measure.py: a part whose command lacks an option stops the run, saying which --


def test_benchmark_names_the_option_a_command_lacks():
    measure = _benchmark_module("measure")
    with pytest.raises(measure.BenchmarkError, match="--no-such-option") as raised:
        measure.require_options(console_script(), ["import", "ocds"], ["--output", "--no-such-option"], "needed here")
    assert "--output" not in str(raised.value)
    measure.require_options(console_script(), ["import", "ocds"], ["--output", "-o"], "needed here")


def test_benchmark_names_a_command_the_checkout_lacks():
    measure = _benchmark_module("measure")
    with pytest.raises(measure.BenchmarkError, match="no-such-command"):
        measure.require_options(console_script(), ["no-such-command"], ["--top"], "needed here")


def test_a_failed_command_is_an_error_not_a_fast_time(tmp_path):
    measure = _benchmark_module("measure")
    with pytest.raises(measure.BenchmarkError, match="exited 2"):
        measure.timed([console_script(), "import", "ocds", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "out")], tmp_path, ok=(0,))
