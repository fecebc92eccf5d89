"""Docs come from the code and the recorded benchmark: generated parts are regenerated and compared."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def test_readme_rule_table_matches_the_rules_metadata():
    process = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "update_readme.py"), "--check"], capture_output=True, text=True
    )
    assert process.returncode == 0, "README drifted; run `python scripts/update_readme.py`:\n" + process.stdout


def test_readme_lists_every_built_in_rule_id():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    import importlib
    import pkgutil

    import bidcheck_rules

    from bidcheck.api import Rule

    modules = [importlib.import_module(f"bidcheck_rules.{info.name}") for info in pkgutil.iter_modules(bidcheck_rules.__path__)]
    assert len(modules) > 4  # every rules module, however the built-in rules are split
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, Rule):
                assert f"| {value.id} |" in readme


def _benchmark_record():
    import importlib.util

    spec = importlib.util.spec_from_file_location("benchmark_record", ROOT / "benchmarks" / "record.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHECK_TARGETS = {"single_vs_yamllint", "single_vs_check_jsonschema", "batch_vs_bare_loop", "batch_vs_yamllint", "memory_batch_vs_1000", "jobs2_vs_jobs1"}


def test_performance_figures_in_docs_and_readme_come_from_the_recorded_run():
    record = _benchmark_record()
    figures = json.loads((ROOT / "docs" / "performance.json").read_text(encoding="utf-8"))
    measured = set(figures["ratios"]) | set(figures.get("absolute", {}))
    assert CHECK_TARGETS <= measured <= {target.key for target in record.TARGETS}
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
    _assert_scale_ratios_are_its_figures_divided(figures)


def _assert_scale_ratios_are_its_figures_divided(figures):
    """Issue 12's ratios, for the parts a recorded run has."""
    ratios = figures["ratios"]
    if "import" in figures:
        notices = figures["import"]
        peaks, seconds = notices["peak_rss_mb"], notices["seconds"]
        small, large = str(notices["small_mb"]), str(notices["large_mb"])
        assert ratios["import_memory_200_vs_20"] == peaks[large] / peaks[small]
        assert figures["absolute"]["import_peak_mib_200"] == peaks[large]
        assert ratios["import_vs_bare_loop"] == seconds["bidcheck import ocds"] / seconds["bare json.loads loop"]
    if "triage" in figures:
        triage = figures["triage"]
        assert ratios["triage_top50_vs_check"] == triage["seconds"]["bidcheck triage --top 50"] / triage["seconds"]["bidcheck check"]
        peaks = triage["peak_rss_mb"]
        assert ratios["triage_memory_100k_vs_10k"] == peaks[str(triage["tenders"])] / peaks[str(triage["small"])]
    if "incumbent" in figures:
        seconds = figures["incumbent"]["seconds"]
        assert ratios["incumbent_full_vs_empty_store"] == seconds["full store"] / seconds["empty store"]
    if "ledger" in figures:
        seconds = figures["ledger"]["seconds"]
        assert ratios["ledger_record_vs_check"] == seconds["bidcheck ledger record"] / seconds["bidcheck check"]
        assert figures["absolute"]["portfolio_seconds"] == seconds["bidcheck portfolio"]


def test_every_target_a_run_measured_is_rendered_in_the_docs_and_the_readme():
    """A run with every part (made from the recorded one, with issue 12's parts added at
    invented sizes) renders a row for each of its targets and names each in the headline."""
    record = _benchmark_record()
    figures = json.loads((ROOT / "docs" / "performance.json").read_text(encoding="utf-8"))
    figures["import"] = {
        "as_of": "2026-08-15",
        "small_mb": 7,
        "large_mb": 70,
        "files": {mb: {"bytes": int(mb) * 10**6, "releases": 1, "procurements": 1, "with_deadline": 1, "open": 1} for mb in ("7", "70")},
        "seconds": {"bidcheck import ocds": 3.0, "bare json.loads loop": 1.0},
        "peak_rss_mb": {"7": 50.0, "70": 55.0},
    }
    figures["absolute"] = {"import_peak_mib_200": 55.0, "portfolio_seconds": 0.75}
    figures["ledger"] = {"tenders": 20000, "seconds": {"bidcheck ledger record": 3.3, "bidcheck check": 3.0, "bidcheck portfolio": 0.75}}
    figures["triage"] = {"small": 3000, "tenders": 30000, "seconds": {"bidcheck triage --top 50": 2.0, "bidcheck check": 2.0}, "peak_rss_mb": {"3000": 40.0, "30000": 41.0}}
    figures["incumbent"] = {"store_releases": 7000, "latest_releases": 700, "latest_open": 1, "store_build_seconds": 9.0, "seconds": {"full store": 1.5, "empty store": 1.0}}
    scale = ("import_memory_200_vs_20", "import_vs_bare_loop", "triage_top50_vs_check", "triage_memory_100k_vs_10k", "incumbent_full_vs_empty_store", "ledger_record_vs_check")
    figures["ratios"].update({key: 1.0 + index / 10 for index, key in enumerate(scale)})

    section = record.figures_section(figures)
    rows = [line for line in section.splitlines() if line.startswith("| ") and " | ≤ " in line]
    assert len(rows) == len(record.TARGETS)
    for sizes in ("70 MB / 7 MB", "30,000 / 3,000 tenders", "700 releases: into a store of 7,000", "20,000 tenders: ledger record", "over 20,000 recorded"):
        assert any(sizes in row for row in rows)
    headline = record.headline(figures)
    for ratio in (*scale, "import_peak_mib_200", "portfolio_seconds"):
        value = figures["absolute"].get(ratio) or figures["ratios"][ratio]
        assert f"{value:.2f}" in headline or f"{value:.0f} MiB" in headline


def test_a_run_with_a_figure_no_target_renders_is_refused():
    record = _benchmark_record()
    figures = json.loads((ROOT / "docs" / "performance.json").read_text(encoding="utf-8"))
    figures["ratios"]["something_new"] = 1.0
    with pytest.raises(ValueError, match="something_new"):
        record.figures_section(figures)


def _readme_console(command: str) -> str:
    """The output the README shows under ``$ command``, up to the end of its block."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"$ {command}\n") + len(command) + 3
    return readme[start : readme.index("```", start)]


def test_the_readme_workflow_on_real_notices_shows_what_bidcheck_prints(tmp_path):
    """The consultant's workflow in the README: its import and triage outputs come from a real run."""
    import pytest

    from tests.conftest import console_script

    shared = ROOT.parent / "shared"
    if not (shared / "data" / "ocds" / "fts").is_dir():
        pytest.skip("../shared/data/ocds/fts is not present")
    (tmp_path / "shared").symlink_to(shared)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    config = readme[readme.index("```yaml\norganisation:\n  name: North London Carers Trust") + 8 :]
    (tmp_path / "bidcheck.yaml").write_text(config[: config.index("```")], encoding="utf-8")
    commands = [
        "bidcheck import ocds shared/data/ocds/fts/ -o tenders --as-of 2026-08-15 --area London",
        "bidcheck triage tenders --as-of 2026-08-15 --top 3",
    ]
    env = {**__import__("os").environ, "NO_COLOR": "1", "COLUMNS": "200"}
    for command in commands:
        process = subprocess.run(
            [console_script(), *command.split()[1:]], cwd=tmp_path, capture_output=True, text=True, env=env
        )
        assert process.returncode == 0, process.stderr
        shown = process.stdout + (process.stderr if "import" in command else "")
        assert shown == _readme_console(command), f"README's output of `{command}` drifted; run it and paste what it prints"
