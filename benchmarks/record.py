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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "docs" / "performance.json"
PERFORMANCE = ROOT / "docs" / "performance.md"
README = ROOT / "README.md"

# (key in figures["ratios"], what it compares, target, higher is worse)
TARGETS = [
    ("single_vs_yamllint", "single tender: bidcheck / yamllint", 2.0),
    ("single_vs_check_jsonschema", "single tender: bidcheck / check-jsonschema", 0.7),
    ("batch_vs_bare_loop", "batch: bidcheck / bare CSafeLoader parse", 2.5),
    ("batch_vs_yamllint", "batch: bidcheck / yamllint", 0.2),
    ("memory_batch_vs_1000", "peak memory: batch / 1,000 tenders", 1.3),
    ("jobs2_vs_jobs1", "batch: --jobs 2 / --jobs 1", 0.65),
]


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
    for key, label, target in TARGETS:
        ratio = figures["ratios"][key]
        lines.append(f"| {label.replace('batch:', f'{size} tenders:')} | {ratio:.2f} | ≤ {target} | {verdict(ratio, target)} |")
    lines += ["", "Median wall time of each command (seconds):", "", "| command | seconds |", "|---|---:|"]
    for name, seconds in figures["single"].items():
        lines.append(f"| single tender: {name} | {seconds:.3f} |")
    for name, seconds in batch.items():
        if name != "tenders":
            lines.append(f"| {size} tenders: {name} | {seconds:.3f} |")
    lines += ["", "Peak resident memory of the largest process (MiB):", ""]
    sizes = sorted(int(size_) for size_ in figures["peak_rss_mb"])
    lines += ["| format | " + " | ".join(f"{n:,} tenders" for n in sizes) + " |", "|---|" + "---:|" * len(sizes)]
    by_format = figures.get("peak_rss_mb_by_format", {})
    lines.append("| json | " + " | ".join(f"{figures['peak_rss_mb'][str(n)]:.1f}" for n in sizes) + " |")
    for name, by_size in by_format.items():
        if name != "json":
            lines.append(f"| {name} | " + " | ".join(f"{by_size[str(n)]:.1f}" if str(n) in by_size else "" for n in sizes) + " |")
    return "\n".join(lines)


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
    )


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
