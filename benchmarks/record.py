"""Writes a benchmark run's figures into docs/performance.md and the README's headline.

`python benchmarks/run.py --record` calls this after a run; `python benchmarks/record.py`
re-renders both from docs/performance.json. The text between the marker comments is
generated, so the documents always show the figures of one recorded run, and
tests/test_docs.py fails when they drift from docs/performance.json.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, NamedTuple, Optional

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "docs" / "performance.json"
PERFORMANCE = ROOT / "docs" / "performance.md"
README = ROOT / "README.md"

MIB_IN_200_MB = 200e6 / 2**20  # the "200 MB" of memory, in the MiB peak memory is measured in


class Target(NamedTuple):
    """One target: ``key`` in ``figures["ratios"]`` (``unit`` "×") or ``figures["absolute"]``
    (``unit`` "MiB" or "s"), what it compares (the run's sizes fill ``{fields}``, see ``sizes``),
    and the limit; higher is worse."""

    key: str
    label: str
    limit: float
    unit: str = "×"


TARGETS = [
    Target("single_vs_yamllint", "single tender: bidcheck / yamllint", 2.0),
    Target("single_vs_check_jsonschema", "single tender: bidcheck / check-jsonschema", 0.7),
    Target("batch_vs_bare_loop", "batch: bidcheck / bare CSafeLoader parse", 2.5),
    Target("batch_vs_yamllint", "batch: bidcheck / yamllint", 0.2),
    Target("memory_batch_vs_1000", "peak memory: batch / 1,000 tenders", 1.3),
    Target("jobs2_vs_jobs1", "batch: --jobs 2 / --jobs 1", 0.65),
    # Issue 12, "Speed and scale"
    Target("import_memory_200_vs_20", "import ocds: peak memory, {large_mb} MB / {small_mb} MB of notices", 1.3),
    Target("import_peak_mib_200", "import ocds {large_mb} MB of notices: peak memory (target 200 MB)", MIB_IN_200_MB, "MiB"),
    Target("import_vs_bare_loop", "import ocds {large_mb} MB (open notices, fresh store) / bare json.loads loop", 6.0),
    Target("triage_top50_vs_check", "{triage_tenders} tenders: triage --top 50 / check --format json", 1.2),
    Target("triage_memory_100k_vs_10k", "triage --top 50: peak memory, {triage_tenders} / {triage_small} tenders", 1.3),
    Target("incumbent_full_vs_empty_store", "import {latest} releases: into a store of {store} / into an empty store", 2.0),
    # Issue 14, "Decisions remembered"
    Target("ledger_record_vs_check", "{ledger_tenders} tenders: ledger record (a fresh ledger) / check --format json", 1.5),
    Target("portfolio_seconds", "portfolio over {ledger_tenders} recorded tenders", 2.0, "s"),
]


def value_of(figures: dict[str, Any], target: Target) -> Optional[float]:
    """The run's figure for ``target``, or None when the run did not measure it."""
    return figures.get("ratios" if target.unit == "×" else "absolute", {}).get(target.key)


def label_of(figures: dict[str, Any], target: Target) -> str:
    """What ``target`` compares, at the sizes the run measured."""
    batch = f"{figures['batch']['tenders']:,} tenders:" if "batch" in figures else "batch:"
    return target.label.replace("batch:", batch).format(**measured_sizes(figures))


def measured_sizes(figures: dict[str, Any]) -> dict[str, str]:
    """The sizes a run measured at, as labels name them (only those of the parts it ran)."""
    named: dict[str, str] = {}
    if "import" in figures:
        named.update(small_mb=str(figures["import"]["small_mb"]), large_mb=str(figures["import"]["large_mb"]))
    if "triage" in figures:
        named.update(triage_small=f"{figures['triage']['small']:,}", triage_tenders=f"{figures['triage']['tenders']:,}")
    if "incumbent" in figures:
        named.update(latest=f"{figures['incumbent']['latest_releases']:,}", store=f"{figures['incumbent']['store_releases']:,}")
    if "ledger" in figures:
        named.update(ledger_tenders=f"{figures['ledger']['tenders']:,}")
    return named


def verdict(ratio: float, target: float) -> str:
    return "met" if ratio <= target else "**not met**"


def figures_section(figures: dict[str, Any]) -> str:
    batch = figures["batch"]
    size = f"{batch['tenders']:,}"
    lines = [
        f"Recorded {figures['date']} with `{figures['command']}` on {figures['machine']}; "
        + ", ".join(figures["versions"].values())
        + ".",
        "",
        "| comparison | ratio | target | |",
        "|---|---:|---:|---|",
    ]
    unknown = (set(figures["ratios"]) | set(figures.get("absolute", {}))) - {target.key for target in TARGETS}
    if unknown:
        raise ValueError(f"the run has figures no target renders: {', '.join(sorted(unknown))}")
    for target in TARGETS:
        value = value_of(figures, target)
        if value is None:
            continue
        label = label_of(figures, target)
        if target.unit == "MiB":
            lines.append(f"| {label} | {value:.1f} MiB | ≤ {target.limit:.1f} MiB | {verdict(value, target.limit)} |")
        elif target.unit == "s":
            lines.append(f"| {label} | {value:.2f} s | ≤ {target.limit} s | {verdict(value, target.limit)} |")
        else:
            lines.append(f"| {label} | {value:.2f} | ≤ {target.limit} | {verdict(value, target.limit)} |")
    lines += ["", "Median wall time of each command (seconds):", "", "| command | seconds |", "|---|---:|"]
    for name, seconds in figures["single"].items():
        lines.append(f"| single tender: {name} | {seconds:.3f} |")
    for name, seconds in batch.items():
        if name != "tenders":
            lines.append(f"| {size} tenders: {name} | {seconds:.3f} |")
    lines += _scale_times(figures)
    lines += ["", "Peak resident memory of the largest process (MiB):", ""]
    sizes = sorted(int(size_) for size_ in figures["peak_rss_mb"])
    lines += ["| format | " + " | ".join(f"{n:,} tenders" for n in sizes) + " |", "|---|" + "---:|" * len(sizes)]
    by_format = figures.get("peak_rss_mb_by_format", {})
    lines.append("| json | " + " | ".join(f"{figures['peak_rss_mb'][str(n)]:.1f}" for n in sizes) + " |")
    for name, by_size in by_format.items():
        if name != "json":
            lines.append(f"| {name} | " + " | ".join(f"{by_size[str(n)]:.1f}" if str(n) in by_size else "" for n in sizes) + " |")
    return "\n".join(lines + _scale_memory(figures))


def _scale_times(figures: dict[str, Any]) -> list[str]:
    """Rows of the wall-time table for issue 12's measurements, where the run has them."""
    named, lines = measured_sizes(figures), []
    if "import" in figures:
        lines += [f"| import {named['large_mb']} MB of notices: {name} | {seconds:.3f} |" for name, seconds in figures["import"]["seconds"].items()]
    if "triage" in figures:
        lines += [f"| {named['triage_tenders']} tenders: {name} | {seconds:.3f} |" for name, seconds in figures["triage"]["seconds"].items()]
    if "incumbent" in figures:
        incumbent = figures["incumbent"]
        lines.append(f"| build a store of {named['store']} releases (once) | {incumbent['store_build_seconds']:.3f} |")
        lines += [f"| import {named['latest']} releases into the {name} | {seconds:.3f} |" for name, seconds in incumbent["seconds"].items()]
    if "ledger" in figures:
        lines += [f"| {named['ledger_tenders']} tenders: {name} | {seconds:.3f} |" for name, seconds in figures["ledger"]["seconds"].items()]
    return lines


def _scale_memory(figures: dict[str, Any]) -> list[str]:
    """The importer's and triage's peak memory, and what the notice files held, where the run has them."""
    lines = []
    if "import" in figures:
        notices = figures["import"]
        lines += [
            "",
            f"Importing replayed real notices (`benchmarks/notices.py`; open as of {notices['as_of']}):",
            "",
            "| file | releases | procurements | open of those with a deadline | peak memory (MiB) |",
            "|---|---:|---:|---:|---:|",
        ]
        for mb, made in notices["files"].items():
            lines.append(
                f"| {mb} MB | {made['releases']:,} | {made['procurements']:,} | {made['open']:,} of {made['with_deadline']:,} | {notices['peak_rss_mb'][mb]:.1f} |"
            )
    if "triage" in figures:
        triage = figures["triage"]
        lines += ["", "| triage --top 50 | peak memory (MiB) |", "|---|---:|"]
        lines += [f"| {int(size):,} tenders | {megabytes:.1f} |" for size, megabytes in triage["peak_rss_mb"].items()]
    return lines


def headline(figures: dict[str, Any]) -> str:
    ratios = figures["ratios"]
    size = f"{figures['batch']['tenders']:,}"
    return (
        f"Measured {figures['date']} on a {figures['machine_short']} ([docs/performance.md](docs/performance.md)): "
        f"a {size}-tender batch takes {ratios['batch_vs_bare_loop']:.2f}× the time of a bare PyYAML parse of the same "
        f"files and {ratios['batch_vs_yamllint']:.2f}× yamllint's; `--jobs 2` takes {ratios['jobs2_vs_jobs1']:.2f}× "
        f"the time of `--jobs 1`; peak memory at {size} tenders is {ratios['memory_batch_vs_1000']:.2f}× that at 1,000. "
        f"One tender takes {ratios['single_vs_yamllint']:.2f}× yamllint's time and "
        f"{ratios['single_vs_check_jsonschema']:.2f}× check-jsonschema's."
        + _scale_headline(figures)
    )


def _scale_headline(figures: dict[str, Any]) -> str:
    """Issue 12's figures in the headline, where the run has them."""
    ratios, named, parts = figures["ratios"], measured_sizes(figures), []
    if "import" in figures:
        parts.append(
            f"Importing {named['large_mb']} MB of notices peaks at {figures['absolute']['import_peak_mib_200']:.0f} MiB "
            f"({ratios['import_memory_200_vs_20']:.2f}× the peak at {named['small_mb']} MB) and takes "
            f"{ratios['import_vs_bare_loop']:.2f}× a bare `json.loads` loop over the same lines."
        )
    if "triage" in figures:
        parts.append(
            f"`triage --top 50` over {named['triage_tenders']} tenders takes {ratios['triage_top50_vs_check']:.2f}× "
            f"`check`'s time, its peak memory {ratios['triage_memory_100k_vs_10k']:.2f}× that at {named['triage_small']}."
        )
    if "incumbent" in figures:
        parts.append(
            f"Importing {named['latest']} releases into a store of {named['store']} takes "
            f"{ratios['incumbent_full_vs_empty_store']:.2f}× the time into an empty one."
        )
    if "ledger" in figures:
        parts.append(
            f"`ledger record` of {named['ledger_tenders']} tenders takes {ratios['ledger_record_vs_check']:.2f}× `check`'s "
            f"time; `portfolio` over them takes {figures['absolute']['portfolio_seconds']:.2f} s."
        )
    return "".join(" " + part for part in parts)


def replace_between(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- {name}:start -->\n)(?:.*?\n)?(<!-- {name}:end -->)", re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"markers <!-- {name}:start --> / <!-- {name}:end --> not found")
    return pattern.sub(lambda match: match[1] + body + "\n" + match[2], text)


def record(figures: dict[str, Any]) -> None:
    FIGURES.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    PERFORMANCE.write_text(replace_between(PERFORMANCE.read_text(encoding="utf-8"), "figures", figures_section(figures)), encoding="utf-8")
    README.write_text(replace_between(README.read_text(encoding="utf-8"), "performance", headline(figures)), encoding="utf-8")


def main() -> int:
    record(json.loads(FIGURES.read_text(encoding="utf-8")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
