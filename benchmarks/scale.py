"""Issue 12's "speed and scale" measurements: importing a year of notices, triage of a big
batch, and incumbent matching against a large award history. `run.py` calls them side by
side with the check measurements; each returns its figures and its ratios.

Every bidcheck command here must succeed (a failed import is not a fast one), and a command
or option that is missing from the checkout stops the run with a message saying which.
"""

from __future__ import annotations

import shutil
from collections.abc import Collection
from pathlib import Path
from typing import Any

from generate import ensure_tenders
from measure import BenchmarkError, compare, peak_rss_mb, require_options, timed
from notices import AS_OF, MB, generate_notices

BARE_JSON_LOOP = """
import json, sys
with open(sys.argv[1], encoding="utf-8") as lines:
    for line in lines:
        json.loads(line)
"""
# The same loop through bidcheck's own parsing (orjson, json.loads for what it refuses): what
# choosing orjson saves, recorded beside the bare loop (not part of any target).
PARSE_LOOP = """
import sys
from bidcheck.ocds.json_codec import parse
with open(sys.argv[1], encoding="utf-8") as lines:
    for line in lines:
        parse(line)
"""
IMPORTED = (0,)  # import ocds: every input read
CHECKED = (0, 1)  # check and triage: 1 only says some tender reached --fail-on
NEEDS_STORE = "the import measurements need the notice store and --as-of (issue 12): run them on a checkout that has them"
NEEDS_TRIAGE = "the triage measurement needs `bidcheck triage --top N --format json` (issue 12): run it on a checkout that has it"
TOP = 50


def preflight(bin_dir: Path, parts: Collection[str]) -> None:
    """Raise BenchmarkError before anything is measured when a part's command or option is missing."""
    bidcheck = str(bin_dir / "bidcheck")
    if {"import", "incumbent"} & set(parts):
        require_options(bidcheck, ["import", "ocds"], ["--store", "--as-of"], NEEDS_STORE)
    if "triage" in parts:
        require_options(bidcheck, ["triage"], ["--top", "--format"], NEEDS_TRIAGE)


def _import_command(bidcheck: str, notices: Path, output: Path, store: Path) -> list[str]:
    """Issue 12's default import: open notices only (judged as of the fixed date), into ``store``."""
    return [bidcheck, "import", "ocds", str(notices), "-o", str(output), "--store", str(store), "--as-of", AS_OF.isoformat()]


def _fresh(*paths: Path) -> None:
    """Remove output folders and stores (with SQLite's -wal, -shm and -journal files)."""
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
        for sibling in path.parent.glob(path.name + "-*"):
            sibling.unlink()


def _copy_store(store: Path, to: Path) -> None:
    for path in (store, *store.parent.glob(store.name + "-*")):
        shutil.copyfile(path, to.parent / (to.name + path.name[len(store.name) :]))


def _notice_file(folder: Path, megabytes: int) -> tuple[Path, dict[str, Any]]:
    path = folder / f"notices-{megabytes}mb.jsonl"
    made = generate_notices(path, target_bytes=megabytes * MB)
    return path, {"bytes": made.bytes, "releases": made.releases, "procurements": made.procurements, "with_deadline": made.with_deadline, "open": made.open}


def measure_import(bin_dir: Path, work: Path, small_mb: int, large_mb: int, rounds: int) -> tuple[dict[str, Any], dict[str, float], dict[str, float]]:
    """Importing JSON Lines of ``small_mb`` and ``large_mb`` MB: peak memory of each, and
    the large one's time against a bare ``json.loads`` loop over the same lines."""
    bidcheck = str(bin_dir / "bidcheck")
    work.mkdir(parents=True, exist_ok=True)
    files = {size: _notice_file(work, size) for size in (small_mb, large_mb)}
    output, store = work / "tenders", work / "notices.sqlite"
    peaks = {}
    for size, (path, _) in files.items():
        _fresh(output, store)
        peaks[size] = peak_rss_mb(bin_dir, _import_command(bidcheck, path, output, store), work, IMPORTED)
    large = files[large_mb][0]
    seconds = compare(
        {
            "bidcheck import ocds": _import_command(bidcheck, large, output, store),
            "bare json.loads loop": [str(bin_dir / "python"), "-c", BARE_JSON_LOOP, str(large)],
            "the same loop with bidcheck's parse (orjson)": [str(bin_dir / "python"), "-c", PARSE_LOOP, str(large)],
        },
        work,
        rounds,
        IMPORTED,
        before=lambda _: _fresh(output, store),
    )
    _fresh(output, store)
    figures = {
        "as_of": AS_OF.isoformat(),
        "small_mb": small_mb,
        "large_mb": large_mb,
        "files": {size: made for size, (_, made) in files.items()},
        "seconds": seconds,
        "peak_rss_mb": peaks,
    }
    ratios = {
        "import_memory_200_vs_20": peaks[large_mb] / peaks[small_mb],
        "import_vs_bare_loop": seconds["bidcheck import ocds"] / seconds["bare json.loads loop"],
    }
    return figures, ratios, {"import_peak_mib_200": peaks[large_mb]}


