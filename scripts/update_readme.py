"""Regenerate the README's generated blocks from the code: `python scripts/update_readme.py`.

`--check` exits 1 (and prints what differs) instead of writing; the tests run that check.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

from bidcheck.catalogue import guidance_table, markdown_table
from bidcheck.config import DEFAULT_CONFIG, apply_config
from bidcheck.loader import Catalogue, load_catalogue

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
QUICK_START_EXAMPLE = "examples/tenders/hackney-young-peoples-substance-misuse.yaml"


def built_in_catalogue() -> Catalogue:
    """Only the rules bidcheck ships, whatever plugins this environment has installed."""
    everything = load_catalogue()
    return Catalogue(tuple(loaded for loaded in everything.rules if loaded.origin == "built-in"))


def generated_blocks() -> dict[str, str]:
    settings = apply_config(DEFAULT_CONFIG, built_in_catalogue())
    return {"rules": markdown_table(settings), "guidance": guidance_table(settings), "quickstart": quick_start_sample()}


def quick_start_sample() -> str:
    """The start of a real text report (through its first finding), as `bidcheck check` prints it to a pipe."""
    environment = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    environment.pop("FORCE_COLOR", None)
    process = subprocess.run(
        [sys.executable, "-m", "bidcheck", "check", QUICK_START_EXAMPLE, "--fail-on", "never"],
        cwd=ROOT, env=environment, capture_output=True, text=True, encoding="utf-8", check=True,
    )
    lines = process.stdout.splitlines()
    findings = [index for index, line in enumerate(lines) if line.startswith("    ") and not line.startswith("     ")]
    return "```\n" + "\n".join(lines[: findings[1]]) + "\n```\n"


def updated(text: str) -> str:
    for name, content in generated_blocks().items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.DOTALL)
        text = pattern.sub(lambda match: match[1] + content + match[2], text)
    return text


def main() -> int:
    current = README.read_text(encoding="utf-8")
    wanted = updated(current)
    if "--check" in sys.argv:
        if current != wanted:
            sys.stdout.writelines(difflib.unified_diff(current.splitlines(True), wanted.splitlines(True), "README.md", "generated"))
            return 1
        return 0
    README.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
