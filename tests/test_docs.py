"""Docs come from the code and the recorded benchmark: generated parts are regenerated and compared."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_readme_rule_table_matches_the_rules_metadata():
    process = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "update_readme.py"), "--check"], capture_output=True, text=True
    )
    assert process.returncode == 0, "README drifted; run `python scripts/update_readme.py`:\n" + process.stdout


def test_readme_lists_every_built_in_rule_id():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    import bidcheck_rules.impact
    import bidcheck_rules.power

    from bidcheck.api import Rule

    for module in (bidcheck_rules.impact, bidcheck_rules.power):
        for value in vars(module).values():
            if isinstance(value, Rule):
                assert f"| {value.id} |" in readme


def _benchmark_record():
    import importlib.util

    spec = importlib.util.spec_from_file_location("benchmark_record", ROOT / "benchmarks" / "record.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_performance_figures_in_docs_and_readme_come_from_the_recorded_run():
    record = _benchmark_record()
    figures = json.loads((ROOT / "docs" / "performance.json").read_text(encoding="utf-8"))
    assert set(figures["ratios"]) == {key for key, _, _ in record.TARGETS}
    performance = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    expected_docs = record.replace_between(performance, "figures", record.figures_section(figures))
    expected_readme = record.replace_between(readme, "performance", record.headline(figures))
    hint = "; run `python benchmarks/record.py` (or record a new run: `python benchmarks/run.py --record`)"
    assert performance == expected_docs, "docs/performance.md drifted from docs/performance.json" + hint
    assert readme == expected_readme, "README's performance headline drifted from docs/performance.json" + hint


def test_recorded_ratios_are_the_recorded_times_divided():
    figures = json.loads((ROOT / "docs" / "performance.json").read_text(encoding="utf-8"))
    single, batch, ratios = figures["single"], figures["batch"], figures["ratios"]
    assert ratios["single_vs_yamllint"] == single["bidcheck"] / single["yamllint"]
    assert ratios["single_vs_check_jsonschema"] == single["bidcheck"] / single["check-jsonschema"]
    assert ratios["batch_vs_bare_loop"] == batch["bidcheck"] / batch["bare CSafeLoader loop"]
    assert ratios["batch_vs_yamllint"] == batch["bidcheck"] / batch["yamllint"]
    assert ratios["jobs2_vs_jobs1"] == batch["bidcheck --jobs 2"] / batch["bidcheck --jobs 1"]
    size = str(batch["tenders"])
    assert ratios["memory_batch_vs_1000"] == figures["peak_rss_mb"][size] / figures["peak_rss_mb"]["1000"]
