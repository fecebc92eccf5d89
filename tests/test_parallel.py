"""``--jobs``: a batch checked in several processes reports exactly what one process reports."""

from __future__ import annotations

import json
import pickle
import sys
import textwrap
from pathlib import Path

import pytest

from bidcheck import pipeline, workers
from bidcheck.loader import load_catalogue
from bidcheck.pipeline import CheckOptions, check
from tests.conftest import ROOT, stdout_text

FORMATS = ["text", "json", "markdown", "sarif", "junit", "github", "csv"]


def _generate(folder: Path, count: int) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    generate(folder, count)


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    """60 generated tenders in two folders, plus broken files and a folder with a broken config."""
    root = tmp_path_factory.mktemp("batch")
    _generate(root / "good", 60)
    (root / "good" / "batch000" / "tender-000007-broken.yaml").write_text("tender: [\n", encoding="utf-8")
    (root / "good" / "batch000" / "tender-000020-typo.yaml").write_text(
        "tender:\n  id: T-1\n  title: A typo\n  valeu: 10\n", encoding="utf-8"
    )
    (root / "good" / "batch000" / "tender-000030-binary.yaml").write_bytes(b"\x00\x01\x02binary")
    bad_config = root / "good" / "badconfig"
    bad_config.mkdir()
    (bad_config / "bidcheck.yaml").write_text("organisation:\n  annual_incom: 1\n", encoding="utf-8")
    for index in range(2):
        (bad_config / f"t{index}.yaml").write_text(f"tender:\n  id: BC-{index}\n  title: Under a broken config\n", encoding="utf-8")
    return root


def _run(run_cli, batch: Path, *args: str):
    return run_cli("check", "good", *args, cwd=batch)


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_format_is_byte_for_byte_the_same_with_any_number_of_jobs(run_cli, batch, output_format):
    one = _run(run_cli, batch, "--format", output_format, "--fail-on", "never", "--jobs", "1")
    assert one.returncode == 2  # the broken files and the broken config
    for jobs in ("2", "3", "auto"):
        many = _run(run_cli, batch, "--format", output_format, "--fail-on", "never", "--jobs", jobs)
        assert (many.returncode, many.stdout, many.stderr) == (one.returncode, one.stdout, one.stderr), jobs
    if output_format == "json":
        report = json.loads(stdout_text(one))
        assert len(report["results"]) == 60
        messages = [error["message"] for error in report["errors"]]
        assert sum("annual_incom" in message for message in messages) == 1  # the broken config, once
        assert sum("not checked: its config has errors" in message for message in messages) == 2


def test_extra_reports_are_the_same_with_two_jobs(run_cli, batch, tmp_path):
    outputs = {}
    for jobs in ("1", "2"):
        sarif, junit = tmp_path / f"{jobs}.sarif", tmp_path / f"{jobs}.xml"
        _run(run_cli, batch, "--jobs", jobs, "--report", f"sarif={sarif}", "--report", f"junit={junit}")
        outputs[jobs] = (sarif.read_bytes(), junit.read_bytes())
    assert outputs["1"] == outputs["2"]
    assert len(json.loads(outputs["2"][0])["runs"][0]["properties"]["verdicts"]) == 60


def test_stdin_keeps_its_place_among_files_checked_by_workers(run_cli, batch):
    tender = (batch / "good" / "batch000" / "tender-000000.yaml").read_text(encoding="utf-8").replace("BENCH-000000", "FROM-STDIN")
    args = ("check", "good/batch000", "-", "good/batch001", "--format", "json", "--fail-on", "never")
    one = run_cli(*args, "--jobs", "1", cwd=batch, input=tender)
    two = run_cli(*args, "--jobs", "2", cwd=batch, input=tender)
    assert (two.returncode, two.stdout) == (one.returncode, one.stdout)
    files = [result["file"] for result in json.loads(stdout_text(two))["results"]]
    assert files.index("<stdin>") == sum(1 for name in files if name.startswith("good/batch000/"))


