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

from bidcheck.batch_index import FirstSeen
from bidcheck.boundary import GLOB_CHARACTERS, STDIN, Boundary, PinnedPolicy
from bidcheck.config import (
    CONFIG_NAMES,
    Selection,
    Settings,
    search_config,
    settle_file,
)
from bidcheck.decide import TenderResult, decide, waiver_errors
from bidcheck.evaluate import evaluate
from bidcheck.plausibility import config_plausibility_warnings, plausibility_warnings
from bidcheck.problems import Problem, ProblemsFound, excerpt, missing_file
from bidcheck.read import DEFAULT_MAX_BYTES, read_bytes, read_file
from bidcheck.rerun import Rerun
from bidcheck.unknown_places import unknown_area_warnings, unknown_config_area_warnings
from bidcheck.validate import validate_tender
from bidcheck.what_it_would_take import what_it_would_take

PINNED_ORGANISATION = (
    "organisation: not allowed with --config, which pins the policy; a tender cannot override it "
    "(remove this block, or run without --config)"
)
AUTO_JOBS_FROM = 200  # below this many files, starting worker processes costs more than it saves


@dataclass(frozen=True)
class CheckOptions:
    config: Path | None = None  # --config: one config for every tender
    selection: Selection = field(default_factory=Selection)
    today: datetime.date = field(default_factory=datetime.date.today)
    max_bytes: int = DEFAULT_MAX_BYTES
    apply_waivers: bool = True  # --no-waivers: auditors see every finding counted
    read_stdin: Callable[[], bytes] = lambda: b""
    jobs: int | None = None  # processes checking tenders; None: one per CPU from AUTO_JOBS_FROM files


def discover(arguments: list[str], pinned: Path | None = None) -> Iterator[str | Problem]:
    """Tender files named by the arguments: files, folders (recursive), globs, ``-``.

    A file whose real location is outside what the arguments name (a symbolic link leading
    elsewhere) is a problem naming it, and is never read (see :mod:`bidcheck.boundary`).
    With ``pinned`` (``--config``), every config file in a checked folder is a problem too.
    A file named more than once (``tenders/ tenders/a.yaml``, ``./a.yaml``, a hard link) is
    yielded once, where first named: it is one tender, not two sharing an id.
    """
    seen = FirstSeen()  # device and inode of each file met (memory stays near flat: bidcheck.batch_index)
    for item in _discovered(arguments, pinned):
        if isinstance(item, str) and item != STDIN:
            try:
                status = os.stat(item)
            except OSError:  # reading it will say why
                yield item
                continue
            if not seen.is_new(f"{status.st_dev}:{status.st_ino}"):
                continue  # met already, under this or another name
        yield item


def _discovered(arguments: list[str], pinned: Path | None) -> Iterator[str | Problem]:
    boundary = Boundary(arguments)
    policy = PinnedPolicy(pinned) if pinned is not None else None
    for argument in arguments:
        if argument == STDIN:
            yield STDIN
            continue
        refused = boundary.refuse_argument(argument)
        if refused is not None:
            yield refused
            continue
        path = Path(argument)
        if path.is_dir():
            yield from _folder(argument, _tender_files_in(path, boundary, policy))
        elif path.exists():
            yield from _named_file(argument, boundary, policy)
        elif GLOB_CHARACTERS & set(argument):
            matches = sorted(glob.glob(argument, recursive=True))
            files = [match for match in matches if not Path(match).is_dir() and not _is_config(Path(match))]
            if not files:
                yield Problem(argument, 0, 0, "no files match this pattern")
            for match in files:
                yield from _named_file(match, boundary, policy)
        else:
            yield missing_file(argument)


def _folder(argument: str, found: Iterator[str | Problem]) -> Iterator[str | Problem]:
    """A folder's files as they are found (a big folder is never listed whole in memory), and a
    problem first when it has none; problems met before its first file wait for it."""
    waiting: list[Problem] = []
    for item in found:
        if isinstance(item, str):
            yield from waiting
            yield item
            yield from found
            return
        waiting.append(item)
    yield Problem(argument, 0, 0, "no tender files (*.yaml, *.yml) in this folder")
    yield from waiting


def _tender_files_in(folder: Path, boundary: Boundary, policy: PinnedPolicy | None) -> Iterator[str | Problem]:
    for root, directories, files in os.walk(folder):  # does not follow symlinked folders: no loops
        directories[:] = sorted(d for d in directories if not d.startswith("."))
        if policy is not None:
            yield from policy.configs_in(root, files)
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")) and not name.startswith(".") and name not in CONFIG_NAMES:
                file = os.path.join(root, name)
                yield boundary.refuse(file, walked=True) or file


