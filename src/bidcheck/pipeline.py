"""Runs each tender through the stages: read -> validate -> evaluate -> decide.

Yields one result or problem at a time, in a deterministic order, so renderers can stream
and a bad file never stops the batch. Configs are found, read and settled once per folder.
"""

from __future__ import annotations

import datetime
import glob
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bidcheck.config import (
    CONFIG_NAMES,
    DEFAULT_CONFIG,
    Selection,
    Settings,
    find_config,
    load_config,
    settle,
)
from bidcheck.decide import TenderResult, decide
from bidcheck.evaluate import evaluate
from bidcheck.problems import Problem, ProblemsFound
from bidcheck.read import DEFAULT_MAX_BYTES, read_bytes, read_file
from bidcheck.validate import validate_tender

STDIN = "-"
_GLOB_CHARACTERS = set("*?[")


@dataclass(frozen=True)
class CheckOptions:
    config: Path | None = None  # --config: one config for every tender
    selection: Selection = field(default_factory=Selection)
    today: datetime.date = field(default_factory=datetime.date.today)
    max_bytes: int = DEFAULT_MAX_BYTES
    apply_waivers: bool = True  # --no-waivers: auditors see every finding counted
    read_stdin: Callable[[], bytes] = lambda: b""


def discover(arguments: list[str]) -> Iterator[str | Problem]:
    """Tender files named by the arguments: files, folders (recursive), globs, ``-``."""
    for argument in arguments:
        if argument == STDIN:
            yield STDIN
            continue
        path = Path(argument)
        if path.is_dir():
            found = list(_tender_files_in(path))
            if not found:
                yield Problem(argument, 1, 1, "no tender files (*.yaml, *.yml) in this folder")
            yield from found
        elif path.exists():
            yield argument
        elif _GLOB_CHARACTERS & set(argument):
            matches = sorted(glob.glob(argument, recursive=True))
            files = [match for match in matches if Path(match).is_file() and not _is_config(Path(match))]
            if not files:
                yield Problem(argument, 1, 1, "no files match this pattern")
            yield from files
        else:
            yield Problem(argument, 1, 1, "no such file or folder")


def _tender_files_in(folder: Path) -> Iterator[str]:
    for root, directories, files in os.walk(folder):  # does not follow symlinked folders: no loops
        directories[:] = sorted(d for d in directories if not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")) and not name.startswith(".") and name not in CONFIG_NAMES:
                yield os.path.join(root, name)


def _is_config(path: Path) -> bool:
    return path.name in CONFIG_NAMES


def check(arguments: list[str], options: CheckOptions) -> Iterator[TenderResult | Problem]:
    """Check every tender the arguments name; yield results and problems as they come.

    A problem stands for a file or config that could not be checked. A rule that failed on a
    tender travels inside that tender's result (``result.problems``), never separately.
    """
    settings_for = _SettingsCache(options)
    for item in discover(arguments):
        if isinstance(item, Problem):
            yield item
            continue
        yield from _check_one(item, options, settings_for)


def _check_one(name: str, options: CheckOptions, settings_for: _SettingsCache) -> Iterator[TenderResult | Problem]:
    try:
        if name == STDIN:
            document = read_bytes(options.read_stdin(), "<stdin>", options.max_bytes)
            folder = Path.cwd()
        else:
            document = read_file(Path(name), name, options.max_bytes)
            folder = Path(name).resolve().parent
        tender = validate_tender(document)
    except ProblemsFound as error:
        yield from error.problems
        return
    settings = settings_for(folder)
    if isinstance(settings, list):
        if settings_for.not_yet_reported(settings):
            yield from settings
        yield Problem(document.file, 1, 1, "not checked: its config has errors (reported above)")
        return
    evaluation = evaluate(tender, document, settings)
    yield decide(document.file, tender, document, evaluation, options.today, apply_waivers=options.apply_waivers)


class _SettingsCache:
    """Settings per config file, found once per folder; a broken config is reported once."""

    def __init__(self, options: CheckOptions):
        self.options = options
        self.by_folder: dict[Path, Path | None] = {}
        self.by_config: dict[Path | None, Settings | list[Problem]] = {}
        self.reported: set[int] = set()

    def __call__(self, folder: Path) -> Settings | list[Problem]:
        if self.options.config is not None:
            config_path: Path | None = self.options.config
        else:
            if folder not in self.by_folder:
                self.by_folder[folder] = find_config(folder)
            config_path = self.by_folder[folder]
        if config_path not in self.by_config:
            self.by_config[config_path] = self._settle(config_path)
        return self.by_config[config_path]

    def not_yet_reported(self, problems: list[Problem]) -> bool:
        first_time = id(problems) not in self.reported
        self.reported.add(id(problems))
        return first_time

    def _settle(self, config_path: Path | None) -> Settings | list[Problem]:
        try:
            config = load_config(config_path) if config_path else DEFAULT_CONFIG
            return settle(config, self.options.selection)
        except ProblemsFound as error:
            return error.problems
