"""Deterministic, varied tenders for benchmarks: every verdict, partners, waivers, money
strings and missing data, with a bidcheck.yaml. `python benchmarks/generate.py DIR N`."""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

CONFIG = """\
organisation:
  name: Benchmark Trust
  annual_income: "£38m"
  services: [substance-misuse, housing-support, domestic-abuse-support, employment-support]
  areas: [Hackney, Leeds, Cardiff, TLI41, TLE42]
  free_reserves: "£6m"
policies:
  refuse_loss_making_bids: true
  no_compete_with_smaller: true
  no_bid_candy: true
"""
SERVICES = ["substance-misuse", "housing-support", "domestic-abuse-support", "carers-support", "employment-support"]
AREAS = ["Hackney", "Leeds", "Cardiff", "Glasgow", "Norfolk", "TLI41", "TLM82"]
MONEY = ['"£{m}m"', '"£{k}k"', "{n}", '"{c}"', '"£{m} million"']


def money(rng: random.Random, amount: int) -> str:
    style = rng.choice(MONEY)
    return style.format(m=round(amount / 1e6, 2), k=round(amount / 1e3), n=amount, c=f"{amount:,}")


def tender(rng: random.Random, index: int, seed: int = 2026) -> str:
    value = rng.randrange(150_000, 12_000_000, 1_000)
    service = rng.choice(SERVICES)
    term = rng.choice([24, 36, 48, 60])
    lines = [
        f"# Generated benchmark tender {index}",
        "tender:",
        f"  id: BENCH-{seed}-{index:06d}",  # distinct across seeds: a batch may mix generated folders
        f"  title: Benchmark service {index}",
        "  buyer: Example Council",
        f"  service: {service}",
        f"  value: {money(rng, value)}",
        f"  term_months: {term}",
        f"  areas: [{rng.choice(AREAS)}]",
        "  published: 2026-11-01",
        "  deadline: 2026-12-15",
    ]
    if rng.random() < 0.2:
        lines.append("incumbent: none")
    elif rng.random() < 0.85:  # otherwise unknown: triage-stage tenders
        lines += [
            "incumbent:",
            "  name: Current Provider",
            # No contract is worth more a year than the incumbent's whole income (a plausibility warning).
            f"  annual_income: {money(rng, max(rng.randrange(80_000, 60_000_000, 1_000), value * 12 // term * 11 // 10 + 10_000))}",
            f"  local: {rng.choice(['true', 'false'])}",
            f"  performance: {rng.choice(['good', 'adequate', 'poor'])}",
            f"  years_delivering: {rng.randrange(1, 15)}",
            f"  staff: {rng.randrange(0, 40)}",
        ]
    price = round(value * rng.uniform(0.9, 1.05), -3)
    lines += [
        "bid:",
        "  role: prime",
        f"  price: {money(rng, int(price))}",
        f"  mission_fit: {rng.choice(['strong', 'strong', 'partial', 'weak'])}",
        f"  coproduction: {rng.choice(['done', 'planned', 'none'])}",
        "  growth_driven: false",
        f"  incumbent_approach: {rng.choice(['partner', 'support', 'compete'])}",
        f"  transition_plan: {rng.choice(['true', 'false'])}",
    ]
    if rng.random() < 0.9:
        lines.append(f"  full_cost: {money(rng, int(value * rng.uniform(0.85, 1.0)))}")
    if rng.random() < 0.6:
        lines.append("partners:")
        for number in range(rng.randrange(1, 4)):
            lines += [
                f"  - name: Partner {number}",
                f"    annual_income: {money(rng, rng.randrange(20_000, 2_000_000, 1_000))}",
                f"    local: {rng.choice(['true', 'false'])}",
                f"    value_pct: {rng.randrange(2, 30)}",
                "    delivers: outreach",
                f"    management_fee_pct: \"{rng.randrange(0, 15)}%\"",
                f"    agreement: {rng.choice(['signed', 'draft'])}",
                "    shaped_bid: true",
                "    consented: true",
                f"    engaged: {rng.choice(['before-publication', 'after-publication'])}",
            ]
    if service == "carers-support" and rng.random() < 0.5:  # outside our services: IMP001 fires, and is waived
        lines += ["waivers:", "  - rule: IMP001", "    reason: Board decision", "    approved_by: Board", "    expires: 2099-01-31"]
    return "\n".join(lines) + "\n"


def generate(folder: Path, count: int, seed: int = 2026) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bidcheck.yaml").write_text(CONFIG, encoding="utf-8")
    paths = []
    for index in range(count):
        sub = folder / f"batch{index // 1000:03d}"
        sub.mkdir(exist_ok=True)
        path = sub / f"tender-{index:06d}.yaml"
        path.write_text(tender(rng, index, seed), encoding="utf-8")
        paths.append(path)
    return paths


def ensure_tenders(folder: Path, count: int) -> Path:
    """``folder`` holding exactly ``count`` generated tenders and a bidcheck.yaml, generated unless it already does."""
    if not (folder / "bidcheck.yaml").exists() or len(list(folder.rglob("tender-*.yaml"))) != count:
        shutil.rmtree(folder, ignore_errors=True)
        generate(folder, count)
    return folder


def main(argv: list[str] | None = None) -> None:
    """``generate.py DIR N [--seed S]``; ``--help`` prints usage, bad arguments are a usage error (exit 2)."""
    parser = argparse.ArgumentParser(description=__doc__.split("`")[0].strip())
    parser.add_argument("folder", type=Path, metavar="DIR", help="where to write the tenders and bidcheck.yaml")
    parser.add_argument("count", type=_positive, metavar="N", help="how many tenders")
    parser.add_argument("--seed", type=int, default=2026, help="random seed; the same seed gives the same files (default 2026)")
    arguments = parser.parse_args(argv)
    generate(arguments.folder, arguments.count, arguments.seed)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of tenders, 1 or more; got {text!r}")
    return int(text)


if __name__ == "__main__":
    main()
