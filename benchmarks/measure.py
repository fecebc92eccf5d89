"""How the benchmark measures: wall time of commands run alternately, and peak resident memory."""

from __future__ import annotations

import re
import statistics
import subprocess
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Optional

PEAK_RSS = """
import resource, subprocess, sys
process = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
sys.stderr.buffer.write(process.stderr[-2000:])
print(process.returncode)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


class BenchmarkError(Exception):
    """A measurement cannot be made: a command failed or lacks an option the measurement needs."""


def timed(command: list[str], cwd: Path, ok: Optional[Collection[int]] = None) -> float:
    """Wall time of ``command`` in seconds. With ``ok``, an exit status outside it raises
    BenchmarkError (with the end of stderr): a failed run is not a fast one."""
    start = time.perf_counter()
    process = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE if ok is not None else subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    if ok is not None:
        _check_status(command, process.returncode, process.stderr, ok)
    return seconds


def compare(
    commands: dict[str, list[str]],
    cwd: Path,
    rounds: int,
    ok: Optional[Collection[int]] = None,
    before: Optional[Callable[[str], None]] = None,
) -> dict[str, float]:
    """Median wall time of each command, run alternately so drift affects them alike.

    ``before(name)`` runs untimed before every run of that command (a fresh store, an empty
    output folder); ``ok`` as in ``timed``."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for warm_up in (True, *([False] * rounds)):  # one warm-up each, not counted
        for name, command in commands.items():
            if before:
                before(name)
            seconds = timed(command, cwd, ok)
            if not warm_up:
                times[name].append(seconds)
    return {name: statistics.median(values) for name, values in times.items()}


def peak_rss_mb(bin_dir: Path, command: list[str], cwd: Path, ok: Optional[Collection[int]] = None) -> float:
    """Peak resident memory (MiB) of the largest process ``command`` starts, itself included."""
    output = subprocess.run([str(bin_dir / "python"), "-c", PEAK_RSS, *command], cwd=cwd, capture_output=True, text=True, check=True)
    status, kibibytes = output.stdout.split()
    if ok is not None:
        _check_status(command, int(status), output.stderr.encode(), ok)
    return int(kibibytes) / 1024  # ru_maxrss is in KiB on Linux


def require_options(bidcheck: str, command: list[str], options: list[str], why: str) -> None:
    """Raise BenchmarkError naming what is missing unless ``bidcheck COMMAND --help`` lists every option."""
    process = subprocess.run([bidcheck, *command, "--help"], capture_output=True, text=True)
    shown = " ".join(command)
    if process.returncode != 0:
        raise BenchmarkError(f"`bidcheck {shown}` does not exist in this checkout; {why}")
    missing = [option for option in options if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", process.stdout)]
    if missing:
        raise BenchmarkError(f"`bidcheck {shown}` has no {', '.join(missing)} in this checkout; {why}")


def _check_status(command: list[str], status: int, stderr: bytes, ok: Collection[int]) -> None:
    if status not in ok:
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise BenchmarkError(f"`{' '.join(command)}` exited {status}:\n  " + "\n  ".join(tail))
