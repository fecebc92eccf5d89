"""Plugins: rules from outside bidcheck, found the ways SPEC §2 names, and contained when
they clash, fail or break the rule API's contract (SPEC §4: exit 2, never a traceback).

The example plugin in examples/plugin is the subject: installed through its entry point
into a throwaway folder (never into this environment, which would change every other
test's catalogue), and loaded by path with ``--rules`` and config ``rules.paths``.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bidcheck.api import Rule
from bidcheck.testing import example_severities
from tests.conftest import ROOT, stderr_text, stdout_text

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

PLUGIN = ROOT / "examples" / "plugin"
PLUGIN_PACKAGE = Path("src") / "bidcheck_deadline"
PLUGIN_MODULE = PLUGIN_PACKAGE / "bidding_window.py"
NOT_SOURCE = shutil.ignore_patterns("*.egg-info", "build", "dist", "__pycache__", ".pytest_cache")

SHORT_WINDOW = """
tender:
  id: QUICK-1
  title: Carers support service
  published: 2026-11-01
  deadline: 2026-11-15
"""
THREE_WEEKS = """
tender:
  id: THREE-WEEKS-1
  title: Advice line
  published: 2026-11-01
  deadline: 2026-11-22
"""
MINIMAL = "tender: {id: MINIMAL-1, title: Befriending service}\n"


def _plugin_project() -> tuple[str, str]:
    project = tomllib.loads((PLUGIN / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project["name"], project["version"]


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503: how installers may spell the name


def _copy_plugin(destination: Path) -> Path:
    """A copy of the plugin outside the repo, so builds leave no artefacts in it."""
    return Path(shutil.copytree(PLUGIN, destination, ignore=NOT_SOURCE))


def _pip_install(source: Path, target: Path) -> None:
    base = [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target)]
    # --no-build-isolation needs a setuptools that builds wheels by itself (>= 70.1, or the
    # `wheel` package); otherwise let pip build in isolation from its configured index.
    attempts = [[*base, "--no-build-isolation", str(source)], [*base, str(source)]]
    failures = []
    for command in attempts:
        process = subprocess.run(command, capture_output=True, text=True, timeout=600)
        if process.returncode == 0:
            return
        failures.append(f"$ {' '.join(command)}\n{process.stdout}\n{process.stderr}")
        shutil.rmtree(target, ignore_errors=True)
    pytest.fail("cannot install the example plugin:\n" + "\n".join(failures))


@pytest.fixture(scope="module")
def installed_plugin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plugin pip-installed into a folder of its own; put it on PYTHONPATH to use it."""
    work = tmp_path_factory.mktemp("installed-plugin")
    source = _copy_plugin(work / "source")
    target = work / "site"
    _pip_install(source, target)
    return target


@pytest.fixture
def plugin(tmp_path: Path) -> Path:
    """A fresh copy of the plugin's source tree."""
    return _copy_plugin(tmp_path / "plugin")


def _json(text: str) -> dict:
    return json.loads(text)


def _findings(report: dict, tender_id: str) -> list[dict]:
    (result,) = [result for result in report["results"] if result["tender"]["id"] == tender_id]
    return result["findings"]


def _result(report: dict, tender_id: str) -> dict:
    (result,) = [result for result in report["results"] if result["tender"]["id"] == tender_id]
    return result


# --- 1. Installed through the entry point -------------------------------------------


def test_installed_plugin_is_listed_with_its_distribution_and_version_as_origin(run_cli, installed_plugin, tmp_path):
    name, version = _plugin_project()
    process = run_cli("rules", cwd=tmp_path, env={"PYTHONPATH": str(installed_plugin)})
    assert process.returncode == 0, stderr_text(process)
    (line,) = [line for line in stdout_text(process).splitlines() if line.startswith("DLN001 ")]
    assert "Short bidding window" in line and "Think about collaboration from the beginning" in line
    origin = re.search(r"plugin (\S+) (\S+)$", line)
    assert origin, line
    assert (_normalised(origin[1]), origin[2]) == (_normalised(name), version)

    listed = {rule["id"]: rule for rule in _json(stdout_text(run_cli(
        "rules", "--format", "json", cwd=tmp_path, env={"PYTHONPATH": str(installed_plugin)}
    )))}
    assert listed["DLN001"]["origin"] == origin[0]
    assert listed["DLN001"]["thresholds"] == [{"name": "min_bidding_window_days", "default": 28, "unit": "days"}]
    assert listed["PWR001"]["origin"] == "built-in"


