"""Docs come from the code: the README's rule table is regenerated and compared."""

from __future__ import annotations

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
