"""However the main process ends, no worker outlives it and no temporary report survives it.

A real ``--jobs 3`` batch (a few hundred generated tenders) is started with its stdout a
pipe nobody reads, so it is certain to be mid-run, blocked on a full pipe, with its workers
alive and a temporary report beside the SARIF report. Then the main process is signalled.
Worker processes are found and watched through /proc (Linux), with a bounded wait.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, console_script

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="watches processes through /proc")

TENDERS = 300
WORKERS = 2  # --jobs 3: this process and two workers
BOUND = 60.0  # seconds: a generous limit on waiting, never a measured duration


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("benchmark_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = tmp_path_factory.mktemp("signals")
    module.generate(folder / "tenders", TENDERS, 2026)
    return folder


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and _field(int(entry), 1) == str(pid):
            found.append(int(entry))
    return found


def _field(pid: int, index: int) -> str | None:
    """A field of /proc/PID/stat after the command name: 0 is the state, 1 the parent's pid."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[index]
    except (OSError, IndexError):
        return None


def _alive(pid: int) -> bool:
    """Running or sleeping; a zombie has ended (only its exit status waits to be collected)."""
    return _field(pid, 0) not in (None, "Z", "X")


def _until(condition, what: str) -> None:
    deadline = time.monotonic() + BOUND
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting after {BOUND:.0f}s for {what}")
        time.sleep(0.05)


def _temporaries(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


def _start(batch: Path, jobs: int) -> tuple[subprocess.Popen, list[int]]:
    """A batch mid-run: a temporary report exists and, with --jobs, every worker has started."""
    process = subprocess.Popen(
        [console_script(), "check", "tenders", "--jobs", str(jobs), "--report", "sarif=report.sarif"],
        cwd=batch,
        stdout=subprocess.PIPE,  # not read until signalled: the run blocks on a full pipe
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
        # A test runner started in the background ignores Ctrl-C; the run under test must not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    _until(lambda: _temporaries(batch) and len(_children(process.pid)) >= jobs - 1, "the run to start its workers")
    return process, _children(process.pid)


def _finish(process: subprocess.Popen, workers: list[int]) -> tuple[int, str]:
    try:
        _, stderr = process.communicate(timeout=BOUND)
        _until(lambda: not any(_alive(pid) for pid in workers), "every worker to end")
    finally:
        for pid in workers:  # never leave a hung worker behind, even when the test fails
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, stderr.decode("utf-8")


@pytest.mark.parametrize("jobs", [1, 3])
def test_sigterm_ends_the_run_with_143_and_leaves_no_worker_or_temporary_report(batch, jobs):
    process, workers = _start(batch, jobs)
    process.send_signal(signal.SIGTERM)
    status, stderr = _finish(process, workers)
    assert status == 143 and "Traceback" not in stderr
    assert _temporaries(batch) == [] and not (batch / "report.sarif").exists()


@pytest.mark.parametrize("jobs", [1, 3])
def test_ctrl_c_ends_the_run_with_130_saying_interrupted_and_leaves_nothing_behind(batch, jobs):
    process, workers = _start(batch, jobs)
    process.send_signal(signal.SIGINT)
    status, stderr = _finish(process, workers)
    assert status == 130 and "interrupted" in stderr and "Traceback" not in stderr
    assert _temporaries(batch) == [] and not (batch / "report.sarif").exists()


def test_no_worker_outlives_a_main_process_killed_outright(batch):
    process, workers = _start(batch, 3)
    assert len(workers) == WORKERS
    process.kill()  # SIGKILL: no handler runs, so the workers must notice by themselves
    status, _ = _finish(process, workers)
    assert status == -signal.SIGKILL
    for leftover in _temporaries(batch):  # SIGKILL allows no cleanup; tidy for the next test
        (batch / leftover).unlink()


def test_a_worker_ends_at_end_of_file_when_its_pipe_closes_even_with_other_workers_running():
    """The portable path: no worker holds a copy of another's pipe end (or of its own main-side end)."""
    from bidcheck.pipeline import CheckOptions, SettingsCache
    from bidcheck.workers import _Worker

    options = CheckOptions()
    settings_for = SettingsCache(options)
    first = _Worker.start(options, settings_for, [])
    second = _Worker.start(options, settings_for, [first])
    try:
        first.connection.close()  # as if the main process had gone, for the first worker
        first.process.join(timeout=BOUND)
        assert first.process.exitcode == 0
        second.connection.close()
        second.process.join(timeout=BOUND)
        assert second.process.exitcode == 0
    finally:
        for worker in (first, second):
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