def test_without_the_plugin_on_the_path_its_rule_is_not_loaded(run_cli, tmp_path):
    process = run_cli("rules", "--format", "json", cwd=tmp_path)
    assert "DLN001" not in {rule["id"] for rule in _json(stdout_text(process))}


def test_installed_plugin_reports_a_short_window_with_the_dates_compared(run_cli, installed_plugin, write, tmp_path):
    tender = write("tenders/quick.yaml", SHORT_WINDOW)
    process = run_cli(
        "check", str(tender), "--format", "json", "--fail-on", "never",
        cwd=tmp_path, env={"PYTHONPATH": str(installed_plugin)},
    )
    assert process.returncode == 0, stderr_text(process)
    report = _json(stdout_text(process))
    assert report["errors"] == []
    (finding,) = [finding for finding in _findings(report, "QUICK-1") if finding["rule"] == "DLN001"]
    assert finding["severity"] == "concern"
    assert finding["message"].startswith(
        "14 days between publication (2026-11-01) and deadline (2026-11-15), fewer than 28"
    )
    assert "partners" in finding["action"]
    assert finding["recommendation"] == "Think about collaboration from the beginning"
    assert finding["source"] == "002_da80ac9788ba7218.txt"
    assert finding["field"] == "tender.deadline"
    assert finding["location"] == {"line": 5, "column": 3}
    assert finding["evidence"]["window_days"] == 14
    assert "DLN001" in _result(report, "QUICK-1")["checked"]


def test_installed_plugin_is_explained_like_a_built_in_rule(run_cli, installed_plugin, tmp_path):
    process = run_cli("explain", "DLN001", cwd=tmp_path, env={"PYTHONPATH": str(installed_plugin)})
    assert process.returncode == 0, stderr_text(process)
    text = stdout_text(process)
    assert 'Rebalancing the Relationship: emerging findings and draft recommendations (NCVO, ACEVO and Lloyds Bank Foundation, 2020), section "Draft recommendations: Thinking ahead"' in text
    assert "min_bidding_window_days: 28 days" in text
    assert "begin before a tender is released" in text  # the rationale, from the docstring


def test_the_plugins_own_tests_pass_against_the_installed_plugin(installed_plugin, plugin):
    process = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(plugin / "tests")],
        cwd=plugin, capture_output=True, text=True, timeout=300,
        env={**_environment_without_pythonpath(), "PYTHONPATH": str(installed_plugin)},
    )
    assert process.returncode == 0, process.stdout + process.stderr
    assert re.search(r"\b\d+ passed\b", process.stdout)


