"""The first steps a newcomer takes (issue 11 §6): the README's pre-commit hook, starting a
config, hints that show the form to write, and citations a reader can follow.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import shutil
import subprocess
import sys
import typing
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from bidcheck.guidance import GUIDANCE_DOCUMENTS
from bidcheck.models import ConfigFile, TenderFile
from bidcheck.money import parse_money
from bidcheck.problems import ProblemsFound
from bidcheck.read import read_text
from bidcheck.validate import validate_tender
from tests.conftest import EXAMPLES, ROOT, console_script, stderr_text, stdout_text

LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<message>.+)$")
WHOLE_FILE = re.compile(r"^(?P<file>[^:\s]+): (?P<message>.+)$")  # about a whole file: no line or column
CONFIG_NAMES = ("bidcheck.yaml", ".bidcheck.yaml", "bidcheck.yml", "pyproject.toml")
NO_BID = 'tender: {id: LOSS-1, title: Carers support}\nincumbent: none\nbid: {price: "£500k", full_cost: "£560k"}\n'
FAIR = 'tender: {id: FAIR-1, title: Advice line}\nincumbent: none\nbid: {price: "£600k", full_cost: "£560k"}\n'
CONFIG = 'organisation: {annual_income: "£45m"}\npolicies: {refuse_loss_making_bids: true}\nrules: {select: [PWR]}\n'


def located_errors(process, pattern: re.Pattern[str] = LOCATED) -> list[dict[str, str]]:
    return [match.groupdict() for match in map(pattern.match, stderr_text(process).splitlines()) if match]


# --- the README's pre-commit hook, exactly as written ---------------------------------------------


def readme_pre_commit_config() -> str:
    """The YAML block of the README's pre-commit paragraph."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = readme.split("**pre-commit.**", 1)[1]
    return re.search(r"```yaml\n(.*?)```", paragraph, re.DOTALL)[1]


def git(*args: str, cwd: Path, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    identity = ["-c", "user.name=Bid Team", "-c", "user.email=bids@example.org"]
    return subprocess.run(["git", *identity, *args], cwd=cwd, env=env, capture_output=True, text=True, check=check, timeout=600)


@pytest.fixture
def hooked_repo(tmp_path: Path):
    """A bid-pipeline repository with the README's hook installed by pre-commit; returns (repo, env, config)."""
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    assert pre_commit, "pre-commit is a test extra; install with pip install -e '.[test]'"
    repo = tmp_path / "bids"
    (repo / "tenders").mkdir(parents=True)
    (repo / "bidcheck.yaml").write_text(CONFIG)
    config = repo / ".pre-commit-config.yaml"
    config.write_text(readme_pre_commit_config())
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "NO_COLOR": "1",
        # `language: system` runs the bidcheck installed where you commit from: this environment's.
        "PATH": str(Path(console_script()).parent) + os.pathsep + os.environ.get("PATH", ""),
    }
    git("init", "-q", cwd=repo, env=env)
    subprocess.run([pre_commit, "install"], cwd=repo, env=env, capture_output=True, check=True, timeout=600)
    git("add", ".", cwd=repo, env=env)
    git("commit", "-qm", "bid pipeline", cwd=repo, env=env)
    return repo, env, config


def test_readme_pre_commit_snippet_stops_a_commit_that_stages_a_no_bid(hooked_repo):
    repo, env, _ = hooked_repo
    (repo / "tenders" / "loss.yaml").write_text(NO_BID)
    git("add", "tenders/loss.yaml", cwd=repo, env=env)
    committed = git("commit", "-m", "a loss-making bid", cwd=repo, env=env, check=False)
    assert committed.returncode != 0, committed.stdout + committed.stderr
    assert "NO BID" in committed.stdout + committed.stderr and "PWR001" in committed.stdout + committed.stderr
    assert "tenders/loss.yaml" not in git("ls-tree", "-r", "--name-only", "HEAD", cwd=repo, env=env).stdout


