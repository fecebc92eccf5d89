"""bidcheck's benchmark: `python benchmarks/run.py` (see docs/performance.md).

Builds its own virtual environment (bidcheck from this checkout, yamllint, check-jsonschema),
generates tenders with generate.py, then times the commands compared, alternating them
round by round, and prints medians and ratios against the targets. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import venv
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402
from record import FIGURES, TARGETS, record  # noqa: E402

BARE_LOOP = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""
FORMATS = ("text", "json", "markdown", "sarif", "junit", "github", "csv")
PEAK_RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def environment(fresh: bool) -> Path:
    target = OUT / "venv"
    if fresh and target.exists():
        shutil.rmtree(target)
    if not (target / "bin" / "bidcheck").exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(target)
        pip = [str(target / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, str(ROOT), "yamllint", "check-jsonschema"], check=True)
    else:  # keep the peers, refresh bidcheck from this checkout
        subprocess.run([str(target / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", str(ROOT)], check=True)
    return target / "bin"


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def compare(commands: dict[str, list[str]], cwd: Path, rounds: int) -> dict[str, float]:
    """Median wall time of each command, run alternately so drift affects them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for name, command in commands.items():  # one warm-up each
        timed(command, cwd)
    for _ in range(rounds):
        for name, command in commands.items():
            times[name].append(timed(command, cwd))
    return {name: statistics.median(values) for name, values in times.items()}


def peak_rss_mb(bin_dir: Path, command: list[str], cwd: Path) -> float:
    output = subprocess.run([str(bin_dir / "python"), "-c", PEAK_RSS, *command], cwd=cwd, capture_output=True, text=True, check=True)
    return int(output.stdout.strip()) / 1024  # ru_maxrss is in KiB on Linux


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenders", type=int, default=10_000, help="batch size (default 10,000)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per comparison (default 5)")
    parser.add_argument("--with-100k", action="store_true", help="also measure peak memory at 100,000 tenders")
    parser.add_argument("--fresh", action="store_true", help="rebuild the benchmark's virtual environment")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--record", action="store_true", help="write the figures into docs/performance.md, docs/performance.json and the README")
    options = parser.parse_args()

    bin_dir = environment(options.fresh)
    bidcheck, yamllint, check_jsonschema = (str(bin_dir / name) for name in ("bidcheck", "yamllint", "check-jsonschema"))
    data = OUT / "data"
    sizes = sorted({1_000, options.tenders} | ({100_000} if options.with_100k else set()))
    folders = {}
    for size in sizes:
        folder = data / f"n{size}"
        if not (folder / "bidcheck.yaml").exists() or len(list(folder.rglob("tender-*.yaml"))) != size:
            shutil.rmtree(folder, ignore_errors=True)
            generate(folder, size)
        folders[size] = folder

    single = data / "single"
    single.mkdir(parents=True, exist_ok=True)
    shutil.copy(folders[1_000] / "bidcheck.yaml", single / "bidcheck.yaml")
    shutil.copy(folders[1_000] / "batch000" / "tender-000000.yaml", single / "one.yaml")
    (single / "tender.schema.json").write_text(subprocess.run([bidcheck, "schema", "tender"], capture_output=True, text=True, check=True).stdout)

    figures: dict[str, Any] = {
        "date": datetime.date.today().isoformat(),
        "command": "python benchmarks/run.py " + " ".join(sys.argv[1:]),
        "machine": f"{platform.machine()} {_cpu_name()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        "machine_short": f"{os.cpu_count()}-core machine",
        "versions": versions(bin_dir),
    }
    single_times = compare(
        {
            "bidcheck": [bidcheck, "check", "one.yaml", "--format", "json", "--fail-on", "never"],
            "yamllint": [yamllint, "one.yaml"],
            "check-jsonschema": [check_jsonschema, "--schemafile", "tender.schema.json", "one.yaml"],
        },
        single,
        max(options.rounds * 4, 10),
    )
    batch = folders[options.tenders]
    batch_commands = {
        "bidcheck": [bidcheck, "check", ".", "--format", "json", "--fail-on", "never"],
        "bare CSafeLoader loop": [str(bin_dir / "python"), "-c", BARE_LOOP, "."],
        "yamllint": [yamllint, "."],
        "bidcheck --jobs 1": [bidcheck, "check", ".", "--format", "json", "--fail-on", "never", "--jobs", "1"],
        "bidcheck --jobs 2": [bidcheck, "check", ".", "--format", "json", "--fail-on", "never", "--jobs", "2"],
    }
    batch_times = compare(batch_commands, batch, options.rounds)
    memory = {size: peak_rss_mb(bin_dir, [bidcheck, "check", ".", "--format", "json", "--fail-on", "never"], folder) for size, folder in folders.items()}
    # The other formats at 1,000 and at the batch size (json is above): the streaming ones must stay flat.
    memory_by_format = {
        name: {size: peak_rss_mb(bin_dir, [bidcheck, "check", ".", "--format", name, "--fail-on", "never"], folders[size]) for size in (1_000, options.tenders)}
        for name in FORMATS
        if name != "json"
    }

    figures.update(single=single_times, batch={"tenders": options.tenders, **batch_times}, peak_rss_mb=memory, peak_rss_mb_by_format=memory_by_format)
    figures["ratios"] = {
        "single_vs_yamllint": single_times["bidcheck"] / single_times["yamllint"],
        "single_vs_check_jsonschema": single_times["bidcheck"] / single_times["check-jsonschema"],
        "batch_vs_bare_loop": batch_times["bidcheck"] / batch_times["bare CSafeLoader loop"],
        "batch_vs_yamllint": batch_times["bidcheck"] / batch_times["yamllint"],
        "memory_batch_vs_1000": memory[options.tenders] / memory[1_000],
        "jobs2_vs_jobs1": batch_times["bidcheck --jobs 2"] / batch_times["bidcheck --jobs 1"],
    }
    figures = json.loads(json.dumps(figures))  # as recorded: sizes become text keys

    print(f"machine: {figures['machine']}")
    for name, version in figures["versions"].items():
        print(f"{name}: {version}")
    for title, times in (("single tender", single_times), (f"batch of {options.tenders} tenders", batch_times)):
        print(f"\n{title} (median seconds):")
        for name, seconds in times.items():
            print(f"  {name:28} {seconds:8.3f}")
    print("\npeak resident memory of the largest process, --format json (MiB):")
    for size, megabytes in memory.items():
        print(f"  {size:>8} tenders {megabytes:10.1f}")
    print(f"\npeak resident memory of the other formats (MiB), 1000 -> {options.tenders} tenders:")
    for name, by_size in memory_by_format.items():
        print(f"  {name:10} {by_size[1_000]:8.1f} {by_size[options.tenders]:8.1f}   x{by_size[options.tenders] / by_size[1_000]:.2f}")
    print("\nratios:")
    for key, label, target in TARGETS:
        ratio = figures["ratios"][key]
        print(f"  {label:48} {ratio:6.2f}   target <= {target:<5} {'met' if ratio <= target else 'NOT MET'}")
    if options.record:
        record(figures)
        print(f"\nrecorded in {FIGURES.relative_to(ROOT)}, docs/performance.md and README.md")
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
