"""What it would take re-runs only what a change can alter (bidcheck.rerun), and finds exactly
what re-running every rule on every changed copy finds."""

from __future__ import annotations

import copy
import datetime
import importlib.util
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bidcheck.pipeline as pipeline_module
from bidcheck.decide import decide
from bidcheck.evaluate import evaluate, evaluate_each
from bidcheck.models import TenderFile, Verdict
from bidcheck.pipeline import CheckOptions, check
from bidcheck.clearing import Change
from bidcheck.read import read_text
from bidcheck.rerun import Rerun, _revalidated, apply_change, is_better, questions
from bidcheck.validate import validate_tender
from tests.conftest import EXAMPLES, ROOT

TODAY = datetime.date(2026, 11, 30)


class FullRerun(Rerun):
    """The plain way: validate the whole changed tender, run every rule, decide."""

    def _verdict(self, changes):
        data = copy.deepcopy(self.document.data)
        try:
            for change in changes:
                apply_change(data, change)
            tender = TenderFile.model_validate(data)
        except (ValueError, LookupError, TypeError):
            return None
        changed = replace(self.document, data=data)
        decided = decide(
            self.result.file, tender, changed, evaluate(tender, changed, self.settings), self.today,
            apply_waivers=self.apply_waivers, settings=self.settings,
        )  # fmt: skip
        if questions(decided) - self.asked or not is_better(decided.verdict, self.result.verdict):
            return None
        return decided.verdict


def proposals(paths: list[str], monkeypatch: pytest.MonkeyPatch, rerun: type[Rerun]) -> dict[str, list[dict]]:
    counter = {"runs": 0}

    def counting(*args):
        for item in evaluate_each(*args):
            counter["runs"] += 1
            yield item

    monkeypatch.setattr(pipeline_module, "Rerun", rerun)
    monkeypatch.setattr("bidcheck.rerun.evaluate_each", counting)  # the quick way's rule runs
    monkeypatch.setattr("bidcheck.evaluate.evaluate_each", counting)  # the first check's, and the full way's
    found = {}
    for result in check(paths, CheckOptions(today=TODAY, jobs=1)):
        if hasattr(result, "what_it_would_take"):
            found[result.file] = [proposal.record() for proposal in result.what_it_would_take]
    monkeypatch.undo()
    found["rule runs"] = counter["runs"]  # type: ignore[assignment]
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[str]:
    spec = importlib.util.spec_from_file_location("benchmark_generate", ROOT / "benchmarks" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    folder = tmp_path_factory.mktemp("generated")
    generate.generate(folder, 1000)
    return [str(folder)]


def test_the_examples_get_what_a_full_rerun_finds(monkeypatch):
    paths = [str(EXAMPLES / "tenders")]
    quick, full = proposals(paths, monkeypatch, Rerun), proposals(paths, monkeypatch, FullRerun)
    assert quick.pop("rule runs") < full.pop("rule runs")
    assert quick == full
    assert sum(1 for found in quick.values() if found) >= 6  # the examples do propose changes


def test_varied_tenders_get_what_a_full_rerun_finds_with_far_fewer_rule_runs(monkeypatch, generated):
    quick, full = proposals(generated, monkeypatch, Rerun), proposals(generated, monkeypatch, FullRerun)
    quick_runs, full_runs = quick.pop("rule runs"), full.pop("rule runs")
    assert quick == full
    assert sum(1 for found in quick.values() if found) >= 50
    assert {proposal["verdict"] for found in quick.values() for proposal in found} == {
        Verdict.BID.value, Verdict.BID_WITH_CONDITIONS.value
    }
    assert quick_runs * 2 < full_runs  # the point of bidcheck.rerun: counted, not timed


TENDER_FILES = sorted((EXAMPLES / "tenders").glob("*.yaml"))
FIELDS = st.sampled_from(
    ["bid.price", "bid.full_cost", "bid.value_pct", "bid.incumbent_approach", "bid.role", "bid.coproduction",
     "partners[0].agreement", "partners[0].value_pct", "partners[1].exclusivity", "partners[0].results_pct",
     "partners[1].management_fee_pct", "partners[0].consented", "partners[]", "partners[0]"]
)  # fmt: skip
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 200), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["signed", "draft", "partner", "support", "prime", "lots", "£1.2m", "", "done"]),
    st.fixed_dictionaries({"name": st.sampled_from(["Ally", ""])}, optional={"value_pct": st.integers(-5, 120)}),
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(file=st.sampled_from(TENDER_FILES), changes=st.lists(st.tuples(FIELDS, VALUES, st.booleans()), min_size=1, max_size=3))
def test_a_changed_copy_is_validated_as_the_whole_file_would_be(file, changes):
    """bidcheck.rerun validates only the fields a set changes; the tender must be what validating the
    whole changed file gives, and a change that makes the file invalid must fail the same way."""
    document = read_text(file.read_text(encoding="utf-8"), str(file))
    tender = validate_tender(document)
    made = tuple(Change(field, value, remove=remove and not field.endswith("[]") and field.count(".") == 0) for field, value, remove in changes)
    data = copy.deepcopy(document.data)
    try:
        for change in made:
            apply_change(data, change)
    except (LookupError, TypeError):
        return  # the set does not apply: never validated
    try:
        whole = TenderFile.model_validate(data)
    except ValueError:
        whole = None
    try:
        quick = _revalidated(tender, data, made)
    except ValueError:
        quick = None
    assert quick == whole
