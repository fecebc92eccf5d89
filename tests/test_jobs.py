"""``check --jobs``: whatever the number of processes, bidcheck says exactly what one process says.

Batches come from ``benchmarks/generate.py`` (realistic tenders with a bidcheck.yaml),
generated once per module, with broken files, broken configs, stdin and plugin rules mixed
in. Every comparison is of the whole run: stdout bytes, stderr bytes and exit status, with
the output also read back by a real parser to show it holds one entry per tender, in order.

How the work is split (``bidcheck.workers``): files go out in chunks of 50; the first chunks
(up to three per worker) always go to a worker, so a batch of 60 files or more is certain to
put tenders through a worker process.
"""

from __future__ import annotations

import csv
import dataclasses
import importlib.util
import io
import json
import pickle
import re
import shutil
import subprocess
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from bidcheck import pipeline, workers
from bidcheck.api import CALCULATE_THE_IMPACT, Rule, Severity
from bidcheck.decide import TenderResult
from bidcheck.loader import load_catalogue
from bidcheck.pipeline import CheckOptions
from bidcheck.problems import Problem
from tests.conftest import ROOT, stderr_text, stdout_text

FORMATS = ["text", "json", "markdown", "sarif", "junit", "github", "csv"]
ONE, TWO = 60, 60  # the two generated folders of the main batch
BIG = 210  # above pipeline.AUTO_JOBS_FROM (200)


# --- batches ----------------------------------------------------------------------------