def _named_file(file: str, boundary: Boundary, policy: PinnedPolicy | None) -> Iterator[str | Problem]:
    if policy is not None:
        yield from policy.configs_in(os.path.dirname(file))
    yield boundary.refuse(file) or file


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
    work = discover(arguments, options.config)
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
    warned: set[Problem] = set()
    first_file_with_id = FirstSeen()
    for outcome in outcomes:
        for item in outcome:
            if isinstance(item, ConfigWarning):
                if item.problem not in warned:  # each config warning once per run
                    warned.add(item.problem)
                    yield item
            elif isinstance(item, BrokenConfig):
                if item.path not in reported:  # each broken config is reported once, where first met
                    reported.add(item.path)
                    yield from item.problems
            elif isinstance(item, TenderResult):
                yield _flag_reused_id(item, first_file_with_id)
            else:
                yield item


def _flag_reused_id(result: TenderResult, first_file_with_id: FirstSeen) -> TenderResult:
    """``result`` with a warning when an earlier tender in the batch has the same id.

    Two tender files with one id are usually a copy not yet renamed, or one notice imported
    twice; reports keyed by id would merge them. A warning is shown, never counted.
    """
    tender_id = result.tender.tender.id
    first = first_file_with_id.first(tender_id, result.file)
    if first == result.file:
        return result
    where = result.id_at
    message = f"tender id {excerpt(tender_id)} is also the id of {first}; give each tender its own id"
    return replace(result, warnings=[*result.warnings, Problem(result.file, where.line, where.column, message)])


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


@dataclass(frozen=True)
class ConfigWarning:
    """Something about the configs in use worth saying once (a config passed over, plugins not loaded)."""

    problem: Problem

    def __str__(self) -> str:
        return str(self.problem)


Outcome = list[Union[TenderResult, Problem, BrokenConfig, ConfigWarning]]


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
    if options.config is not None and tender.organisation is not None:
        where = document.position_of(("organisation",))
        return [Problem(document.file, where.line, where.column, PINNED_ORGANISATION)]
    settings = settings_for(folder)
    warnings: Outcome = [ConfigWarning(problem) for problem in settings_for.warnings(folder)]
    if isinstance(settings, BrokenConfig):
        return [*warnings, settings, Problem(document.file, 1, 1, "not checked: its config has errors (reported above)")]
    refused = waiver_errors(tender, document, settings.catalogue.ids)
    if refused:
        return [*warnings, *refused]
    evaluation = evaluate(tender, document, settings)
    result = decide(document.file, tender, document, evaluation, options.today, apply_waivers=options.apply_waivers, settings=settings)
    proposals = what_it_would_take(Rerun(result, evaluation, document, settings, options.today, apply_waivers=options.apply_waivers))
    result = replace(
        result,
        warnings=[*result.warnings, *unknown_area_warnings(tender, document), *plausibility_warnings(tender, document)],
        what_it_would_take=proposals,
    )
    return [*warnings, replace(result, config_file=str(settings.config.path) if settings.config.path else None)]


class SettingsCache:
    """Settings per config file, found once per folder and settled once per config file."""

    def __init__(self, options: CheckOptions):
        self.options = options
        self.folders: dict[str, Path] = {}
        self.by_folder: dict[Path, Path | None] = {}
        self.search_warnings: dict[Path, tuple[Problem, ...]] = {}
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
                found = search_config(folder)
                self.by_folder[folder], self.search_warnings[folder] = found.path, found.warnings
            config_path = self.by_folder[folder]
        if config_path not in self.by_config:
            self.by_config[config_path] = self._settle(config_path)
        return self.by_config[config_path]

    def warnings(self, folder: Path) -> list[Problem]:
        """What finding and settling ``folder``'s config had to say (after a call for that folder)."""
        settings = self(folder)
        settled = settings.warnings if isinstance(settings, Settings) else ()
        return [*self.search_warnings.get(folder, ()), *settled]

    def _settle(self, config_path: Path | None) -> Settings | BrokenConfig:
        try:
            settings = settle_file(config_path, self.options.selection)
        except ProblemsFound as error:
            return BrokenConfig(config_path, list(error.problems))
        organisation = settings.config.model.organisation
        unknown_areas = unknown_config_area_warnings(organisation.areas if organisation else [], settings.config.document)
        implausible = config_plausibility_warnings(settings.config.model, settings.config.document)
        return replace(settings, warnings=(*settings.warnings, *unknown_areas, *implausible))
