"""The bid team's session in the README ("A bid team's session, start to finish") runs as written.

Each ``$`` line of its console block is run, in order, in a folder holding what the README says
to copy (the examples' config and the repository's Contracts Finder test notices), and what it
prints must be what the README shows; the portfolio page it writes must parse and hold the figures
of ``portfolio --format json`` of the same ledger.
"""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

from tests.conftest import EXAMPLES, ROOT, stderr_text, stdout_text

SECTION = "## A bid team's session, start to finish"
NOTICES = ROOT / "tests" / "data" / "ocds" / "cf_release_package_2022-10-20.json"


def _session() -> list[tuple[str, str]]:
    """(command, output) of each ``$`` line of the section's console block."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index(SECTION) :]
    block = section[section.index("```console\n") + len("```console\n") :]
    block = block[: block.index("```")]
    steps = []
    for chunk in ("\n" + block).split("\n$ ")[1:]:
        command, _, output = chunk.partition("\n")
        steps.append((command, output.rstrip("\n") + "\n" if output.strip() else ""))
    return steps


def _folder(tmp_path: Path) -> Path:
    """The folder the README's ``mkdir bids && cp ...`` line makes."""
    bids = tmp_path / "bids"
    bids.mkdir()
    shutil.copy(EXAMPLES / "bidcheck.yaml", bids)
    shutil.copy(NOTICES, bids)
    return bids


def _run(run_cli, command: str, folder: Path) -> str:
    """Run one README command as a shell would (``> FILE`` writes stdout to FILE); what it prints."""
    words = shlex.split(command)
    assert words[0] == "bidcheck", command
    target = None
    if ">" in words:
        at = words.index(">")
        words, target = words[:at], words[at + 1]
    process = run_cli(*words[1:], cwd=folder, env={"BIDCHECK_LEDGER": "", "COLUMNS": "100"})
    assert process.returncode == 0, stderr_text(process)
    if target is not None:
        (folder / target).write_text(stdout_text(process), encoding="utf-8")
        return stderr_text(process)
    return stdout_text(process) + stderr_text(process)


def test_the_readme_copy_line_names_the_files_the_session_needs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index(SECTION) :]
    assert "cp examples/bidcheck.yaml tests/data/ocds/cf_release_package_2022-10-20.json bids/" in section


def test_the_bid_teams_session_in_the_readme_runs_as_written_and_prints_what_it_shows(run_cli, tmp_path):
    folder = _folder(tmp_path)
    steps = _session()
    kinds = [" ".join(shlex.split(command)[1:3]) for command, _ in steps]
    for kind in ("import ocds", "ledger record", "ledger outcome"):
        assert kind in kinds, f"the session lost its {kind} step"
    assert any(command.startswith(("bidcheck triage", "bidcheck check")) for command, _ in steps)
    for command, shown in steps:
        assert _run(run_cli, command, folder) == shown, f"README's output of `{command}` drifted; run it and paste what it prints"


def test_the_sessions_portfolio_page_holds_the_figures_of_the_json(run_cli, tmp_path):
    import html5lib

    from bidcheck.money import format_money

    folder = _folder(tmp_path)
    for command, _ in _session():
        _run(run_cli, command, folder)
    pages = [command.split("> ")[1] for command, _ in _session() if "--format html >" in command]
    assert pages, "the session no longer writes the portfolio as HTML"
    document = html5lib.parse((folder / pages[0]).read_text(encoding="utf-8"), namespaceHTMLElements=False)
    figures = json.loads(_run(run_cli, "bidcheck portfolio --as-of 2022-11-01 --format json", folder))
    table = document.find(".//table[@id='figure-value-bid-for']")
    cells = {"".join(row.find("th").itertext()): "".join(row.find("td").itertext()) for row in table.iter("tr")}
    assert cells["Bids"] == str(figures["value_bid_for"]["tenders"]) != "0"
    assert cells["Contract value"] == format_money(figures["value_bid_for"]["value"])