def test_readme_pre_commit_snippet_lets_a_fair_bid_through(hooked_repo):
    repo, env, _ = hooked_repo
    (repo / "tenders" / "fair.yaml").write_text(FAIR)
    git("add", "tenders/fair.yaml", cwd=repo, env=env)
    committed = git("commit", "-m", "a fair bid", cwd=repo, env=env, check=False)
    assert committed.returncode == 0, committed.stdout + committed.stderr
    assert "Passed" in committed.stdout + committed.stderr
    assert "tenders/fair.yaml" in git("ls-tree", "-r", "--name-only", "HEAD", cwd=repo, env=env).stdout


def test_a_hook_that_always_runs_passes_when_no_tender_is_staged(hooked_repo):
    repo, env, config = hooked_repo
    hooks = yaml.safe_load(config.read_text())
    hooks["repos"][0]["hooks"][0]["always_run"] = True
    config.write_text(yaml.safe_dump(hooks))
    (repo / "notes.md").write_text("Board meets on Tuesday.\n")
    git("add", ".pre-commit-config.yaml", "notes.md", cwd=repo, env=env)
    committed = git("commit", "-m", "notes, no tender", cwd=repo, env=env, check=False)
    output = committed.stdout + committed.stderr
    assert committed.returncode == 0, output
    assert "Passed" in output and "Missing argument" not in output


# --- check with no paths ---------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "junit", "csv", "markdown", "github"])
def test_check_with_no_paths_checks_nothing_and_succeeds_in_every_format(run_cli, tmp_path, output_format):
    process = run_cli("check", "--format", output_format, cwd=tmp_path)
    assert process.returncode == 0, stderr_text(process)
    assert "nothing checked" in stderr_text(process)
    out = stdout_text(process)
    if output_format == "json":
        assert json.loads(out)["results"] == []
    elif output_format == "sarif":
        assert json.loads(out)["runs"][0]["results"] == []
    elif output_format == "junit":
        assert ElementTree.fromstring(out).get("tests") == "0"
    elif output_format == "csv":
        assert len(list(csv.reader(io.StringIO(out)))) == 1  # the header only


def test_check_with_no_paths_still_writes_the_reports_asked_for(run_cli, tmp_path):
    process = run_cli("check", "--report", "sarif=bidcheck.sarif", "--output", "report.json", "--format", "json", cwd=tmp_path)
    assert process.returncode == 0, stderr_text(process)
    assert json.loads((tmp_path / "report.json").read_text())["results"] == []
    assert json.loads((tmp_path / "bidcheck.sarif").read_text())["version"] == "2.1.0"


# --- starting a config -------------------------------------------------------------------------


