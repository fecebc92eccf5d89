"""Where the ledger lives (SPEC §5), and whether bidcheck may write there.

``--ledger PATH``, else ``BIDCHECK_LEDGER``, else ``.bidcheck/ledger.sqlite`` in the folder of
the config in use: ``--config``, or the config found upward from the checked paths' common
folder (``ledger record``) or from the current folder (the other commands). With no config
found, the current folder: where the commands are run (a repository's root in CI).

The ledger is an output: it may never be an input file, a config, a symbolic link, or reached
through a linked folder (the rules reports follow, :func:`bidcheck.destinations.unsafe_destinations`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from bidcheck.config_search import find_config
from bidcheck.problems import Problem

LEDGER_FOLDER, LEDGER_NAME = ".bidcheck", "ledger.sqlite"
LEDGER_VARIABLE = "BIDCHECK_LEDGER"


def ledger_path(given: Path | None, config: Path | None, paths: Sequence[str] = ()) -> Path:
    """The ledger the command uses (see the module's docstring)."""
    if given is not None:
        return given
    if os.environ.get(LEDGER_VARIABLE):
        return Path(os.environ[LEDGER_VARIABLE])
    if config is not None:
        return config.parent / LEDGER_FOLDER / LEDGER_NAME
    found = find_config(_common_folder(paths))
    folder = found.parent if found is not None else Path.cwd()
    return folder / LEDGER_FOLDER / LEDGER_NAME


def _common_folder(paths: Sequence[str]) -> Path:
    folders = [os.path.abspath(path if os.path.isdir(path) else os.path.dirname(path) or os.curdir) for path in paths if path != "-"]
    existing = [folder for folder in folders if os.path.isdir(folder)]
    return Path(os.path.commonpath(existing)) if existing else Path.cwd()


def unsafe_ledger(ledger: Path, paths: Sequence[str], config: Path | None, rules: Sequence[str]) -> list[Problem]:
    """Why bidcheck may not write ``ledger``; empty when it may."""
    from bidcheck.destinations import unsafe_destinations
    from bidcheck.report_file import destination

    problems = unsafe_destinations([("--ledger", ledger)], paths, config, rules, stdout_is_a_report=False)
    if not problems and destination(ledger).stream:
        problems.append(Problem(str(ledger), 0, 0, "--ledger: is a device or FIFO, not a file; the ledger is an SQLite file"))
    return problems