def test_plugin_rules_from_a_file_cross_between_processes(run_cli, batch, tmp_path):
    plugin = tmp_path / "local_rules.py"
    plugin.write_text(
        textwrap.dedent(
            '''
            from bidcheck.api import CALCULATE_THE_IMPACT, Finding, Severity, rule

            @rule("LOC001", title="Every tender is noted", recommendation=CALCULATE_THE_IMPACT, severity=Severity.INFO)
            def every_tender(tender, context):
                """Notes every tender, to show a local rule's findings survive the trip back."""
                yield Finding(field="tender.id", message=f"noted {tender.tender.id}", action="nothing to do")
            '''
        ),
        encoding="utf-8",
    )
    one = _run(run_cli, batch, "--rules", str(plugin), "--format", "json", "--fail-on", "never", "--jobs", "1")
    two = _run(run_cli, batch, "--rules", str(plugin), "--format", "json", "--fail-on", "never", "--jobs", "2")
    assert two.stdout == one.stdout
    results = json.loads(stdout_text(two))["results"]
    assert all(any(finding["rule"] == "LOC001" for finding in result["findings"]) for result in results)


def test_a_worker_that_dies_is_reported_without_a_traceback(run_cli, batch, tmp_path):
    plugin = tmp_path / "dying_rules.py"
    plugin.write_text(
        textwrap.dedent(
            '''
            import multiprocessing, os
            from bidcheck.api import CALCULATE_THE_IMPACT, Severity, rule

            @rule("DIE001", title="Dies in a worker", recommendation=CALCULATE_THE_IMPACT, severity=Severity.INFO)
            def dies(tender, context):
                """Kills the worker process it runs in, as a crash would."""
                if multiprocessing.parent_process() is not None:
                    os._exit(3)
                return []
            '''
        ),
        encoding="utf-8",
    )
    process = _run(run_cli, batch, "--rules", str(plugin), "--format", "json", "--jobs", "2")
    assert process.returncode == 2
    stderr = process.stderr.decode()
    assert "worker process stopped unexpectedly" in stderr
    assert "Traceback" not in stderr


def test_auto_uses_workers_only_for_a_big_batch(batch, monkeypatch):
    calls = []
    real = workers.check_in_workers

    def spy(work, jobs, options, settings_for):
        calls.append(jobs)
        return real(work, jobs, options, settings_for)

    monkeypatch.setattr(workers, "check_in_workers", spy)
    monkeypatch.setattr(pipeline, "available_cpus", lambda: 2)
    monkeypatch.setattr(pipeline, "AUTO_JOBS_FROM", 60)
    files = sorted(str(path) for path in (batch / "good").rglob("tender-*.yaml"))
    assert len(files) >= 60
    list(check(files[:59], CheckOptions()))
    assert calls == []  # below the threshold: one process
    serial = list(check(files, CheckOptions(jobs=1)))
    assert calls == []
    automatic = list(check(files, CheckOptions()))
    assert calls == [2]
    assert [type(item).__name__ for item in automatic] == [type(item).__name__ for item in serial]
    assert [getattr(item, "file", None) for item in automatic] == [getattr(item, "file", None) for item in serial]


def test_jobs_in_process_matches_one_process(invoke, batch, monkeypatch):
    monkeypatch.chdir(batch)
    one = invoke("check", "good", "--format", "json", "--fail-on", "never", "--jobs", "1")
    two = invoke("check", "good", "--format", "json", "--fail-on", "never", "--jobs", "2")
    assert two.exit_code == one.exit_code == 2
    assert json.loads(two.stdout) == json.loads(one.stdout)


@pytest.mark.parametrize("value", ["0", "-1", "x", "1.5", ""])
def test_bad_jobs_values_are_usage_errors(run_cli, batch, value):
    process = _run(run_cli, batch, "--jobs", value)
    assert process.returncode == 2
    assert "--jobs" in process.stderr.decode() and "Traceback" not in process.stderr.decode()


def test_auto_is_accepted_in_any_case(run_cli, batch):
    assert _run(run_cli, batch, "--jobs", "AUTO", "--fail-on", "never").returncode == 2  # 2: the broken files


def test_rules_made_by_the_decorator_travel_as_references():
    built_in = load_catalogue().rules[0].rule
    assert pickle.loads(pickle.dumps(built_in)) is built_in
    assert len(pickle.dumps(built_in)) < 200  # a reference, not the rule's examples and rationale


def _no_findings(tender, context):
    return []


def test_other_rules_travel_whole():
    """A Rule built without @rule (not registered) is pickled by value; its check by name."""
    import dataclasses

    built_in = load_catalogue().rules[0].rule
    copy = dataclasses.replace(built_in, title="A changed copy", check=_no_findings)
    back = pickle.loads(pickle.dumps(copy))
    assert back is not copy and back is not built_in
    assert (back.id, back.title, back.check) == (copy.id, "A changed copy", _no_findings)