def config_key_paths(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every key path the config model has, nested models followed (``("rules", "select")``);
    not into the items of a list (``organisation.services``), whose keys are an example's."""
    paths = []
    for name, info in model.model_fields.items():
        paths.append((*prefix, name))
        if typing.get_origin(info.annotation) is list:
            continue
        for candidate in (info.annotation, *typing.get_args(info.annotation)):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                paths += config_key_paths(candidate, (*prefix, name))
    return paths


def effective(run_cli, *args: str, cwd: Path) -> dict[str, object]:
    process = run_cli("config", *args, "--format", "json", cwd=cwd)
    assert process.returncode == 0, stderr_text(process)
    return json.loads(stdout_text(process))


def test_init_config_writes_every_key_of_the_config_and_every_rule_threshold(run_cli, tmp_path):
    process = run_cli("init", "--config", cwd=tmp_path)
    assert process.returncode == 0, stderr_text(process)
    written = tmp_path / "bidcheck.yaml"
    document = read_text(written.read_text(encoding="utf-8"), str(written))
    # Drift: every key the model reads, and every threshold the loaded rules declare, is written.
    assert set(config_key_paths(ConfigFile)) <= set(document.key_positions)
    rules = json.loads(stdout_text(run_cli("rules", "--format", "json", cwd=tmp_path)))
    thresholds = {t["name"]: t["default"] for rule in rules for t in rule["thresholds"]}
    written_values = {name: document.data["thresholds"][name] for name in thresholds}  # money thresholds as "£1m"
    assert {name: parse_money(value) if isinstance(value, str) else float(value) for name, value in written_values.items()} == thresholds
    assert "#" in written.read_text(encoding="utf-8")  # commented


def test_init_config_loads_and_changes_nothing_until_edited(run_cli, tmp_path):
    assert run_cli("init", "--config", "start.yaml", cwd=tmp_path).returncode == 0
    (tmp_path / "empty").mkdir()
    started = effective(run_cli, "--config", "start.yaml", cwd=tmp_path)
    defaults = effective(run_cli, cwd=tmp_path / "empty")
    assert started["config_file"] == "start.yaml" and defaults["config_file"] is None
    def values(report: dict) -> dict:  # an empty organisation list is no organisation value at all
        return {row["key"]: row["value"] if row["value"] != [] else None for row in report["settings"]}

    assert values(started) == values(defaults)
    # Every setting comes from the written file, none from a default it left out.
    assert all(row["source"].startswith("start.yaml:") for row in started["settings"]), started["settings"]
    assert started["selected_rules"] == defaults["selected_rules"]


def test_init_config_found_by_check_replaces_the_defaults(run_cli, tmp_path):
    assert run_cli("init", "--config", cwd=tmp_path).returncode == 0
    (tmp_path / "tenders").mkdir()
    (tmp_path / "tenders" / "fair.yaml").write_text(FAIR)
    process = run_cli("check", "tenders", "--format", "json", cwd=tmp_path)
    assert process.returncode == 0, stderr_text(process)
    assert "using defaults" not in stderr_text(process)


@pytest.mark.parametrize("arguments", [("init", "--config"), ("init", "--config", "custom.yaml"), ("init", "x.yaml")])
def test_init_never_overwrites_a_file_without_force(run_cli, tmp_path, arguments):
    target = tmp_path / (arguments[-1] if arguments[-1].endswith(".yaml") else "bidcheck.yaml")
    target.write_text("organisation: {name: Ours}\n")
    process = run_cli(*arguments, cwd=tmp_path)
    assert process.returncode == 2
    assert target.read_text() == "organisation: {name: Ours}\n"
    (error,) = located_errors(process, WHOLE_FILE)
    assert error["file"] == target.name and "--force" in error["message"]


@pytest.mark.parametrize("name", CONFIG_NAMES)
def test_init_refuses_to_write_a_tender_under_a_config_files_name(run_cli, tmp_path, name):
    process = run_cli("init", name, cwd=tmp_path)
    assert process.returncode == 2
    assert not (tmp_path / name).exists()
    (error,) = located_errors(process, WHOLE_FILE)
    assert error["file"] == name and "--config" in error["message"]


def test_init_config_refuses_to_write_yaml_into_pyproject_toml(run_cli, tmp_path):
    process = run_cli("init", "--config", "pyproject.toml", cwd=tmp_path)
    assert process.returncode == 2 and not (tmp_path / "pyproject.toml").exists()
    (error,) = located_errors(process, WHOLE_FILE)
    assert error["file"] == "pyproject.toml" and "bidcheck.yaml" in error["message"] and "[tool.bidcheck]" in error["message"]


# --- saying once when no config applies ----------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_run_without_a_config_says_once_that_it_uses_defaults(run_cli, tmp_path, jobs):
    for folder in ("north", "south"):
        (tmp_path / folder).mkdir()
        for index in range(3):
            (tmp_path / folder / f"t{index}.yaml").write_text(FAIR.replace("FAIR-1", f"{folder}-{index}"))
    process = run_cli("check", "north", "south", "--jobs", jobs, "--format", "json", cwd=tmp_path)
    assert process.returncode == 0, stderr_text(process)
    notes = [line for line in stderr_text(process).splitlines() if "using defaults" in line]
    assert len(notes) == 1 and "no organisation, no policies" in notes[0]
    assert len(json.loads(stdout_text(process))["results"]) == 6  # stdout stays the report


def test_no_defaults_note_when_a_config_is_found_or_given(run_cli, tmp_path):
    (tmp_path / "t.yaml").write_text(FAIR)
    (tmp_path / "elsewhere.yaml").write_text(CONFIG)
    given = run_cli("check", "t.yaml", "--config", "elsewhere.yaml", cwd=tmp_path)
    (tmp_path / "bidcheck.yaml").write_text(CONFIG)
    found = run_cli("check", "t.yaml", cwd=tmp_path)
    assert given.returncode == found.returncode == 0
    assert "using defaults" not in stderr_text(given) + stderr_text(found)


# --- hints that show the form to write ---------------------------------------------------------------

_SUFFIX = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}
DATE_FORMS = {
    "dd/mm/yyyy": lambda d: f"{d.day:02}/{d.month:02}/{d.year}",
    "d/m/yy": lambda d: f"{d.day}/{d.month}/{d.year % 100:02}",
    "d-m-yyyy": lambda d: f"{d.day}-{d.month}-{d.year}",
    "dd.mm.yyyy": lambda d: f"{d.day:02}.{d.month:02}.{d.year}",
    "d Mon yyyy": lambda d: f"{d.day} {d:%b} {d.year}",
    "dth Month yyyy": lambda d: f"{d.day}{_SUFFIX.get(d.day, 'th')} {d:%B} {d.year}",
    "Month d, yyyy": lambda d: f"{d:%B} {d.day}, {d.year}",
    "Weekday d Mon yyyy": lambda d: f"{d:%A} {d.day} {d:%b} {d.year}",
    "dd-Mon-yy": lambda d: f"{d.day:02}-{d:%b}-{d.year % 100:02}",
    "yyyy/mm/dd": lambda d: f"{d:%Y/%m/%d}",
    "yyyy-m-d": lambda d: f"{d.year}-{d.month}-{d.day}",
    "ISO with a time": lambda d: f"{d.isoformat()}T09:30:00",
}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)), st.sampled_from(sorted(DATE_FORMS)))
def test_a_date_in_any_form_people_write_suggests_its_iso_form(date, form):
    written = DATE_FORMS[form](date)
    if written == date.isoformat():  # already the form bidcheck reads
        return
    text = f'tender:\n  id: A\n  title: B\n  deadline: "{written}"\n'
    with pytest.raises(ProblemsFound) as raised:
        validate_tender(read_text(text, "t.yaml"))
    (problem,) = raised.value.problems
    assert (problem.line, problem.column) == (4, 13)
    assert f"did you mean {date.isoformat()}" in problem.message, (written, problem.message)