def measure_triage(bin_dir: Path, data: Path, small: int, tenders: int, rounds: int) -> tuple[dict[str, Any], dict[str, float]]:
    """``triage --top 50`` against ``check --format json`` over ``tenders`` generated tenders,
    and triage's peak memory at ``small`` and at ``tenders``."""
    bidcheck = str(bin_dir / "bidcheck")
    folders = {size: ensure_tenders(data / f"n{size}", size) for size in (small, tenders)}
    triage = [bidcheck, "triage", ".", "--top", str(TOP), "--format", "json"]
    check = [bidcheck, "check", ".", "--format", "json", "--fail-on", "never"]
    seconds = compare({f"bidcheck triage --top {TOP}": triage, "bidcheck check": check}, folders[tenders], rounds, CHECKED)
    peaks = {size: peak_rss_mb(bin_dir, triage, folder, CHECKED) for size, folder in folders.items()}
    figures = {"small": small, "tenders": tenders, "seconds": seconds, "peak_rss_mb": peaks}
    ratios = {
        "triage_top50_vs_check": seconds[f"bidcheck triage --top {TOP}"] / seconds["bidcheck check"],
        "triage_memory_100k_vs_10k": peaks[tenders] / peaks[small],
    }
    return figures, ratios


def measure_incumbent(bin_dir: Path, work: Path, store_releases: int, latest_releases: int, rounds: int) -> tuple[dict[str, Any], dict[str, float]]:
    """Importing the latest ``latest_releases`` releases into a store already holding
    ``store_releases`` (built once, copied afresh for every run) against into an empty store.

    The history is a year of notices; the latest releases are one day's, so every one of
    their procurements with a deadline is open and looked up in the award history."""
    bidcheck = str(bin_dir / "bidcheck")
    work.mkdir(parents=True, exist_ok=True)
    history, latest = work / f"history-{store_releases}.jsonl", work / f"latest-{latest_releases}.jsonl"
    generate_notices(history, releases=store_releases, namespace="h")
    made = generate_notices(latest, releases=latest_releases, seed=2027, namespace="t", open_share=1.0, span_days=1)
    built, full, empty, output = (work / name for name in ("history.sqlite", "full.sqlite", "empty.sqlite", "tenders"))
    _fresh(built, output)
    build_seconds = timed(_import_command(bidcheck, history, output, built), work, IMPORTED)  # once
    if not built.is_file():
        raise BenchmarkError(f"importing {history.name} with --store {built} left no store there to copy")

    def before(name: str) -> None:
        _fresh(output, full, empty)
        if name == "full store":
            _copy_store(built, full)

    seconds = compare(
        {"full store": _import_command(bidcheck, latest, output, full), "empty store": _import_command(bidcheck, latest, output, empty)},
        work,
        rounds,
        IMPORTED,
        before,
    )
    _fresh(output, full, empty)
    figures = {
        "store_releases": store_releases,
        "latest_releases": latest_releases,
        "latest_open": made.open,
        "store_build_seconds": build_seconds,
        "seconds": seconds,
    }
    return figures, {"incumbent_full_vs_empty_store": seconds["full store"] / seconds["empty store"]}


__all__ = ["BenchmarkError", "measure_import", "measure_incumbent", "measure_triage", "preflight"]
