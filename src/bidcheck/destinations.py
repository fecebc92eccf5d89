"""Where reports may go: never onto an input, a config, or another report.

Checked before anything is read for checking, so a refused run writes nothing and changes
nothing. Files are compared by what they are (device and inode), not by how they are
spelled: ``s/../s/x.yaml``, a symlinked folder and a hard link all name the same file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Optional

from bidcheck.config import CONFIG_NAMES, find_config
from bidcheck.problems import Problem
from bidcheck.report_file import Destination, destination

CONFIG_FILE_NAMES = (*CONFIG_NAMES, "pyproject.toml")

Identity = tuple[int, int]


def unsafe_destinations(
    reports: Sequence[tuple[str, Path]],
    arguments: Sequence[str],
    config: Optional[Path],
    rules: Sequence[str],
    stdout_is_a_report: bool,
) -> list[Problem]:
    """Why each report destination may not be written; empty when every one is safe.

    ``reports`` pairs each destination with the option that named it (``--output``,
    ``--report sarif=x``). Refused: a path :func:`~bidcheck.report_file.destination`
    refuses; a config file's name; the same file as a tender the arguments name, the config
    in use (``--config`` or the one found for each tender's folder) or a ``--rules`` file;
    two reports to one file or FIFO, standard output counting when ``stdout_is_a_report``
    (character devices such as /dev/null may take several); and then standard output itself
    when it is redirected onto an input.
    """
    found = [(option, destination(path)) for option, path in reports]
    reasons: dict[int, str] = {}  # the first reason each destination is refused, by position
    for index, (_, target) in enumerate(found):
        if target.refused:
            reasons[index] = target.refused
        elif target.path.name in CONFIG_FILE_NAMES:
            reasons[index] = "a report cannot take a config file's name; choose another name"
    # Only an existing file can be an input; stdout too, when the shell appends it to one (>>).
    stdout = _identity_of_stdout() if stdout_is_a_report else None
    onto_input = []
    if stdout is not None or any(target.identity is not None and not target.stream for _, target in found):
        inputs = _input_identities(arguments, config, rules)
        for index, (_, target) in enumerate(found):
            if target.identity in inputs:
                reasons.setdefault(index, f"this is {inputs[target.identity]}, an input; choose another file")
        if stdout in inputs:
            message = f"is redirected to {inputs[stdout]}, an input the report would change; redirect it elsewhere"
            onto_input.append(Problem("standard output", 0, 0, message))
    for index, reason in _shared(found, stdout_is_a_report):
        reasons.setdefault(index, reason)
    return onto_input + [_refusal(found[index][1], found[index][0], reasons[index]) for index in sorted(reasons)]


def _shared(found: list[tuple[str, Destination]], stdout_is_a_report: bool) -> Iterator[tuple[int, str]]:
    """Each report (by position) whose file or FIFO an earlier one takes: one would be lost or garbled."""
    taken: dict[object, str] = {}
    if stdout_is_a_report:
        with_stdout = _identity_of_stdout()
        if with_stdout is not None:
            taken[with_stdout] = "standard output (the main report)"
    for index, (option, target) in enumerate(found):
        if target.refused:
            continue
        key = target.identity if target.identity is not None else _future_identity(target.path)
        if key is None or (target.stream and _is_character_device(target.path)):
            continue
        if key in taken:
            yield index, f"{taken[key]} already writes a report to this file; give each report its own file"
        else:
            taken[key] = option


def _identity_of_stdout() -> Optional[Identity]:
    try:
        status = os.fstat(1)
    except OSError:
        return None
    if stat.S_ISREG(status.st_mode) or stat.S_ISFIFO(status.st_mode):
        return (status.st_dev, status.st_ino)
    return None


def _future_identity(path: Path) -> Optional[tuple[int, int, str]]:
    """A file not there yet, as its folder's identity and its name."""
    try:
        folder = os.stat(path.parent)
    except OSError:
        return None
    return (folder.st_dev, folder.st_ino, path.name)


def _is_character_device(path: Path) -> bool:
    try:
        return stat.S_ISCHR(os.stat(path).st_mode)
    except OSError:
        return False


def _input_identities(arguments: Sequence[str], config: Optional[Path], rules: Sequence[str]) -> dict[Identity, str]:
    """Every file the run would read, by identity: tenders, configs in use, their rules files and --rules files."""
    from bidcheck.pipeline import STDIN, discover

    inputs: dict[Identity, str] = {}
    folders: set[Path] = set()
    for item in discover(list(arguments)):
        if isinstance(item, Problem):
            continue
        if item == STDIN:
            folders.add(Path.cwd())
            continue
        _add(inputs, Path(item), f"the tender file {item}")
        folders.add(Path(os.path.dirname(item) or ".").resolve())
    configs = [config] if config is not None else sorted({found for folder in folders if (found := find_config(folder)) is not None})
    sources = list(rules)
    for used in configs:
        _add(inputs, used, f"the config file {used}")
        sources += [str(used.parent / entry) for entry in _rules_paths_of(used)]
    for source in sources:
        path = Path(source)
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            _add(inputs, file, f"the rules file {file}")
    return inputs


def _rules_paths_of(config: Path) -> list[str]:
    """The ``rules.paths`` entries of a config (loaded or not, they are the team's code); [] when unreadable."""
    from bidcheck.config import load_config
    from bidcheck.problems import ProblemsFound

    try:
        return list(load_config(config).model.rules.paths)
    except ProblemsFound:  # the run reports the config's problems itself
        return []


def _add(inputs: dict[Identity, str], path: Path, described: str) -> None:
    try:
        status = os.stat(path)
    except OSError:  # not there (a module name, say): nothing to overwrite
        return
    inputs.setdefault((status.st_dev, status.st_ino), described)


def _refusal(target: Destination, option: str, reason: str) -> Problem:
    return Problem(str(target.path), 0, 0, f"cannot write report ({option}): {reason}")