@pytest.mark.parametrize("written", ["01/12/2026", "1/12/26", "1 Dec 2026", "1st December 2026", "December 1, 2026"])
def test_a_uk_date_gets_a_located_error_suggesting_the_iso_date(run_cli, write, written):
    tender = write("t.yaml", f"tender:\n  id: A\n  title: B\n  deadline: {written}\n")
    process = run_cli("check", str(tender))
    assert process.returncode == 2
    (error,) = located_errors(process)
    assert (error["line"], error["column"]) == ("4", "13")
    assert error["message"].startswith("tender.deadline: expected a date as YYYY-MM-DD")
    assert "2026-12-01" in error["message"]


def test_words_that_are_not_a_date_get_no_suggestion():
    for written in ("next Tuesday", "TBC", "December", "31/11/2026", "2026"):
        with pytest.raises(ProblemsFound) as raised:
            validate_tender(read_text(f'tender: {{id: A, title: B, deadline: "{written}"}}\n', "t.yaml"))
        assert "did you mean" not in raised.value.problems[0].message


def list_field_paths(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every list field of a model, nested models followed."""
    paths = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if typing.get_origin(annotation) is list:
            paths.append((*prefix, name))
        for candidate in typing.get_args(annotation) or (annotation,):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel) and typing.get_origin(annotation) is not list:
                paths += list_field_paths(candidate, (*prefix, name))
    return paths


TENDER_LISTS = list_field_paths(TenderFile)
CONFIG_LISTS = list_field_paths(ConfigFile)


def _with_mapping_at(path: tuple[str, ...], base: dict) -> str:
    data = json.loads(json.dumps(base))
    holder = data
    for part in path[:-1]:
        holder = holder.setdefault(part, {})
    holder[path[-1]] = {"name": "Local One", "role": "lead"}
    return yaml.safe_dump(data, sort_keys=False)


def test_every_list_field_is_known_to_this_test():
    names = {".".join(path) for path in TENDER_LISTS + CONFIG_LISTS}
    assert {"partners", "waivers", "tender.areas", "organisation.services", "rules.select"} <= names


@pytest.mark.parametrize("path", TENDER_LISTS, ids=".".join)
def test_a_tender_list_field_given_a_mapping_shows_the_list_form(run_cli, write, path):
    tender = write("t.yaml", _with_mapping_at(path, {"tender": {"id": "A", "title": "B"}}))
    process = run_cli("check", str(tender))
    assert process.returncode == 2
    (error,) = located_errors(process)
    assert error["message"].startswith(f"{'.'.join(path)}: expected a list, got a mapping;")
    assert '"- ' in error["message"]  # the dash form, with what was written where it fits


@pytest.mark.parametrize("path", CONFIG_LISTS, ids=".".join)
def test_a_config_list_field_given_a_mapping_shows_the_list_form(run_cli, write, path):
    config = write("bidcheck.yaml", _with_mapping_at(path, {}))
    process = run_cli("config", "--config", str(config))
    assert process.returncode == 2
    errors = [error for error in located_errors(process) if "expected a list" in error["message"]]
    (error,) = errors
    assert error["message"].startswith(f"{'.'.join(path)}: expected a list, got a mapping;") and '"- ' in error["message"]


def test_partners_given_as_one_mapping_show_the_dash_form_with_its_first_key(run_cli, write):
    tender = write("t.yaml", "tender: {id: A, title: B}\npartners:\n  name: Forum\n  role: subcontractor\n")
    process = run_cli("check", str(tender))
    (error,) = located_errors(process)
    assert (error["line"], error["column"]) == ("3", "3")
    assert '"- name: Forum"' in error["message"]


# --- citations a reader can follow ------------------------------------------------------------------

DRAFT = GUIDANCE_DOCUMENTS["002_da80ac9788ba7218.txt"]
# A section of the draft recommendations document (a recommendation, or its emerging findings, as MIS003
# cites), then any further passages, "; "-separated, each a guidance document's title and a section.
_FURTHER = "(?:" + "|".join(re.escape(f"{document.title} ({document.by}, {document.year}), section ") for document in GUIDANCE_DOCUMENTS.values()) + ")"
CITATION = re.compile(
    re.escape(f"{DRAFT.title} ({DRAFT.by}, {DRAFT.year}), section ")
    + r'"(?:Draft recommendations|Emerging findings): [A-Z0-9][^"]+"'
    + "(?:; " + _FURTHER + r'"[A-Z][^"]+")*'
)
HACKNEY = EXAMPLES / "tenders" / "hackney-young-peoples-substance-misuse.yaml"


@pytest.mark.parametrize("output_format", ["text", "markdown", "junit"])
def test_human_reports_cite_title_publisher_year_and_section_never_a_file_name(run_cli, output_format):
    process = run_cli("check", str(HACKNEY), "--format", output_format, "--fail-on", "never")
    out = stdout_text(process)
    if output_format == "junit":
        out = "\n".join(element.text or "" for element in ElementTree.fromstring(out).iter())
    assert CITATION.search(out), out[:2000]
    assert not re.search(r"\b00\d_[0-9a-f]{16}\.txt\b", out)


def test_json_and_sarif_cite_every_finding_and_keep_the_file_for_developers(run_cli):
    report = json.loads(stdout_text(run_cli("check", str(HACKNEY), "--format", "json", "--fail-on", "never")))
    findings = report["results"][0]["findings"]
    assert findings and all(CITATION.fullmatch(finding["citation"]) for finding in findings)
    assert {finding["source"] for finding in findings} == {DRAFT.file}
    sarif = json.loads(stdout_text(run_cli("check", str(HACKNEY), "--format", "sarif", "--fail-on", "never")))
    for descriptor in sarif["runs"][0]["tool"]["driver"]["rules"]:
        assert CITATION.search(descriptor["help"]["text"]) and CITATION.fullmatch(descriptor["properties"]["citation"])
        assert DRAFT.file not in descriptor["help"]["text"]


def test_explain_and_rules_cite_the_guidance_as_reports_do(run_cli):
    explained = stdout_text(run_cli("explain", "PWR002"))
    assert 'section "Draft recommendations: System view"' in CITATION.search(explained)[0]
    assert DRAFT.file not in explained
    table = stdout_text(run_cli("rules", "--format", "markdown"))
    rows = [line for line in table.splitlines() if re.match(r"\| [A-Z]{3}\d{3} \|", line)]
    assert rows and all(CITATION.search(row) for row in rows) and DRAFT.file not in table
    listed = json.loads(stdout_text(run_cli("rules", "--format", "json")))
    assert all(CITATION.fullmatch(rule["citation"]) for rule in listed)


def test_every_recommendation_is_made_in_the_section_its_citation_names():
    """Read the guidance (when the project's copy is here): the recommendation is in that section."""
    from bidcheck.loader import load_catalogue

    guidance = next((folder for folder in (ROOT.parent / "shared" / "guidance", ROOT.parents[1] / "shared" / "guidance") if folder.is_dir()), None)
    if guidance is None:
        pytest.skip("the guidance documents (shared/guidance/) are not beside this checkout")
    for loaded in load_catalogue().rules:
        recommendation = loaded.rule.recommendation
        if loaded.origin != "built-in":
            continue
        for source, cited_section in recommendation.passages:
            lines = (guidance / source).read_text(encoding="utf-8").splitlines()
            part, _, section = cited_section.partition(": ")
            headings = [index for index, line in enumerate(lines) if line.strip() and not line.startswith(("-", " ")) and len(line) < 60 and not line.rstrip().endswith((".", "?", ":"))]
            if part == "Draft recommendations":
                start = next(index for index in headings if lines[index].strip() == section and index > lines.index(part))
                end = next((index for index in headings if index > start and lines[index].strip() in SECTION_HEADINGS), len(lines))
                assert any(line.startswith(f"- **{recommendation.name}") for line in lines[start:end]), recommendation
            elif part == "Emerging findings":  # numbered findings, between that heading and the recommendations
                start, end = lines.index(part), lines.index("Draft recommendations")
                for number in re.findall(r"\d+", section):
                    assert any(line.startswith(f"{number}. ") for line in lines[start:end]), (recommendation, number)
            else:  # a heading of another document ("Necessity")
                assert any(lines[index].strip() == cited_section for index in headings), (recommendation, cited_section)


SECTION_HEADINGS = {
    "Co-production and community focus", "System view", "Learning culture", "Autonomy, flexibility and creativity",
    "Community and connection", "Thinking ahead", "How to respond to these draft recommendations",
}