def _generate(folder: Path, count: int, seed: int = 2026) -> list[Path]:
    spec = importlib.util.spec_from_file_location("benchmark_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(folder, count, seed)


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    """``one/`` and ``two/``: 60 valid generated tenders each, under the generator's config."""
    root = tmp_path_factory.mktemp("jobs")
    _generate(root / "one", ONE)
    _generate(root / "two", TWO, seed=7)
    return root


def _expected_files() -> list[str]:
    return [f"one/batch000/tender-{i:06d}.yaml" for i in range(ONE)] + [f"two/batch000/tender-{i:06d}.yaml" for i in range(TWO)]


BROKEN_CONFIG = "organisation:\n  annual_incom: 1\npolicies:\n  refuse_loss_making_bid: true\n"
EXPIRED_WAIVER = "tender:\n  id: EXP-1\n  title: Expired waiver\nwaivers:\n  - rule: IMP001\n    reason: Old\n    approved_by: Board\n    expires: 2001-01-01\n"
MIXED_ARGS = ("bad", "a", "empty", "b", "nowhere", "bad/sub/t1.yaml")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """Valid tenders interleaved with broken ones in several folders, and a broken config.

    ``bad/`` (first, so its tenders are in the first chunk, which always goes to a worker)
    has a bidcheck.yaml with two errors over two tenders; one of them is named again as the
    last argument, in the last chunk. ``a/`` and ``b/`` are generated folders with invalid
    YAML, an unknown key, a binary file and an expired waiver slotted in between valid
    tenders. ``empty/`` holds no tender and ``nowhere`` does not exist.
    """
    root = tmp_path_factory.mktemp("mixed")
    (root / "bad" / "sub").mkdir(parents=True)
    (root / "bad" / "bidcheck.yaml").write_text(BROKEN_CONFIG, encoding="utf-8")
    (root / "bad" / "t0.yaml").write_text("tender:\n  id: BC-0\n  title: Under a broken config\n", encoding="utf-8")
    (root / "bad" / "sub" / "t1.yaml").write_text("tender:\n  id: BC-1\n  title: Under a broken config\n", encoding="utf-8")
    for name, seed, slots in (("a", 2026, (7, 20, 45, 52)), ("b", 11, (3, 33, 49, 58))):
        folder = root / name / "batch000"
        _generate(root / name, 60, seed)
        broken_yaml, unknown_key, binary, expired = slots
        (folder / f"tender-{broken_yaml:06d}-broken.yaml").write_text("tender: [\n", encoding="utf-8")
        (folder / f"tender-{unknown_key:06d}-typo.yaml").write_text("tender:\n  id: T-1\n  title: A typo\n  valeu: 10\n", encoding="utf-8")
        (folder / f"tender-{binary:06d}-binary.yaml").write_bytes(b"\x00\x01\x02binary")
        (folder / f"tender-{expired:06d}-expired.yaml").write_text(EXPIRED_WAIVER.replace("EXP-1", f"EXP-{name}"), encoding="utf-8")
    (root / "empty").mkdir()
    (root / "empty" / "README.txt").write_text("no tenders here\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("big")
    _generate(root, BIG)
    return root


def _plugin(folder: Path, name: str, source: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    return path


def _whole(process: subprocess.CompletedProcess) -> tuple[int, bytes, bytes]:
    return process.returncode, process.stdout, process.stderr


# --- reading each format back: the tender files it reports, in order ---------------------


def _files_in_text(text: str) -> list[str]:
    return re.findall(r"^(\S+\.yaml)  \S", text, re.MULTILINE)  # each tender's heading line


def _files_in_json(text: str) -> list[str]:
    return [result["file"] for result in json.loads(text)["results"]]


def _files_in_markdown(text: str) -> list[str]:
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    inline = [token for token in tokens if token.type == "inline"]
    return [  # the "| File | `path` |" row of each paper's table
        "".join(child.content for child in value.children if child.type == "code_inline")
        for label, value in zip(inline, inline[1:])
        if label.content == "File"
    ]


def _files_in_sarif(text: str) -> list[str]:
    return [verdict["file"] for verdict in json.loads(text)["runs"][0]["properties"]["verdicts"]]


def _files_in_junit(text: str) -> list[str]:
    return [case.get("classname") for case in ET.fromstring(text.encode("utf-8")).iter("testcase")]


def _files_in_github(text: str) -> list[str]:
    files = []
    for line in text.splitlines():
        match = re.match(r"^::notice (?P<properties>[^:]*)::", line)
        if match:
            properties = dict(item.split("=", 1) for item in match["properties"].split(","))
            if properties.get("title", "").startswith("bidcheck verdict "):
                files.append(properties["file"])
    return files


def _files_in_csv(text: str) -> list[str]:
    return [row["file"] for row in csv.DictReader(io.StringIO(text))]


FILES_IN = {
    "text": _files_in_text,
    "json": _files_in_json,
    "markdown": _files_in_markdown,
    "sarif": _files_in_sarif,
    "junit": _files_in_junit,
    "github": _files_in_github,
    "csv": _files_in_csv,
}


# --- 1. every format, every report ------------------------------------------------------


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_format_is_byte_for_byte_the_same_with_two_or_three_jobs(run_cli, batch, output_format):
    args = ("check", "one", "two", "--format", output_format, "--fail-on", "never")
    one = run_cli(*args, "--jobs", "1", cwd=batch)
    assert one.returncode == 0, stderr_text(one)
    assert one.stderr == b""
    assert FILES_IN[output_format](stdout_text(one)) == _expected_files()  # one entry per tender, in order
    for jobs in ("2", "3"):
        assert _whole(run_cli(*args, "--jobs", jobs, cwd=batch)) == _whole(one), f"--jobs {jobs}"


def test_exit_status_for_fail_on_is_the_same_with_two_jobs(run_cli, batch):
    one = run_cli("check", "one", "two", "--format", "csv", "--jobs", "1", cwd=batch)  # default --fail-on no-bid
    assert one.returncode == 1  # the generated batch has no-bid verdicts
    assert _whole(run_cli("check", "one", "two", "--format", "csv", "--jobs", "2", cwd=batch)) == _whole(one)


def test_output_file_and_extra_reports_are_the_same_with_two_jobs(run_cli, batch, tmp_path):
    written = {}
    for jobs in ("1", "2"):
        out = tmp_path / jobs
        out.mkdir()
        process = run_cli(
            "check", "one", "two", "--fail-on", "never", "--jobs", jobs,
            "--output", str(out / "main.json"), "--format", "json",
            "--report", f"sarif={out / 'report.sarif'}", "--report", f"junit={out / 'report.xml'}",
            cwd=batch,
        )  # fmt: skip
        assert (process.returncode, process.stdout, process.stderr) == (0, b"", b"")
        written[jobs] = {name: (out / name).read_bytes() for name in ("main.json", "report.sarif", "report.xml")}
    assert written["2"] == written["1"]
    assert _files_in_json(written["2"]["main.json"].decode()) == _expected_files()
    assert _files_in_sarif(written["2"]["report.sarif"].decode()) == _expected_files()
    assert _files_in_junit(written["2"]["report.xml"].decode()) == _expected_files()


# --- 2. broken files and a broken config ------------------------------------------------


def _mixed(run_cli, mixed: Path, jobs: str, output_format: str = "json") -> subprocess.CompletedProcess:
    return run_cli("check", *MIXED_ARGS, "--format", output_format, "--fail-on", "never", "--jobs", jobs, cwd=mixed)


def test_mixed_batch_one_process_reports_every_problem_once_in_discovery_order(run_cli, mixed):
    one = _mixed(run_cli, mixed, "1")
    assert one.returncode == 2
    report = json.loads(stdout_text(one))
    assert len(report["results"]) == 2 * 60 + 2  # the generated tenders and the two with expired waivers
    assert sum("annual_incom" in error["message"] for error in report["errors"]) == 1
    # Who each line of stderr is about: the broken config once, where first needed, then in discovery order.
    about = [line.removeprefix("warning: ").split(":", 1)[0] for line in stderr_text(one).splitlines()]
    config = str(mixed.resolve() / "bad" / "bidcheck.yaml")
    assert about == [
        config, config, "bad/t0.yaml", "bad/sub/t1.yaml",
        "a/batch000/tender-000007-broken.yaml", "a/batch000/tender-000020-typo.yaml",
        "a/batch000/tender-000045-binary.yaml", "a/batch000/tender-000052-expired.yaml",
        "empty",
        "b/batch000/tender-000003-broken.yaml", "b/batch000/tender-000033-typo.yaml",
        "b/batch000/tender-000049-binary.yaml", "b/batch000/tender-000058-expired.yaml",
        "nowhere",  # bad/sub/t1.yaml, named again last, is one file: checked (and reported) once
    ]  # fmt: skip


@pytest.mark.parametrize("jobs", ["2", "3", "8"])
def test_mixed_batch_is_the_same_with_several_jobs(run_cli, mixed, jobs):
    one = _mixed(run_cli, mixed, "1")
    assert one.returncode == 2
    assert _whole(_mixed(run_cli, mixed, jobs)) == _whole(one)  # stdout, stderr (so the order of problems), status


def test_mixed_batch_text_output_is_the_same_with_two_jobs(run_cli, mixed):
    one = _mixed(run_cli, mixed, "1", "text")
    assert one.returncode == 2
    assert _whole(_mixed(run_cli, mixed, "2", "text")) == _whole(one)


# --- 3. stdin among folders -------------------------------------------------------------


@pytest.mark.parametrize("arguments", [("-", "one", "two"), ("one", "-", "two"), ("one", "two", "-")], ids=["first", "middle", "last"])
def test_stdin_keeps_its_place_among_folders(run_cli, batch, arguments):
    tender = (batch / "one" / "batch000" / "tender-000001.yaml").read_text(encoding="utf-8").replace("BENCH-2026-000001", "FROM-STDIN")
    args = ("check", *arguments, "--format", "json", "--fail-on", "never")
    one = run_cli(*args, "--jobs", "1", cwd=batch, input=tender)
    two = run_cli(*args, "--jobs", "2", cwd=batch, input=tender)
    assert _whole(two) == _whole(one)
    expected = []
    for argument in arguments:
        expected += ["<stdin>"] if argument == "-" else [f for f in _expected_files() if f.startswith(f"{argument}/")]
    report = json.loads(stdout_text(two))
    assert [result["file"] for result in report["results"]] == expected
    assert report["results"][expected.index("<stdin>")]["tender"]["id"] == "FROM-STDIN"


# --- 4. plugin rules --------------------------------------------------------------------

LOCAL_RULES = '''
from bidcheck.api import CALCULATE_THE_IMPACT, Finding, Severity, rule


@rule("LOC001", title="Every tender is noted", recommendation=CALCULATE_THE_IMPACT, severity=Severity.CONCERN)
def every_tender(tender, context):
    """Notes every tender, so each result shows a plugin finding that crossed processes."""
    yield Finding(field="tender.id", message=f"noted {tender.tender.id}", action="nothing to do", evidence={"id": tender.tender.id})


@rule("LOC002", title="Fails on some tenders", recommendation=CALCULATE_THE_IMPACT, severity=Severity.INFO)
def fails_on_sevens(tender, context):
    """Raises on tenders whose id ends in 7: a rule failure is reported the same way too."""
    if tender.tender.id.endswith("7"):
        raise ValueError(f"cannot read {tender.tender.id}")
    return []
'''


def _same_with_two_jobs(run_cli, batch: Path, plugin: Path) -> subprocess.CompletedProcess:
    """``check one two --rules PLUGIN`` with two jobs, after showing it says exactly what one job says."""
    args = ("check", "one", "two", "--rules", str(plugin), "--format", "json", "--fail-on", "never")
    one = run_cli(*args, "--jobs", "1", cwd=batch)
    two = run_cli(*args, "--jobs", "2", cwd=batch)
    assert _whole(two) == _whole(one)
    return two


def test_plugin_rules_from_a_file_fire_the_same_with_two_jobs(run_cli, batch, tmp_path):
    two = _same_with_two_jobs(run_cli, batch, _plugin(tmp_path, "local_rules.py", LOCAL_RULES))
    assert two.returncode == 2  # LOC002 failed on some tenders
    report = json.loads(stdout_text(two))
    assert [r["file"] for r in report["results"]] == _expected_files()
    for result in report["results"]:
        noted = [f for f in result["findings"] if f["rule"] == "LOC001"]
        assert [f["evidence"] for f in noted] == [{"id": result["tender"]["id"]}]
        assert "LOC001" in result["checked"] and "LOC002" in result["checked"]
    failures = [error for error in report["errors"] if error.get("rule") == "LOC002"]
    assert len(failures) == 12 and all(error["tender"].endswith("7") for error in failures)
    assert stderr_text(two).count("rule LOC002") == 12


CLEARED_BY_A_LAMBDA = '''
from bidcheck.api import CALCULATE_THE_IMPACT, Finding, Severity, rule, set_to


@rule(
    "LAM001", title="Price ends in a round thousand", recommendation=CALCULATE_THE_IMPACT, severity=Severity.CONCERN,
    reads=("bid.price",),
    clears=(set_to("bid.price", lambda tender, index: (tender.bid.price or 0) + 1, says=lambda tender, index, value: f"price {value}"),),
)
def round_price(tender, context):
    """A concern that only a value computed by a lambda clears: what it would take crosses processes with it."""
    if tender.bid and tender.bid.price and tender.bid.price % 1000 == 0:
        yield Finding(field="bid.price", message="a round price", action="price it exactly", evidence={"price": tender.bid.price})
'''


def test_what_it_would_take_from_a_plugin_whose_clears_are_lambdas_is_the_same_with_two_jobs(run_cli, batch, tmp_path):
    two = _same_with_two_jobs(run_cli, batch, _plugin(tmp_path, "lambda_rules.py", CLEARED_BY_A_LAMBDA))
    results = json.loads(stdout_text(two))["results"]
    proposed = [change for result in results for proposal in result["what_it_would_take"] for change in proposal["changes"]]
    assert any(change["field"] == "bid.price" and change["value"] % 1000 == 1 for change in proposed)


def test_plugin_rules_of_a_config_first_met_in_a_worker_fire_the_same(run_cli, batch, tmp_path):
    """A config with ``rules.paths`` met only after the worker started: the worker loads the
    plugin itself, and its findings refer to rules the main process loaded separately."""
    shutil.copytree(batch / "one", tmp_path / "one")
    late = tmp_path / "late"
    _generate(late, 20, seed=3)
    _plugin(late, "late_rules.py", LOCAL_RULES.replace("LOC00", "LAT00"))
    with (late / "bidcheck.yaml").open("a", encoding="utf-8") as config:
        config.write("rules:\n  paths: [late_rules.py]\n")
    args = ("check", "one", "late", "--format", "json", "--fail-on", "never")  # late/ is in chunk 2: sent to the worker
    one = run_cli(*args, "--jobs", "1", cwd=tmp_path)
    two = run_cli(*args, "--jobs", "2", cwd=tmp_path)
    assert _whole(two) == _whole(one)
    results = json.loads(stdout_text(two))["results"]
    fired = [any(f["rule"] == "LAT001" for f in result["findings"]) for result in results]
    assert fired == [False] * ONE + [True] * 20


# --- 5. auto ----------------------------------------------------------------------------


@pytest.fixture
def spy(monkeypatch) -> list[int]:
    """Records the ``jobs`` of each call to ``check_in_workers``, which still does the work."""
    calls: list[int] = []
    real = workers.check_in_workers

    def recording(work, jobs, options, settings_for):
        calls.append(jobs)
        return real(work, jobs, options, settings_for)

    monkeypatch.setattr(workers, "check_in_workers", recording)
    monkeypatch.setattr(pipeline, "available_cpus", lambda: 2)
    return calls


def _summary(items) -> list[tuple[str, str]]:
    return [(item.file, item.verdict.value) if isinstance(item, TenderResult) else (item.file, item.message) for item in items]


def test_auto_uses_workers_from_200_files(big, spy):
    files = sorted(str(path) for path in big.rglob("tender-*.yaml"))
    assert len(files) == BIG and pipeline.AUTO_JOBS_FROM == 200
    serial = _summary(pipeline.check(files, CheckOptions(jobs=1)))
    assert spy == []  # --jobs 1 never starts workers
    automatic = _summary(pipeline.check(files, CheckOptions()))
    assert spy == [2]  # one process per (monkeypatched) CPU
    assert automatic == serial and len(serial) == BIG
    assert _summary(pipeline.check(files[:200], CheckOptions())) == serial[:200]
    assert spy == [2, 2]  # exactly 200 is enough


def test_auto_stays_in_one_process_below_200_files(big, spy):
    files = sorted(str(path) for path in big.rglob("tender-*.yaml"))[:199]
    results = _summary(pipeline.check(files, CheckOptions()))
    assert spy == [] and len(results) == 199


def test_jobs_one_never_uses_workers_even_for_a_big_batch(big, spy):
    assert len(list(pipeline.check([str(big)], CheckOptions(jobs=1)))) == BIG
    assert spy == []


MARKS_WORKERS = '''
import multiprocessing, os, pathlib
from bidcheck.api import CALCULATE_THE_IMPACT, Severity, rule


@rule("MRK001", title="Marks worker processes", recommendation=CALCULATE_THE_IMPACT, severity=Severity.INFO)
def marks(tender, context):
    """Finds nothing; leaves a file behind when it runs in a worker process."""
    if multiprocessing.parent_process() is not None:
        pathlib.Path(os.environ["BIDCHECK_TEST_MARKER"]).touch()
    return []
'''


def test_auto_output_is_the_whole_of_one_process_output(run_cli, big, tmp_path):
    plugin = _plugin(tmp_path, "marks.py", MARKS_WORKERS)
    marker = tmp_path / "a-worker-ran"
    args = ("check", ".", "--rules", str(plugin), "--format", "json", "--fail-on", "never")
    one = run_cli(*args, "--jobs", "1", cwd=big, env={"BIDCHECK_TEST_MARKER": str(marker)})
    assert not marker.exists()
    auto = run_cli(*args, cwd=big, env={"BIDCHECK_TEST_MARKER": str(marker)})  # --jobs auto is the default
    assert _whole(auto) == _whole(one)
    assert len(json.loads(stdout_text(auto))["results"]) == BIG
    assert marker.exists() == (pipeline.available_cpus() > 1)  # auto really used workers where it could


# --- 6. rules between processes ---------------------------------------------------------


def _plain_check(tender, context):
    return []


def test_a_rule_made_by_the_decorator_unpickles_as_the_same_object():
    for loaded in load_catalogue().rules:
        assert pickle.loads(pickle.dumps(loaded.rule)) is loaded.rule
    assert len(pickle.dumps(loaded.rule)) < 200  # a reference, not the rationale and examples


def test_a_rule_a_plugin_made_without_the_decorator_travels_as_a_reference_once_loaded(tmp_path):
    from bidcheck.loader import RuleSource

    plugin = _plugin(tmp_path, "variant_rules_loaded.py", VARIANT_RULES)
    catalogue = load_catalogue([RuleSource(str(plugin))])
    variant = catalogue.get("VAR002").rule
    assert pickle.loads(pickle.dumps(variant)) is variant
    assert len(pickle.dumps(variant)) < 200  # the loader remembered it: a reference, not a copy


def test_a_rule_built_directly_round_trips_by_value():
    built = Rule("TST001", "Built directly", CALCULATE_THE_IMPACT, Severity.INFO, _plain_check, "Not registered.")
    back = pickle.loads(pickle.dumps(built))
    assert back is not built and back == built
    assert (back.id, back.title, back.check) == ("TST001", "Built directly", _plain_check)


def test_a_changed_copy_of_a_catalogue_rule_round_trips_by_value():
    built_in = load_catalogue().rules[0].rule
    copy = dataclasses.replace(built_in, title="A changed copy")
    back = pickle.loads(pickle.dumps(copy))
    assert back is not copy and back is not built_in
    assert (back.id, back.title, back.check) == (built_in.id, "A changed copy", built_in.check)


VARIANT_RULES = '''
import dataclasses
from bidcheck.api import CALCULATE_THE_IMPACT, Finding, Severity, rule


@rule("VAR001", title="Noted", recommendation=CALCULATE_THE_IMPACT, severity=Severity.INFO)
def noted(tender, context):
    """Notes every tender."""
    yield Finding(field="tender.id", message="noted", action="nothing to do")


VAR002 = dataclasses.replace(noted, id="VAR002", title="Noted again")
'''


def test_a_plugin_rule_copied_with_replace_works_with_two_jobs(run_cli, batch, tmp_path):
    plugin = _plugin(tmp_path, "variant_rules.py", VARIANT_RULES)
    args = ("check", "one", "--rules", str(plugin), "--format", "json", "--fail-on", "never")
    one = run_cli(*args, "--jobs", "1", cwd=batch)
    assert one.returncode == 0 and "VAR002" in json.loads(stdout_text(one))["results"][0]["checked"]
    assert _whole(run_cli(*args, "--jobs", "2", cwd=batch)) == _whole(one)


ODD_EVIDENCE_RULES = '''
from bidcheck.api import CALCULATE_THE_IMPACT, Finding, Severity, rule


@rule("ODD001", title="Evidence of an odd type", recommendation=CALCULATE_THE_IMPACT, severity=Severity.INFO)
def odd_evidence(tender, context):
    """Evidence that JSON shows as text but that cannot be pickled (a dict view)."""
    yield Finding(field="tender.id", message="noted", action="nothing to do", evidence={"keys": {"a": 1}.keys()})
'''


def test_evidence_that_cannot_be_pickled_is_reported_the_same_with_two_jobs(run_cli, batch, tmp_path):
    plugin = _plugin(tmp_path, "odd_rules.py", ODD_EVIDENCE_RULES)
    args = ("check", "one", "--rules", str(plugin), "--format", "json", "--fail-on", "never")
    one = run_cli(*args, "--jobs", "1", cwd=batch)
    assert one.returncode == 0
    assert _whole(run_cli(*args, "--jobs", "2", cwd=batch)) == _whole(one)


# --- 7. a worker that dies --------------------------------------------------------------

DYING_RULES = '''
import multiprocessing, os
from bidcheck.api import CALCULATE_THE_IMPACT, Severity, rule


@rule("DIE001", title="Dies in a worker", recommendation=CALCULATE_THE_IMPACT, severity=Severity.INFO)
def dies(tender, context):
    """Ends the worker process it runs in, as a crash would; holds in the main process."""
    if multiprocessing.parent_process() is not None:
        os._exit(3)
    return []
'''


def test_a_worker_that_dies_stops_the_run_with_one_line_and_no_traceback(run_cli, batch, tmp_path):
    plugin = _plugin(tmp_path, "dying_rules.py", DYING_RULES)
    args = ("check", "one", "--rules", str(plugin), "--format", "json", "--fail-on", "never")
    assert run_cli(*args, "--jobs", "1", cwd=batch).returncode == 0  # the rule holds outside workers
    process = run_cli(*args, "--jobs", "2", cwd=batch)  # the first chunk always goes to the worker
    assert process.returncode == 2
    stderr = stderr_text(process)
    assert len(stderr.splitlines()) == 1, stderr
    assert "internal error" in stderr and "worker process stopped unexpectedly" in stderr
    assert "Traceback" not in stderr


# --- 8. the --jobs option ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "-1", "x", "1.5", ""])
def test_bad_jobs_values_are_usage_errors(run_cli, batch, value):
    process = run_cli("check", "one", "--jobs", value, cwd=batch)
    assert process.returncode == 2
    assert process.stdout == b""
    stderr = stderr_text(process)
    assert "--jobs" in stderr and "Traceback" not in stderr and "internal error" not in stderr


def test_a_superscript_digit_is_a_usage_error(run_cli, batch):
    process = run_cli("check", "one", "--jobs", "\u00b2", cwd=batch)
    assert process.returncode == 2
    stderr = stderr_text(process)
    assert "--jobs" in stderr and "internal error" not in stderr


@pytest.mark.parametrize("value", ["auto", "AUTO", "Auto"])
def test_auto_is_accepted_in_any_case(run_cli, batch, value):
    process = run_cli("check", "one", "--format", "csv", "--fail-on", "never", "--jobs", value, cwd=batch)
    assert (process.returncode, process.stderr) == (0, b"")
    assert len(_files_in_csv(stdout_text(process))) == ONE


# --- 9. in-process ----------------------------------------------------------------------


def test_in_process_json_is_the_same_with_two_jobs(invoke, batch, monkeypatch):
    monkeypatch.chdir(batch)
    one = invoke("check", "one", "two", "--format", "json", "--fail-on", "never", "--jobs", "1")
    two = invoke("check", "one", "two", "--format", "json", "--fail-on", "never", "--jobs", "2")
    assert (two.exit_code, two.stdout, two.stderr) == (one.exit_code, one.stdout, one.stderr) == (0, one.stdout, "")
    assert _files_in_json(two.stdout) == _expected_files()


def test_in_process_mixed_batch_is_the_same_with_two_jobs(invoke, mixed, monkeypatch):
    monkeypatch.chdir(mixed)
    one = invoke("check", *MIXED_ARGS, "--format", "json", "--fail-on", "never", "--jobs", "1")
    two = invoke("check", *MIXED_ARGS, "--format", "json", "--fail-on", "never", "--jobs", "2")
    assert one.exit_code == 2 and "annual_incom" in one.stderr
    assert (two.exit_code, two.stdout, two.stderr) == (one.exit_code, one.stdout, one.stderr)


def test_pipeline_yields_the_same_items_with_two_jobs(mixed, monkeypatch):
    monkeypatch.chdir(mixed)
    serial = list(pipeline.check(list(MIXED_ARGS), CheckOptions(jobs=1)))
    parallel = list(pipeline.check(list(MIXED_ARGS), CheckOptions(jobs=2)))
    assert _summary(parallel) == _summary(serial)
    assert sum(isinstance(item, Problem) and "annual_incom" in item.message for item in parallel) == 1
