"""Runs each tender through the stages: read -> validate -> evaluate -> decide.

Yields one result or problem at a time, in a deterministic order, so renderers can stream
and a bad file never stops the batch. Configs are found, read and settled once per folder.
"""

from __future__ import annotations

import datetime
import glob
import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Union

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
AUTO_JOBS_FROM = 200  # below this many files, starting worker processes costs more than it saves
_GLOB_CHARACTERS = set("*?[")


@dataclass(frozen=True)
class CheckOptions:
    config: Path | None = None  # --config: one config for every tender
    selection: Selection = field(default_factory=Selection)
    today: datetime.date = field(default_factory=datetime.date.today)
    max_bytes: int = DEFAULT_MAX_BYTES
    apply_waivers: bool = True  # --no-waivers: auditors see every finding counted
    read_stdin: Callable[[], bytes] = lambda: b""
    jobs: int | None = None  # processes checking tenders; None: one per CPU from AUTO_JOBS_FROM files


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
    The order is the order of discovery whether tenders are checked here or in worker
    processes (``options.jobs``), so every report is the same either way.
    """
    settings_for = SettingsCache(options)
    work = discover(arguments)
    jobs = options.jobs
    if jobs is None:  # auto: worker processes only pay for themselves on a big batch
        head = list(itertools.islice(work, AUTO_JOBS_FROM))
        work = itertools.chain(head, work)
        jobs = available_cpus() if len(head) >= AUTO_JOBS_FROM else 1
    if jobs > 1:
        from bidcheck.workers import check_in_workers

        outcomes: Iterator[Outcome] = itertools.chain.from_iterable(check_in_workers(work, jobs, options, settings_for))
    else:
        outcomes = (check_one(item, options, settings_for) for item in work)
    reported: set[Path | None] = set()
    for outcome in outcomes:
        for item in outcome:
            if isinstance(item, BrokenConfig):
                if item.path not in reported:  # each broken config is reported once, where first met
                    reported.add(item.path)
                    yield from item.problems
            else:
                yield item


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class BrokenConfig:
    """The config a tender needs could not be used; its problems are reported once per batch."""

    path: Path | None
    problems: list[Problem]


Outcome = list[Union[TenderResult, Problem, BrokenConfig]]


def check_one(item: str | Problem, options: CheckOptions, settings_for: SettingsCache) -> Outcome:
    """Everything one discovered item produces: a result, or the problems that stopped it."""
    if isinstance(item, Problem):
        return [item]
    try:
        if item == STDIN:
            document = read_bytes(options.read_stdin(), "<stdin>", options.max_bytes)
            folder = Path.cwd()
        else:
            document = read_file(Path(item), item, options.max_bytes)
            folder = settings_for.folder_of(item)
        tender = validate_tender(document)
    except ProblemsFound as error:
        return list(error.problems)
    settings = settings_for(folder)
    if isinstance(settings, BrokenConfig):
        return [settings, Problem(document.file, 1, 1, "not checked: its config has errors (reported above)")]
    evaluation = evaluate(tender, document, settings)
    result = decide(document.file, tender, document, evaluation, options.today, apply_waivers=options.apply_waivers)
    return [replace(result, config_file=str(settings.config.path) if settings.config.path else None)]


class SettingsCache:
    """Settings per config file, found once per folder and settled once per config file."""

    def __init__(self, options: CheckOptions):
        self.options = options
        self.folders: dict[str, Path] = {}
        self.by_folder: dict[Path, Path | None] = {}
        self.by_config: dict[Path | None, Settings | BrokenConfig] = {}

    def folder_of(self, file_name: str) -> Path:
        """The resolved folder of a tender file (resolved once per folder, not once per file)."""
        directory = os.path.dirname(file_name)
        if directory not in self.folders:
            self.folders[directory] = Path(directory or ".").resolve()
        return self.folders[directory]

    def __call__(self, folder: Path) -> Settings | BrokenConfig:
        if self.options.config is not None:
            config_path: Path | None = self.options.config
        else:
            if folder not in self.by_folder:
                self.by_folder[folder] = find_config(folder)
            config_path = self.by_folder[folder]
        if config_path not in self.by_config:
            self.by_config[config_path] = self._settle(config_path)
        return self.by_config[config_path]

    def _settle(self, config_path: Path | None) -> Settings | BrokenConfig:
        try:
            config = load_config(config_path) if config_path else DEFAULT_CONFIG
            return settle(config, self.options.selection)
        except ProblemsFound as error:
            return BrokenConfig(config_path, list(error.problems))