def _environment_without_pythonpath() -> dict[str, str]:
    import os

    return {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


# --- 2. Loaded by path with --rules ---------------------------------------------------


def _rules_source(kind: str, plugin: Path, tmp_path: Path) -> Path:
    if kind == "module":
        return plugin / PLUGIN_MODULE
    if kind == "package":
        return plugin / PLUGIN_PACKAGE
    folder = tmp_path / "our-rules"  # a plain folder of .py files, no __init__.py
    folder.mkdir()
    shutil.copy(plugin / PLUGIN_MODULE, folder)
    return folder


SOURCE_KINDS = ["module", "package", "folder"]


@pytest.mark.parametrize("kind", SOURCE_KINDS)
def test_rules_path_loads_the_plugin_in_the_console_script(kind, run_cli, plugin, write, tmp_path):
    source = _rules_source(kind, plugin, tmp_path)
    tender = write("tenders/quick.yaml", SHORT_WINDOW)

    listed = run_cli("rules", "--format", "json", "--rules", str(source), cwd=tmp_path)
    assert listed.returncode == 0, stderr_text(listed)
    (rule,) = [rule for rule in _json(stdout_text(listed)) if rule["id"] == "DLN001"]
    assert rule["origin"].startswith(str(source))

    process = run_cli("check", "--rules", str(source), str(tender), "--format", "json", "--fail-on", "never", cwd=tmp_path)
    assert process.returncode == 0, stderr_text(process)
    assert [f["severity"] for f in _findings(_json(stdout_text(process)), "QUICK-1") if f["rule"] == "DLN001"] == ["concern"]


@pytest.mark.parametrize("kind", SOURCE_KINDS)
def test_rules_path_loads_the_plugin_in_process(kind, invoke, plugin, write, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # `bidcheck rules` looks for a config from the working folder
    source = _rules_source(kind, plugin, tmp_path)
    tender = write("tenders/quick.yaml", SHORT_WINDOW)

    listed = invoke("rules", "--rules", str(source))
    assert listed.exit_code == 0, listed.stderr
    assert any(line.startswith("DLN001 ") and str(source) in line for line in listed.stdout.splitlines())

    result = invoke("check", "--rules", str(source), str(tender), "--format", "json", "--select", "DLN")
    assert result.exit_code == 0, result.stderr
    report = _json(result.stdout)
    assert _result(report, "QUICK-1")["verdict"] == "bid-with-conditions"
    (finding,) = _findings(report, "QUICK-1")
    assert finding["rule"] == "DLN001" and "(2026-11-15)" in finding["message"]


def test_rules_named_by_the_config_and_again_by_option_are_not_duplicates(run_cli, plugin, write, tmp_path):
    shutil.copytree(plugin / PLUGIN_PACKAGE, tmp_path / "rules", ignore=NOT_SOURCE)
    write("bidcheck.yaml", "rules:\n  paths: [rules]\n")
    tender = write("quick.yaml", SHORT_WINDOW)
    process = run_cli("check", "--rules", "rules/bidding_window.py", str(tender), "--select", "DLN", cwd=tmp_path)
    assert process.returncode == 0, stderr_text(process)


def test_a_configured_severity_applies_to_a_plugin_rule(invoke, plugin, write):
    write("bidcheck.yaml", "rules:\n  severity: {DLN001: blocker}\n")
    tender = write("quick.yaml", SHORT_WINDOW)
    result = invoke("check", "--rules", str(plugin / PLUGIN_MODULE), str(tender), "--format", "json", "--select", "DLN")
    assert result.exit_code == 1, result.stderr  # no-bid reaches the default --fail-on
    report = _json(result.stdout)
    assert _result(report, "QUICK-1")["verdict"] == "no-bid"
    assert [finding["severity"] for finding in _findings(report, "QUICK-1")] == ["blocker"]


# --- 3. Config rules.paths ----------------------------------------------------------------


@pytest.mark.parametrize("entry", ["../shared-rules/bidding_window.py", "../shared-rules"])
def test_config_rules_paths_are_relative_to_the_config_folder(entry, run_cli, plugin, write, tmp_path):
    (tmp_path / ".git").mkdir()  # one repository: a rule path may lead anywhere inside it
    shared = tmp_path / "shared-rules"
    shared.mkdir()
    shutil.copy(plugin / PLUGIN_MODULE, shared)
    write("project/bidcheck.yaml", f"""
        rules:
          paths: ["{entry}"]
        thresholds:
          min_bidding_window_days: 21
        """)
    write("project/tenders/quick.yaml", SHORT_WINDOW)
    write("project/tenders/three-weeks.yaml", THREE_WEEKS)
    elsewhere = tmp_path / "elsewhere" / "deeper"  # the same relative path from here leads nowhere
    elsewhere.mkdir(parents=True)

    process = run_cli("check", str(tmp_path / "project" / "tenders"), "--format", "json", "--fail-on", "never", cwd=elsewhere)
    assert process.returncode == 0, stderr_text(process)
    report = _json(stdout_text(process))
    (short,) = [f for f in _findings(report, "QUICK-1") if f["rule"] == "DLN001"]
    assert "fewer than 21" in short["message"]  # the config's threshold reached the plugin rule
    assert not [f for f in _findings(report, "THREE-WEEKS-1") if f["rule"] == "DLN001"]  # 21 days is enough under 21

    listed = run_cli("rules", "--config", str(tmp_path / "project" / "bidcheck.yaml"), cwd=elsewhere)
    assert listed.returncode == 0, stderr_text(listed)
    assert any(line.startswith("DLN001 ") for line in stdout_text(listed).splitlines())


def test_a_threshold_for_a_rule_that_is_not_loaded_is_a_located_config_error(run_cli, write, tmp_path):
    # Without the plugin, its threshold is unknown: a typo-proof config needs the rule loaded.
    write("bidcheck.yaml", "thresholds:\n  min_bidding_window_days: 21\n")
    tender = write("quick.yaml", SHORT_WINDOW)
    process = run_cli("check", str(tender), cwd=tmp_path)
    assert process.returncode == 2
    assert f"{tmp_path / 'bidcheck.yaml'}:2:3: unknown threshold 'min_bidding_window_days'" in stderr_text(process)


# --- 4. Duplicate ids ---------------------------------------------------------------------

DUPLICATE_OF_PWR001 = '''
from bidcheck.api import RECOGNISE_YOUR_POWER, Severity, rule


@rule("PWR001", title="Another loss-making bid", recommendation=RECOGNISE_YOUR_POWER, severity=Severity.CONCERN)
def another_loss_making_bid(tender, context):
    """Clashes with the built-in PWR001."""
    return []
'''


@pytest.mark.parametrize("command", ["check", "rules"])
def test_a_rule_id_defined_twice_is_a_load_error_naming_both_origins(command, run_cli, write, tmp_path):
    duplicate = write("our_rules.py", DUPLICATE_OF_PWR001)
    tender = write("quick.yaml", SHORT_WINDOW)
    arguments = ["check", "--rules", str(duplicate), str(tender)] if command == "check" else ["rules", "--rules", str(duplicate)]
    process = run_cli(*arguments, cwd=tmp_path)
    assert process.returncode == 2
    errors = stderr_text(process)
    (message,) = [line for line in errors.splitlines() if "defined twice" in line]
    assert "PWR001" in message and "built-in" in message and str(duplicate) in message
    assert "Traceback" not in errors


def test_an_installed_plugin_and_the_same_rules_by_path_clash_naming_both(run_cli, installed_plugin, plugin, tmp_path):
    name, version = _plugin_project()
    module = plugin / PLUGIN_MODULE
    process = run_cli("rules", "--rules", str(module), cwd=tmp_path, env={"PYTHONPATH": str(installed_plugin)})
    assert process.returncode == 2
    errors = stderr_text(process)
    (message,) = [line for line in errors.splitlines() if "defined twice" in line]
    assert "DLN001" in message and str(module) in message
    assert re.search(rf"plugin {re.escape(name)}|plugin {re.escape(_normalised(name))}", message)
    assert version in message
    assert "Traceback" not in errors


# --- 5. A rule that raises -----------------------------------------------------------------

CARELESS_RULE = '''
from bidcheck.api import SET_UP_THE_FOUNDATIONS, Finding, Severity, rule


@rule("BRK001", title="Big bid", recommendation=SET_UP_THE_FOUNDATIONS, severity=Severity.INFO)
def big_bid(tender, context):
    """Forgets that the bid block may be missing."""
    if tender.bid.price > 1_000_000:  # AttributeError when the tender has no bid block
        yield Finding(field="bid.price", message="a bid over a million", action="check the costing twice")
'''


def test_a_rule_that_raises_is_an_error_for_that_tender_and_the_batch_goes_on(run_cli, plugin, write, tmp_path):
    careless = write("careless.py", CARELESS_RULE)
    write("tenders/a-no-bid.yaml", SHORT_WINDOW.replace("QUICK-1", "NOBID-1") + "incumbent: none\n")
    write("tenders/b-big-bid.yaml", """
        tender: {id: BIG-1, title: Large service}
        incumbent: none
        bid: {price: "£1.5m", full_cost: "£1.4m"}
        """)
    process = run_cli(
        "check", str(tmp_path / "tenders"), "--rules", str(careless), "--rules", str(plugin / PLUGIN_MODULE),
        "--format", "json", "--fail-on", "never", cwd=tmp_path,
    )
    assert process.returncode == 2
    errors = stderr_text(process)
    assert "Traceback" not in errors
    (line,) = [line for line in errors.splitlines() if "BRK001" in line]
    assert "NOBID-1" in line and "AttributeError" in line

    report = _json(stdout_text(process))
    (error,) = report["errors"]
    assert (error["rule"], error["tender"]) == ("BRK001", "NOBID-1")
    assert error["file"].endswith("a-no-bid.yaml") and error["line"] >= 1
    assert report["summary"]["errors"] == 1

    failed = _result(report, "NOBID-1")
    assert failed["verdict"] not in ("bid", "bid-with-conditions")  # an incomplete check is never clean
    assert failed["complete"] is False
    assert "DLN001" in {finding["rule"] for finding in failed["findings"]}  # the other rules still ran
    assert "BRK001" not in {finding["rule"] for finding in failed["findings"]}

    other = _result(report, "BIG-1")
    assert other["complete"] is True
    assert "BRK001" in {finding["rule"] for finding in other["findings"]}


def test_a_rule_that_raises_is_reported_in_process_too(invoke, write):
    careless = write("careless.py", CARELESS_RULE)
    tender = write("no-bid.yaml", "tender: {id: NOBID-2, title: No bid yet}\n")
    result = invoke("check", "--rules", str(careless), str(tender), "--select", "BRK")
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "BRK001" in result.stderr and "NOBID-2" in result.stderr
    assert "Traceback" not in result.stderr


# --- 6. A rule that returns something other than findings ---------------------------------

NOT_FINDINGS = {
    "a message string": 'yield "the bid is too big"',
    "a dict": 'return {"field": "bid.price", "message": "too big", "action": "reprice"}',
    "a number": "return 42",
}


@pytest.mark.parametrize("body", NOT_FINDINGS.values(), ids=NOT_FINDINGS.keys())
def test_a_rule_that_returns_something_other_than_findings_is_an_error_naming_it(body, invoke, write):
    wrong = write("wrong.py", f'''
        from bidcheck.api import SET_UP_THE_FOUNDATIONS, Severity, rule


        @rule("BAD001", title="Wrong return", recommendation=SET_UP_THE_FOUNDATIONS, severity=Severity.CONCERN)
        def wrong_return(tender, context):
            """Returns the wrong thing."""
            {body}
        ''')
    tender = write("t.yaml", "tender: {id: WRONG-1, title: Anything}\n")
    result = invoke("check", "--rules", str(wrong), str(tender), "--format", "json")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    (line,) = [line for line in result.stderr.splitlines() if "BAD001" in line]
    assert "WRONG-1" in line
    (error,) = _json(result.stdout)["errors"]
    assert error["rule"] == "BAD001"


def test_a_rule_that_yields_a_string_is_told_to_yield_findings(run_cli, write, tmp_path):
    wrong = write("wrong.py", f'''
        from bidcheck.api import SET_UP_THE_FOUNDATIONS, Severity, rule


        @rule("BAD002", title="Yields text", recommendation=SET_UP_THE_FOUNDATIONS, severity=Severity.CONCERN)
        def yields_text(tender, context):
            """Yields a message instead of a Finding."""
            {NOT_FINDINGS["a message string"]}
        ''')
    tender = write("t.yaml", "tender: {id: WRONG-2, title: Anything}\n")
    process = run_cli("check", "--rules", str(wrong), str(tender), cwd=tmp_path)
    assert process.returncode == 2
    errors = stderr_text(process)
    assert "Traceback" not in errors
    (line,) = [line for line in errors.splitlines() if "BAD002" in line]
    assert "Finding" in line and "str" in line


# --- 7. Rules that cannot be loaded ---------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "rules"])
def test_a_missing_rules_path_is_a_located_error(command, run_cli, write, tmp_path):
    missing = tmp_path / "nowhere" / "rules.py"
    tender = write("t.yaml", MINIMAL)
    arguments = ["check", "--rules", str(missing), str(tender)] if command == "check" else ["rules", "--rules", str(missing)]
    process = run_cli(*arguments, cwd=tmp_path)
    assert process.returncode == 2
    errors = stderr_text(process)
    assert f"{missing}: rules path does not exist" in errors
    assert "Traceback" not in errors


def test_a_missing_config_rules_path_is_an_error_and_nothing_is_checked(run_cli, write, tmp_path):
    write("bidcheck.yaml", "rules:\n  paths: [nowhere/rules.py]\n")
    write("t.yaml", MINIMAL)
    process = run_cli("check", "t.yaml", "--format", "json", cwd=tmp_path)
    assert process.returncode == 2
    errors = stderr_text(process)
    # Located at the config line that names the path, and naming the path.
    assert f"{tmp_path / 'bidcheck.yaml'}:2:11: rules path does not exist" in errors
    assert str(tmp_path / "nowhere" / "rules.py") in errors
    assert "Traceback" not in errors
    assert _json(stdout_text(process))["results"] == []


def test_a_missing_rules_file_in_the_working_folder_is_reported_as_missing(run_cli, tmp_path):
    process = run_cli("rules", "--rules", "missing_rules.py", cwd=tmp_path)
    assert process.returncode == 2
    assert "missing_rules.py: rules path does not exist" in stderr_text(process)


BROKEN_SOURCES = {
    "syntax error": ("def broken(:\n    pass\n", "SyntaxError"),
    "import error": ("import a_module_that_is_not_installed\n", "ModuleNotFoundError"),
    "error at import": ("raise RuntimeError('plugin misconfigured')\n", "RuntimeError"),
}


@pytest.mark.parametrize(("text", "error_name"), BROKEN_SOURCES.values(), ids=BROKEN_SOURCES.keys())
def test_a_rules_file_that_fails_to_import_is_an_error_not_a_traceback(text, error_name, run_cli, write, tmp_path):
    broken = write("broken_rules.py", text)
    tender = write("t.yaml", MINIMAL)
    process = run_cli("check", "--rules", str(broken), str(tender), cwd=tmp_path)
    assert process.returncode == 2
    errors = stderr_text(process)
    assert "Traceback" not in errors
    (line,) = [line for line in errors.splitlines() if error_name in line]
    assert "broken_rules.py" in line


def test_a_syntax_error_in_a_rules_file_is_located_at_its_line(run_cli, write, tmp_path):
    broken = write("broken_rules.py", "import os\n\ndef broken(:\n    pass\n")
    process = run_cli("rules", "--rules", str(broken), cwd=tmp_path)
    assert process.returncode == 2
    assert re.search(rf"^{re.escape(str(broken))}:3:\d+: ", stderr_text(process), re.MULTILINE)


def test_a_broken_rules_option_is_not_blamed_on_the_config(run_cli, write, tmp_path):
    write("bidcheck.yaml", "organisation: {name: Us}\n")
    broken = write("broken_rules.py", "def broken(:\n    pass\n")
    process = run_cli("rules", "--rules", str(broken), cwd=tmp_path)
    assert process.returncode == 2
    assert "bidcheck.yaml" not in stderr_text(process)


# --- 8. The plugin's documented examples ------------------------------------------------


def _plugin_rules() -> list[Rule]:
    """The plugin's rules, imported straight from the repo's file (no bytecode left behind)."""
    spec = importlib.util.spec_from_file_location("bidcheck_deadline_under_test", PLUGIN / PLUGIN_MODULE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    writes_bytecode = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = writes_bytecode
    return [value for value in vars(module).values() if isinstance(value, Rule)]


PLUGIN_RULES = _plugin_rules()


@pytest.mark.parametrize(
    ("rule", "example"),
    [pytest.param(rule, example, id=f"{rule.id}: {example.description}") for rule in PLUGIN_RULES for example in rule.examples],
)
def test_plugin_example_gives_its_documented_severity(rule, example):
    assert example_severities(rule, example) == {example.expect}


@pytest.mark.parametrize("rule", PLUGIN_RULES, ids=lambda rule: rule.id)
def test_plugin_rule_documents_where_it_fires_holds_and_asks(rule):
    outcomes = {example.expect for example in rule.examples}
    assert None in outcomes and outcomes - {None}
    assert any(outcome is not None and outcome.value == "unknown" for outcome in outcomes)
    assert rule.rationale
    assert rule.recommendation.source.endswith(".txt")
    assert not rule.id.startswith(("IMP", "PWR", "MIS", "COL"))


def test_plugin_imports_nothing_from_bidcheck_but_the_public_api():
    for path in sorted((PLUGIN / PLUGIN_PACKAGE).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        internal = [name for name in imported if name.split(".")[0] == "bidcheck" and name != "bidcheck.api"]
        assert not internal, f"{path.relative_to(ROOT)} imports {internal}; plugins may use bidcheck.api only"


def test_plugin_entry_point_names_its_package():
    project = tomllib.loads((PLUGIN / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["entry-points"]["bidcheck.rules"] == {"deadline": "bidcheck_deadline"}
    assert (PLUGIN / PLUGIN_PACKAGE / "__init__.py").is_file()



# --- The guide for plugin authors stays true ------------------------------------------------

GUIDE = ROOT / "docs" / "writing-rules.md"


def _guide_blocks() -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```$", GUIDE.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)


def test_code_the_guide_quotes_from_the_example_plugin_is_still_in_its_files():
    quoted = [block.split("\n", 1) for block in _guide_blocks() if block.startswith("# examples/plugin/")]
    assert len(quoted) >= 4
    for first_line, excerpt in quoted:
        path = ROOT / first_line.removeprefix("# ")
        assert excerpt in path.read_text(encoding="utf-8"), f"{GUIDE.name} quotes {path.relative_to(ROOT)}, which has changed"


def test_the_guides_first_rule_and_its_tests_run(tmp_path):
    (rule_source,) = [block for block in _guide_blocks() if '"ORG001"' in block]
    (test_source,) = [block for block in _guide_blocks() if "from our_rules import" in block]
    (tmp_path / "our_rules.py").write_text(rule_source, encoding="utf-8")
    (tmp_path / "test_our_rules.py").write_text(test_source, encoding="utf-8")
    process = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_our_rules.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**_environment_without_pythonpath(), "PYTHONPATH": str(tmp_path)},
    )
    assert process.returncode == 0, process.stdout + process.stderr
    assert re.search(r"\b4 passed\b", process.stdout), process.stdout


def test_the_guide_documents_every_part_of_the_rule_api():
    import dataclasses
    import inspect

    from bidcheck.api import Context, Example, Finding, Threshold, rule

    guide = GUIDE.read_text(encoding="utf-8")
    names = [name for name in inspect.signature(rule).parameters]
    for documented in (Finding, Threshold, Example, Context):
        names += [field.name for field in dataclasses.fields(documented)]
    missing = [name for name in names if not any(form in guide for form in (f"`{name}`", f".{name}`", f"{name}="))]
    assert not missing, f"{GUIDE.name} does not explain: {', '.join(missing)}"


# --- a rules source that defines no rule is an error, not a silent no-op -------------------------


@pytest.mark.parametrize(
    "config, option",
    [
        ("rules: {paths: [os]}\n", None),  # a module that exists but holds no rules
        ("rules: {paths: [no_rules_here.py]}\n", None),  # a file with no @rule
        ("{}\n", "no_rules_here.py"),  # the same named with --rules
    ],
)
def test_a_rules_source_that_defines_no_rule_is_a_located_error(run_cli, tmp_path, config, option):
    (tmp_path / ".git").mkdir()
    (tmp_path / "bidcheck.yaml").write_text(config)
    (tmp_path / "no_rules_here.py").write_text("THRESHOLD = 3\n")
    (tmp_path / "t.yaml").write_text("tender: {id: T-1, title: Advice}\n")
    process = run_cli("check", "t.yaml", *(["--rules", option] if option else []), cwd=tmp_path)
    stderr = process.stderr.decode()
    assert process.returncode == 2, stderr
    assert "defines no rules" in stderr
    if option is None:
        assert "bidcheck.yaml:1:" in stderr  # at the config entry that names it
