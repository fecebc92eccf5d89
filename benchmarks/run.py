"""bidcheck's benchmark: `python benchmarks/run.py` (see docs/performance.md).

Builds its own virtual environment (bidcheck from this checkout, yamllint, check-jsonschema),
generates tenders with generate.py and notices with notices.py, then times the commands
compared, alternating them round by round, and prints medians and ratios against the
targets: checking tenders, and issue 12's importing, triage and incumbent matching at scale
(scale.py). Nothing here is a test.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))
from generate import ensure_tenders  # noqa: E402
from ledger import measure_ledger, preflight_ledger  # noqa: E402
from measure import BenchmarkError, compare, peak_rss_mb  # noqa: E402
from notices import REAL_NOTICES  # noqa: E402
from record import FIGURES, TARGETS, label_of, record, value_of  # noqa: E402
from scale import measure_import, measure_incumbent, measure_triage, preflight  # noqa: E402

BARE_LOOP = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""
FORMATS = ("text", "json", "markdown", "sarif", "junit", "github", "csv")
PARTS = ("check", "import", "triage", "incumbent", "ledger")
# The sizes, and --quick's: notice files (MB), triage batches (tenders), award history (releases).
SIZES = {
    "full": {"notices_mb": (20, 200), "triage": (10_000, 100_000), "store": 100_000},
    "quick": {"notices_mb": (5, 50), "triage": (2_000, 20_000), "store": 10_000},
}
LATEST_RELEASES = 1_000
# The import and incumbent comparisons take seconds a round, and one round on a shared machine
# varied by a fifth between runs: they always take the median of at least this many rounds.
SHORT_PART_ROUNDS = 3


def environment(fresh: bool) -> Path:
    target = OUT / "venv"
    # setuptools reuses ./build: a module deleted or renamed since an earlier build would be
    # installed again beside its successor (two modules defining one rule id).
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    if fresh and target.exists():
        shutil.rmtree(target)
    pip = [str(target / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    if not (target / "bin" / "bidcheck").exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(target)
        subprocess.run([*pip, str(ROOT), "yamllint", "check-jsonschema"], check=True)
    else:  # keep the peers, refresh bidcheck from this checkout (and install a dependency it has gained)
        subprocess.run([*pip, str(ROOT)], check=True)
        subprocess.run([*pip, "--no-deps", "--force-reinstall", str(ROOT)], check=True)
    return target / "bin"


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "CPU"


def versions(bin_dir: Path) -> dict[str, str]:
    def first_line(*command: str) -> str:
        return subprocess.run(command, capture_output=True, text=True).stdout.strip().splitlines()[0]

    return {
        "python": first_line(str(bin_dir / "python"), "--version"),
        "bidcheck": first_line(str(bin_dir / "bidcheck"), "--version"),
        "yamllint": first_line(str(bin_dir / "yamllint"), "--version"),
        "check-jsonschema": first_line(str(bin_dir / "check-jsonschema"), "--version"),
    }


def measure_check(bin_dir: Path, data: Path, tenders: int, rounds: int, with_100k: bool) -> tuple[dict[str, Any], dict[str, float]]:
    """One tender against yamllint and check-jsonschema, a batch against a bare parse and
    yamllint, --jobs 2 against --jobs 1, and peak memory by size and format."""
    bidcheck, yamllint, check_jsonschema = (str(bin_dir / name) for name in ("bidcheck", "yamllint", "check-jsonschema"))
    sizes = sorted({1_000, tenders} | ({100_000} if with_100k else set()))
    folders = {size: ensure_tenders(data / f"n{size}", size) for size in sizes}
    single = data / "single"
    single.mkdir(parents=True, exist_ok=True)
    shutil.copy(folders[1_000] / "bidcheck.yaml", single / "bidcheck.yaml")
    shutil.copy(folders[1_000] / "batch000" / "tender-000000.yaml", single / "one.yaml")
    (single / "tender.schema.json").write_text(subprocess.run([bidcheck, "schema", "tender"], capture_output=True, text=True, check=True).stdout)

    single_times = compare(
        {
            "bidcheck": [bidcheck, "check", "one.yaml", "--format", "json", "--fail-on", "never"],
            "yamllint": [yamllint, "one.yaml"],
            "check-jsonschema": [check_jsonschema, "--schemafile", "tender.schema.json", "one.yaml"],
        },
        single,
        max(rounds * 4, 10),
    )
    batch_commands = {
        "bidcheck": [bidcheck, "check", ".", "--format", "json", "--fail-on", "never"],
        "bare CSafeLoader loop": [str(bin_dir / "python"), "-c", BARE_LOOP, "."],
        "yamllint": [yamllint, "."],
        "bidcheck --jobs 1": [bidcheck, "check", ".", "--format", "json", "--fail-on", "never", "--jobs", "1"],
        "bidcheck --jobs 2": [bidcheck, "check", ".", "--format", "json", "--fail-on", "never", "--jobs", "2"],
    }
    batch_times = compare(batch_commands, folders[tenders], rounds)
    memory = {size: peak_rss_mb(bin_dir, [bidcheck, "check", ".", "--format", "json", "--fail-on", "never"], folder) for size, folder in folders.items()}
    # The other formats at 1,000 and at the batch size (json is above): the streaming ones must stay flat.
    memory_by_format = {
        name: {size: peak_rss_mb(bin_dir, [bidcheck, "check", ".", "--format", name, "--fail-on", "never"], folders[size]) for size in (1_000, tenders)}
        for name in FORMATS
        if name != "json"
    }
    figures = {"single": single_times, "batch": {"tenders": tenders, **batch_times}, "peak_rss_mb": memory, "peak_rss_mb_by_format": memory_by_format}
    ratios = {
        "single_vs_yamllint": single_times["bidcheck"] / single_times["yamllint"],
        "single_vs_check_jsonschema": single_times["bidcheck"] / single_times["check-jsonschema"],
        "batch_vs_bare_loop": batch_times["bidcheck"] / batch_times["bare CSafeLoader loop"],
        "batch_vs_yamllint": batch_times["bidcheck"] / batch_times["yamllint"],
        "memory_batch_vs_1000": memory[tenders] / memory[1_000],
        "jobs2_vs_jobs1": batch_times["bidcheck --jobs 2"] / batch_times["bidcheck --jobs 1"],
    }
    return figures, ratios


def report(figures: dict[str, Any]) -> None:
    """The run's figures on stdout: times, peaks, then every target measured, met or not."""
    print(f"machine: {figures['machine']}")
    for name, version in figures["versions"].items():
        print(f"{name}: {version}")
    if "single" in figures:
        batch = figures["batch"]
        for title, times in (("single tender", figures["single"]), (f"batch of {batch['tenders']} tenders", batch)):
            print(f"\n{title} (median seconds):")
            for name, seconds in times.items():
                if name != "tenders":
                    print(f"  {name:28} {seconds:8.3f}")
        print("\npeak resident memory of the largest process, --format json (MiB):")
        for size, megabytes in figures["peak_rss_mb"].items():
            print(f"  {size:>8} tenders {megabytes:10.1f}")
        print(f"\npeak resident memory of the other formats (MiB), 1000 -> {batch['tenders']} tenders:")
        for name, by_size in figures["peak_rss_mb_by_format"].items():
            small, large = by_size["1000"], by_size[str(batch["tenders"])]
            print(f"  {name:10} {small:8.1f} {large:8.1f}   x{large / small:.2f}")
    for part in ("import", "triage", "incumbent", "ledger"):
        if part in figures:
            print(f"\n{part}:")
            for name, value in figures[part].items():
                print(f"  {name:28} {json.dumps(value)}")
    print("\ntargets:")
    for target in TARGETS:
        value = value_of(figures, target)
        if value is not None:
            print(f"  {label_of(figures, target):72} {value:8.2f}   target <= {target.limit:<6.4g} {'met' if value <= target.limit else 'NOT MET'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenders", type=int, default=10_000, help="batch size for check (default 10,000)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per comparison (default 5)")
    parser.add_argument("--with-100k", action="store_true", help="also measure check's peak memory at 100,000 tenders")
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, one round: 2,000 tenders, 5 and 50 MB of notices, 2,000 and 20,000 for triage, a 10,000-release store"
    )
    parser.add_argument("--only", choices=PARTS, action="append", help="measure only this part (repeatable; default all): " + ", ".join(PARTS))
    parser.add_argument("--fresh", action="store_true", help="rebuild the benchmark's virtual environment")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--record", action="store_true", help="write the figures into docs/performance.md, docs/performance.json and the README")
    options = parser.parse_args()
    if options.record and (options.only or options.quick):
        parser.error("--record keeps a full run of every part: leave out --only and --quick")
    if options.quick:
        options.tenders, options.rounds = 2_000, 1
    sizes = SIZES["quick" if options.quick else "full"]
    parts = options.only or PARTS
    if {"import", "incumbent"} & set(parts) and not REAL_NOTICES.is_dir():
        parser.exit(2, f"run.py: the notice measurements replay the real notices in {REAL_NOTICES} (../shared/data/ocds beside the checkout); not found\n")

    bin_dir = environment(options.fresh)
    figures: dict[str, Any] = {
        "date": datetime.date.today().isoformat(),
        "command": "python benchmarks/run.py " + " ".join(sys.argv[1:]),
        "machine": f"{platform.machine()} {_cpu_name()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        "machine_short": f"{os.cpu_count()}-core machine",
        "versions": versions(bin_dir),
        "ratios": {},
    }
    data = OUT / "data"
    try:
        preflight(bin_dir, parts)
        if "ledger" in parts:
            preflight_ledger(str(bin_dir / "bidcheck"))
        if "check" in parts:
            measured, ratios = measure_check(bin_dir, data, options.tenders, options.rounds, options.with_100k)
            figures.update(measured)
            figures["ratios"].update(ratios)
        if "import" in parts:
            rounds = options.rounds if options.quick else max(options.rounds, SHORT_PART_ROUNDS)
            figures["import"], ratios, figures["absolute"] = measure_import(bin_dir, OUT / "notices", *sizes["notices_mb"], rounds)
            figures["ratios"].update(ratios)
        if "triage" in parts:
            figures["triage"], ratios = measure_triage(bin_dir, data, *sizes["triage"], options.rounds)
            figures["ratios"].update(ratios)
        if "incumbent" in parts:
            rounds = options.rounds if options.quick else max(options.rounds, SHORT_PART_ROUNDS)
            figures["incumbent"], ratios = measure_incumbent(bin_dir, OUT / "incumbent", sizes["store"], LATEST_RELEASES, rounds)
            figures["ratios"].update(ratios)
        if "ledger" in parts:
            figures["ledger"], ratios, absolute = measure_ledger(bin_dir, data, options.tenders, options.rounds)
            figures["ratios"].update(ratios)
            figures.setdefault("absolute", {}).update(absolute)
    except BenchmarkError as error:
        print(f"run.py: {error}", file=sys.stderr)
        return 2
    figures = json.loads(json.dumps(figures))  # as recorded: sizes become text keys

    report(figures)
    if options.record:
        record(figures)
        print(f"\nrecorded in {FIGURES.relative_to(ROOT)}, docs/performance.md and README.md")
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
