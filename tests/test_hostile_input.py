"""Hostile and broken input, generated: a verdict or located errors, exit 0/1/2, never a traceback.

The default run generates well over 2,000 cases; set BIDCHECK_FUZZ_SCALE (e.g. 10) for more.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bidcheck.cli import app
from tests.conftest import EXAMPLES

SCALE = max(1, int(os.environ.get("BIDCHECK_FUZZ_SCALE", "1")))
def fuzz(max_examples: int) -> settings:
    return settings(FUZZ, max_examples=max_examples * SCALE)


FUZZ = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
RUNNER = CliRunner()
VALID_TENDERS = [yaml.safe_load(path.read_text()) for path in sorted((EXAMPLES / "tenders").glob("*.yaml"))]


def assert_handled(data: bytes) -> dict:
    """Run `bidcheck check - --format json` in-process on ``data``; check the outcome is orderly."""
    result = RUNNER.invoke(app, ["check", "-", "--format", "json", "--config", str(EXAMPLES / "bidcheck.yaml")], input=data)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert len(report["results"]) + len(report["errors"]) >= 1
    for error in report["errors"]:
        assert error["file"] == "<stdin>" and error["line"] >= 1 and error["column"] >= 1 and error["message"]
        assert f"<stdin>:{error['line']}:{error['column']}: " in result.stderr
    for tender in report["results"]:
        assert tender["verdict"] in ("bid", "bid-with-conditions", "needs-info", "no-bid")
        assert all(f["location"]["line"] >= 1 for f in tender["findings"])
    assert (result.exit_code == 2) == bool(report["errors"])
    return report


# Values that break naive code: wrong types, odd numbers, odd text.
hostile_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", " ", "no", "yes", "on", "off", "0123", "1e6", "£1.2bn", "about £1m", "-£5", "NaN", ".inf",
                     "2026-02-30", "30%", "130%", "none", "~", "£", "1,2,3", "\u202e", "\x00", "é" * 50]),
    st.text(max_size=40),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=3),
)


@st.composite
def mutated_tenders(draw) -> bytes:
    """A real example tender with a few keys dropped, renamed or given hostile values."""
    tender = json.loads(json.dumps(draw(st.sampled_from(VALID_TENDERS)), default=str))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        section_name = draw(st.sampled_from(sorted(tender)))
        section = tender[section_name]
        if isinstance(section, list) and section and isinstance(section[0], dict):
            section = section[0]
        if not isinstance(section, dict) or not section:
            tender[section_name] = draw(hostile_values)
            continue
        key = draw(st.sampled_from(sorted(section)))
        action = draw(st.sampled_from(["drop", "rename", "replace"]))
        if action == "drop":
            del section[key]
        elif action == "rename":
            section[draw(st.text(min_size=1, max_size=12))] = section.pop(key)
        else:
            section[key] = draw(hostile_values)
    text = yaml.safe_dump(tender, allow_unicode=True, sort_keys=False)
    return text.encode("utf-8")


yaml_documents = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)),
    max_leaves=25,
)


@fuzz(1200)
@given(mutated_tenders())
def test_mutated_tenders_get_a_verdict_or_located_errors(data):
    assert_handled(data)


@fuzz(500)
@given(st.binary(max_size=600))
def test_random_bytes_get_located_errors(data):
    assert_handled(data)


@fuzz(500)
@given(yaml_documents)
def test_random_yaml_documents_get_a_verdict_or_located_errors(document):
    try:
        text = yaml.safe_dump(document, allow_unicode=True)
    except (ValueError, yaml.YAMLError):  # PyYAML itself cannot write some floats and keys
        return
    assert_handled(text.encode("utf-8"))


@fuzz(300)
@given(st.text(max_size=300))
def test_random_text_gets_a_verdict_or_located_errors(text):
    assert_handled(text.encode("utf-8", "surrogatepass") if not _has_surrogates(text) else text.encode("utf-8", "replace"))


def _has_surrogates(text: str) -> bool:
    return any(0xD800 <= ord(character) <= 0xDFFF for character in text)


NAMED_CASES = {
    "python-object.yaml": b"tender: !!python/object/apply:os.system ['touch pwned']\n",
    "billion-laughs.yaml": b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
    "deep.yaml": b"[" * 50_000 + b"]" * 50_000,
    "binary.yaml": bytes(range(256)),
    "latin1.yaml": "tender: {id: A, title: Caf\u00e9}\n".encode("latin-1"),
    "bom.yaml": b"\xef\xbb\xbftender: {id: A, title: B}\nincumbent: none\n",
    "crlf.yaml": b"tender:\r\n  id: A\r\n  title: B\r\n  value: about a million\r\n",
    "tabs.yaml": b"tender:\n\tid: A\n",
    "empty.yaml": b"",
    "two-docs.yaml": b"tender: {id: A, title: B}\n---\ntender: {id: C, title: D}\n",
    "list.yaml": b"- tender: {id: A, title: B}\n",
    "percent.yaml": b"tender: {id: A, title: B, results_pct: 130}\n",
    "negative.yaml": b"tender: {id: A, title: B, value: -5}\n",
    "date.yaml": b"tender: {id: A, title: B, deadline: 2026-02-30}\n",
    "traps.yaml": b"tender: {id: 0123, title: no, value: 1e6}\nincumbent: none\nbid: {growth_driven: on}\n",
    "bn.yaml": b"tender: {id: A, title: B, value: \"\xc2\xa31.2bn\"}\nincumbent: none\n",
    "nan.yaml": b"tender: {id: A, title: B, value: .nan, term_months: .inf}\n",
    "huge.yaml": b"tender: {id: A, title: B, value: 1" + b"0" * 400 + b"}\n",
    "rules-in-tender.yaml": b"tender: {id: A, title: B}\nrules: {paths: [evil.py]}\n",
}


def test_named_hostile_files_through_the_installed_script_never_show_a_traceback(tmp_path, run_cli):
    for name, data in NAMED_CASES.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "evil.py").write_text("open('pwned-by-rules', 'w').close()\n")
    process = run_cli("check", ".", "--format", "json", "--config", str(EXAMPLES / "bidcheck.yaml"), cwd=tmp_path)
    stdout, stderr = process.stdout.decode(), process.stderr.decode()
    assert process.returncode == 2
    assert "Traceback" not in stdout + stderr
    report = json.loads(stdout)
    errors = {Path(error["file"]).name for error in report["errors"]}
    checked = {Path(result["file"]).name for result in report["results"]}
    assert errors | checked == set(NAMED_CASES)
    assert {"bom.yaml", "traps.yaml", "bn.yaml"} <= checked
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned-by-rules").exists()
    traps = next(r for r in report["results"] if r["file"].endswith("traps.yaml"))
    assert {key: traps["tender"][key] for key in ("id", "title", "buyer", "value")} == {"id": "0123", "title": "no", "buyer": None, "value": 1000000.0}
    billion = next(r for r in report["errors"] if r["file"].endswith("billion-laughs.yaml"))
    assert "alias expansion" in billion["message"]
    for error in report["errors"]:
        assert f"{error['file']}:{error['line']}:{error['column']}: " in stderr
    assert math.isclose(next(r for r in report["results"] if r["file"].endswith("bn.yaml"))["tender"]["value"], 1.2e9)


def test_broken_paths_are_errors_for_that_path_and_the_rest_is_checked(tmp_path, run_cli):
    good = tmp_path / "good"
    good.mkdir()
    (good / "a.yaml").write_text("tender: {id: A, title: B}\nincumbent: none\n")
    loop = tmp_path / "loop"
    loop.mkdir()
    (loop / "again").symlink_to(loop, target_is_directory=True)  # a folder that contains itself
    (loop / "b.yaml").write_text("tender: {id: B, title: C}\nincumbent: none\n")
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "gone.yaml")
    (tmp_path / "empty").mkdir()
    process = run_cli("check", "good", "loop", "dangling.yaml", "empty", "*.nomatch", "--format", "json", cwd=tmp_path)
    report = json.loads(process.stdout)
    assert process.returncode == 2 and "Traceback" not in process.stderr.decode()
    assert sorted(result["tender"]["id"] for result in report["results"]) == ["A", "B"]
    messages = {error["file"]: error["message"] for error in report["errors"]}
    assert messages["dangling.yaml"] == "no such file or folder"
    assert messages["empty"].startswith("no tender files")
    assert messages["*.nomatch"] == "no files match this pattern"


def test_an_interrupted_run_leaves_the_earlier_report_whole(tmp_path, run_cli):
    (tmp_path / "t.yaml").write_text("tender: {id: A, title: B}\nincumbent: none\n")
    (tmp_path / "interrupt.py").write_text(
        "from bidcheck.api import RECOGNISE_YOUR_POWER, Severity, rule\n"
        "@rule('INT001', title='Stops the run', recommendation=RECOGNISE_YOUR_POWER, severity=Severity.INFO)\n"
        "def stop(tender, context):\n"
        "    '''Simulates Ctrl-C in the middle of a batch.'''\n"
        "    raise KeyboardInterrupt\n"
    )
    (tmp_path / "report.json").write_text('{"earlier": true}')
    process = run_cli("check", "t.yaml", "--rules", "interrupt.py", "--format", "json", "--output", "report.json", cwd=tmp_path)
    assert process.returncode == 130 and "Traceback" not in process.stderr.decode()
    assert (tmp_path / "report.json").read_text() == '{"earlier": true}'
    assert sorted(path.name for path in tmp_path.iterdir()) == ["interrupt.py", "report.json", "t.yaml"]


def test_a_tender_cannot_make_bidcheck_load_code(tmp_path, run_cli):
    (tmp_path / "evil.py").write_text("open('pwned', 'w').close()\n")
    attempts = {
        "rules-key.yaml": "tender: {id: A, title: B}\nrules: {paths: [evil.py]}\n",
        "paths-in-org.yaml": "tender: {id: A, title: B}\norganisation: {paths: [evil.py]}\n",
        "module-as-text.yaml": "tender: {id: A, title: evil, buyer: evil.py, source: {url: evil.py}}\nincumbent: none\n",
        "tag.yaml": "tender: !!python/name:evil.x {id: A, title: B}\n",
    }
    for name, text in attempts.items():
        (tmp_path / name).write_text(text)
    process = run_cli("check", *attempts, "--format", "json", cwd=tmp_path)
    assert not (tmp_path / "pwned").exists()
    report = json.loads(process.stdout)
    errors = " ".join(error["message"] for error in report["errors"])
    assert "unknown key 'rules'" in errors and "unknown key 'paths' in organisation" in errors and "not allowed" in errors
    assert [result["tender"]["id"] for result in report["results"]] == ["A"]  # the text is just text
