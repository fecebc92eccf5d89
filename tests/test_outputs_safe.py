"""Outputs never destroy: what a report path names now survives the run, whatever it is.

Every run goes through the installed console script. Devices are made privately in the
test's folder where the system allows it (``mknod``, as root), so a regression can never
replace the machine's own ``/dev/full``; the numbers are those of /dev/null and /dev/full.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import stat
import subprocess
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES, console_script, stderr_text, stdout_text

FORMATS = ["text", "json", "markdown", "sarif", "junit", "github", "csv"]
TENDER = "tender:\n  id: OUT-1\n  title: Outputs\nincumbent: none\n"
CONFIG = "organisation:\n  name: Test Trust\n  annual_income: 1000000\n"


def _device(folder: Path, name: str, minor: int) -> Path:
    """A private character device (1, minor): 3 is /dev/null, 7 is /dev/full."""
    path = folder / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
        with open(path, "wb", buffering=0):  # the filesystem may refuse devices (nodev)
            pass
    except (OSError, AttributeError):
        with contextlib.suppress(OSError):
            path.unlink()
        pytest.skip("cannot make a device node here (needs root on a filesystem that allows devices)")
    return path


@contextlib.contextmanager
def _reading(fifo: Path):
    """A reader on ``fifo`` for the duration: yields a list that gets its bytes."""
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        yield received
    finally:
        reader.join(timeout=60)


def _tree(root: Path) -> dict[str, tuple[str, bytes | str]]:
    """Every entry under ``root``: its kind and content (or link target), to show nothing changed."""
    found = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if path.is_symlink():
            found[name] = ("link", os.readlink(path))
        elif path.is_file():
            found[name] = (oct(path.stat().st_mode), path.read_bytes())
        else:
            found[name] = (oct(path.stat().st_mode), "")
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """``tenders/a.yaml`` and ``tenders/b.yaml`` under ``bidcheck.yaml``."""
    (tmp_path / "bidcheck.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "tenders").mkdir()
    (tmp_path / "tenders" / "a.yaml").write_text(TENDER, encoding="utf-8")
    (tmp_path / "tenders" / "b.yaml").write_text(TENDER.replace("OUT-1", "OUT-2"), encoding="utf-8")
    return tmp_path


# --- devices, FIFOs and links -----------------------------------------------------------


@pytest.mark.parametrize("option", ["--output", "--report"])
def test_a_report_to_a_character_device_is_written_directly_and_the_device_stays(run_cli, project, option):
    null = _device(project, "null", 3)
    arguments = ["--output", str(null)] if option == "--output" else ["--report", f"sarif={null}"]
    process = run_cli("check", "tenders", "--format", "json", *arguments, cwd=project)
    assert process.returncode == 0, stderr_text(process)
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert not list(project.glob(".null*"))  # no temporary left beside it


@pytest.mark.parametrize("format_name", ["json", "csv"])
def test_a_report_to_a_fifo_reaches_its_reader_and_the_fifo_stays(run_cli, project, format_name):
    fifo = project / "report.pipe"
    os.mkfifo(fifo)
    with _reading(fifo) as received:
        process = run_cli("check", "tenders", "--report", f"{format_name}={fifo.name}", cwd=project)
    assert process.returncode == 0, stderr_text(process)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    text = received[0].decode("utf-8")
    if format_name == "json":
        assert [result["tender"]["id"] for result in json.loads(text)["results"]] == ["OUT-1", "OUT-2"]
    else:
        assert [row["id"] for row in csv.DictReader(io.StringIO(text))] == ["OUT-1", "OUT-2"]


def test_a_link_to_this_runs_own_stdout_is_written_directly(run_cli, project):
    (project / "to-stdout").symlink_to("/proc/self/fd/1")  # as /dev/stdout is, in a private link
    process = run_cli("check", "tenders", "--format", "json", "--output", "to-stdout", cwd=project)
    assert process.returncode == 0, stderr_text(process)
    assert (project / "to-stdout").is_symlink()
    assert [result["tender"]["id"] for result in json.loads(stdout_text(process))["results"]] == ["OUT-1", "OUT-2"]


@pytest.mark.parametrize("target", ["fifo", "device"])
def test_a_link_to_a_device_or_fifo_is_refused_like_any_link(run_cli, project, target):
    """A pull request can commit a link to a system FIFO or device; only the real path is written."""
    pointing_at = _device(project, "null", 3) if target == "device" else project / "real.pipe"
    if target == "fifo":
        os.mkfifo(pointing_at)
    (project / "report.json").symlink_to(pointing_at)
    before = _tree(project)
    process = run_cli("check", "tenders", "--report", "json=report.json", cwd=project)
    assert process.returncode == 2 and "symbolic link" in stderr_text(process)
    assert stdout_text(process) == "" and _tree(project) == before


def test_a_full_device_as_report_is_a_located_error_and_stays_a_device(run_cli, project):
    full = _device(project, "full", 7)
    process = run_cli("check", "tenders", "--format", "json", "--output", "full", cwd=project)
    assert process.returncode == 2
    message = stderr_text(process)
    assert message.startswith("full: cannot write report: ") and "no space left" in message.lower()
    assert "Traceback" not in message and "internal error" not in message
    assert stat.S_ISCHR(os.lstat(full).st_mode)


def test_stdout_on_a_full_disk_says_it_cannot_write_output_and_exits_2(project):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "wb") as full:  # only ever opened for writing here, never replaced
        process = subprocess.run([console_script(), "check", "tenders"], cwd=project, stdout=full, stderr=subprocess.PIPE, timeout=120)
    message = process.stderr.decode("utf-8")
    assert process.returncode == 2
    assert "cannot write output: no space left on device" in message.lower()
    assert "internal error" not in message and "Traceback" not in message


@pytest.mark.parametrize("target", ["outside file", "dangling", "folder"])
def test_a_report_path_that_is_a_symlink_is_refused_and_what_it_points_at_is_untouched(run_cli, project, tmp_path_factory, target):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text("TOKEN=abc\n", encoding="utf-8")
    pointing_at = {"outside file": outside / "secret.txt", "dangling": outside / "planted.txt", "folder": outside}[target]
    (project / "bidcheck.sarif").symlink_to(pointing_at)
    before, outside_before = _tree(project), _tree(outside)
    for arguments in (["--output", "bidcheck.sarif"], ["--report", "sarif=bidcheck.sarif"]):
        process = run_cli("check", "tenders", *arguments, cwd=project)
        assert process.returncode == 2
        assert stderr_text(process).startswith("bidcheck.sarif: cannot write report")
        assert "symbolic link" in stderr_text(process) and stdout_text(process) == ""
        assert _tree(project) == before and _tree(outside) == outside_before


def test_a_symlinked_folder_in_a_relative_report_path_is_refused(run_cli, project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (project / "reports").symlink_to(outside)
    process = run_cli("check", "tenders", "--report", "sarif=reports/bidcheck.sarif", cwd=project)
    assert process.returncode == 2 and "symbolic link" in stderr_text(process)
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("option", ["--output", "--report"])
def test_a_report_path_that_is_a_folder_is_refused_before_checking(run_cli, project, option):
    (project / "out").mkdir()
    arguments = ["--output", "out"] if option == "--output" else ["--report", "json=out"]
    process = run_cli("check", "tenders", *arguments, cwd=project)
    assert process.returncode == 2 and stderr_text(process).startswith("out: cannot write report")
    assert stdout_text(process) == "" and list((project / "out").iterdir()) == []


# --- outputs that are inputs ------------------------------------------------------------


SPELLINGS = {
    "as found": lambda root: "tenders/a.yaml",
    "through ..": lambda root: "tenders/../tenders/a.yaml",
    "with ./": lambda root: "./tenders/./a.yaml",
    "absolute": lambda root: str(root / "tenders" / "a.yaml"),
    "hard link": lambda root: _hard_link(root / "tenders" / "a.yaml", root / "elsewhere.yaml"),
    "absolute through a linked folder": lambda root: _linked(root / "tenders", root.parent / f"{root.name}-link") + "/a.yaml",
}


def _hard_link(source: Path, link: Path) -> str:
    if not link.exists():
        os.link(source, link)
    return link.name


def _linked(folder: Path, link: Path) -> str:
    if not link.is_symlink():
        link.symlink_to(folder)
    return str(link)


@pytest.mark.parametrize("spelling", list(SPELLINGS))
@pytest.mark.parametrize("named_as", ["folder", "file", "glob"])
def test_output_that_resolves_to_an_input_tender_is_refused_before_checking(run_cli, project, spelling, named_as):
    output = SPELLINGS[spelling](project)
    tenders = {"folder": "tenders", "file": "tenders/a.yaml", "glob": "tenders/*.yaml"}[named_as]
    # --output and --report in turn (the property test below mixes them with more spellings)
    arguments = ["--output", output] if len(spelling + named_as) % 2 else ["--report", f"csv={output}"]
    before = _tree(project)
    process = run_cli("check", tenders, "--format", "json", *arguments, cwd=project)
    assert process.returncode == 2, stderr_text(process)
    assert "cannot write report" in stderr_text(process) and "tenders/a.yaml" in stderr_text(process)
    assert stdout_text(process) == ""  # nothing checked: with --report, stdout would list the tenders
    assert _tree(project) == before


@pytest.mark.parametrize("how", ["found for the tenders", "--config", "--config through ..", "hard link to the config"])
def test_output_that_resolves_to_a_config_in_use_is_refused_before_checking(run_cli, project, how):
    (project / "policy.yml").write_text(CONFIG, encoding="utf-8")
    config_arguments = ["--config", "policy.yml"] if how.startswith("--config") else []
    output = {
        "found for the tenders": "tenders/../bidcheck.yaml",
        "--config": "policy.yml",
        "--config through ..": "tenders/../policy.yml",
        "hard link to the config": _hard_link(project / "bidcheck.yaml", project / "copy.txt"),
    }[how]
    before = _tree(project)
    process = run_cli("check", "tenders", *config_arguments, "--format", "json", "--output", output, cwd=project)
    assert process.returncode == 2 and "cannot write report" in stderr_text(process)
    assert "config" in stderr_text(process) and stdout_text(process) == ""
    assert _tree(project) == before


def test_output_onto_a_rules_file_in_use_is_refused(run_cli, project):
    (project / "extra.py").write_text("# no rules yet\n", encoding="utf-8")
    before = _tree(project)
    process = run_cli("check", "tenders", "--rules", "extra.py", "--report", "json=./extra.py", cwd=project)
    assert process.returncode == 2 and "rules file" in stderr_text(process)
    assert _tree(project) == before


@pytest.mark.parametrize("name", ["bidcheck.yaml", ".bidcheck.yaml", "bidcheck.yml", "pyproject.toml"])
def test_a_report_never_takes_a_config_files_name(run_cli, project, name):
    (project / "out").mkdir()
    process = run_cli("check", "tenders", "--report", f"json=out/{name}", cwd=project)
    assert process.returncode == 2 and "config file's name" in stderr_text(process)
    assert list((project / "out").iterdir()) == []


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    prefix=st.sampled_from(["", "./", "tenders/../", "tenders/./../"]),
    via=st.sampled_from(["tenders", "tenders/../tenders", "./tenders/"]),
    name=st.sampled_from(["a.yaml", "b.yaml"]),
    option=st.sampled_from(["--output", "--report json=", "--report junit="]),
)
def test_any_spelling_of_an_input_as_output_is_refused(run_cli, project, prefix, via, name, option):
    spelled = f"{prefix}{via.rstrip('/')}/{name}"
    arguments = ["--output", spelled] if option == "--output" else ["--report", option.split()[1] + spelled]
    before = _tree(project)
    process = run_cli("check", "tenders", *arguments, cwd=project)
    assert process.returncode == 2 and f"tenders/{name}" in stderr_text(process)
    assert _tree(project) == before


# --- two reports, one file --------------------------------------------------------------


TWO_REPORTS = {
    "same": lambda root: ["--output", "r.txt", "--report", "csv=r.txt"],
    "with ./": lambda root: ["--output", "r.txt", "--report", "csv=./r.txt"],
    "through ..": lambda root: ["--report", "json=r.txt", "--report", "csv=out/../r.txt"],
    "absolute through a linked folder": lambda root: ["--output", "r.txt", "--report", f"csv={_linked(root, root.parent / f'{root.name}-self')}/r.txt"],
}


@pytest.mark.parametrize("spelling", list(TWO_REPORTS))
@pytest.mark.parametrize("existing", [False, True])
def test_two_reports_to_one_file_are_refused(run_cli, project, spelling, existing):
    (project / "out").mkdir()
    if existing:
        (project / "r.txt").write_text("earlier\n", encoding="utf-8")
    arguments = TWO_REPORTS[spelling](project)
    before = _tree(project)
    process = run_cli("check", "tenders", *arguments, cwd=project)
    assert process.returncode == 2 and "its own file" in stderr_text(process)
    assert _tree(project) == before


def test_a_report_to_the_file_stdout_is_redirected_to_is_refused(project):
    with open(project / "out.txt", "wb") as stdout:
        process = subprocess.run([console_script(), "check", "tenders", "--report", "json=out.txt"], cwd=project, stdout=stdout, stderr=subprocess.PIPE, timeout=120)
    assert process.returncode == 2 and "standard output" in process.stderr.decode()
    assert (project / "out.txt").read_bytes() == b""


def test_several_reports_to_a_character_device_are_allowed(run_cli, project):
    null = _device(project, "null", 3)
    process = run_cli("check", "tenders", "--output", str(null), "--report", f"csv={null}", "--report", "sarif=null", cwd=project)
    assert process.returncode == 0, stderr_text(process)
    assert stat.S_ISCHR(os.lstat(null).st_mode)


# --- modes ------------------------------------------------------------------------------


@contextlib.contextmanager
def _umask(mask: int):
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_report_file_honours_the_umask(run_cli, project, mask, mode):
    with _umask(mask):  # the console script inherits it
        process = run_cli("check", "tenders", "--format", "junit", "--output", "r.xml", "--report", "sarif=r.sarif", cwd=project)
    assert process.returncode == 0, stderr_text(process)
    assert stat.S_IMODE(os.stat(project / "r.xml").st_mode) == mode
    assert stat.S_IMODE(os.stat(project / "r.sarif").st_mode) == mode
    assert len(ET.parse(project / "r.xml").getroot().findall(".//testcase")) == 2


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664, 0o444])
def test_an_existing_report_keeps_its_mode(run_cli, project, mode):
    for name in ("r.json", "r.csv"):
        (project / name).write_text("earlier\n", encoding="utf-8")
        os.chmod(project / name, mode)
    with _umask(0o077):
        process = run_cli("check", "tenders", "--format", "json", "--output", "r.json", "--report", "csv=r.csv", cwd=project)
    assert process.returncode == 0, stderr_text(process)
    assert len(json.loads((project / "r.json").read_text())["results"]) == 2
    for name in ("r.json", "r.csv"):
        assert stat.S_IMODE(os.stat(project / name).st_mode) == mode


# --- a closed pipe ----------------------------------------------------------------------


def _with_reader_gone(*arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run with stdout a pipe whose reader has already gone, as after ``| head -1``."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([console_script(), *arguments], cwd=cwd, stdout=write_end, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("format_name", FORMATS)
def test_a_closed_pipe_ends_quietly_with_the_status_of_sigpipe_in_every_format(format_name):
    process = _with_reader_gone("check", str(EXAMPLES / "tenders"), "--format", format_name, cwd=EXAMPLES)
    assert process.returncode == 141
    assert process.stderr == b""


@pytest.mark.parametrize("command", [["rules"], ["explain", "PWR002"], ["schema", "tender"], ["config"]])
def test_a_closed_pipe_ends_every_command_quietly(command):
    process = _with_reader_gone(*command, cwd=EXAMPLES)
    assert process.returncode == 141
    assert process.stderr == b""


def test_a_closed_pipe_leaves_no_temporary_report_behind(tmp_path):
    process = _with_reader_gone("check", str(EXAMPLES / "tenders"), "--report", f"sarif={tmp_path / 'r.sarif'}")
    assert process.returncode == 141
    assert list(tmp_path.iterdir()) == []

