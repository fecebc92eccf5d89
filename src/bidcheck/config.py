"""Reading the organisation's config, and settling the effective settings.

A tender's config is found walking up from the tender's folder (:mod:`bidcheck.config_search`),
unless ``--config`` names one. Thresholds and rule ids in it are checked against the rules
actually loaded, so a typo there is a located error too.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bidcheck.api import Threshold
from bidcheck.config_search import CONFIG_NAMES, find_config, search_config  # noqa: F401 - where callers look
from bidcheck.loader import Catalogue, LoadedRule, RuleSource, closest_rule_id, load_catalogue
from bidcheck.models import ConfigFile, Organisation, Severity
from bidcheck.money import parse_money, parse_number, parse_percentage
from bidcheck.problems import Problem, ProblemsFound, excerpt
from bidcheck.pyproject import read_pyproject
from bidcheck.read import Document, EmptyFile, PathKey, Position, read_file
from bidcheck.rule_sources import config_rule_sources, skipped_rule_sources, without_unloaded_rules
from bidcheck.validate import valid_part, validate_config


@dataclass(frozen=True)
class LoadedConfig:
    model: ConfigFile
    document: Document | None  # None when no config file was found
    path: Path | None

    @property
    def base(self) -> Path:
        """Where relative paths in the config start from."""
        return self.path.parent if self.path else Path.cwd()


DEFAULT_CONFIG = LoadedConfig(ConfigFile(), None, None)


@dataclass(frozen=True)
class Selection:
    """Rule choices given on the command line; they replace the config's."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    rules: tuple[str, ...] = ()  # --rules sources, relative to the working directory
    load_plugins: bool = True  # False under --no-plugins: no code from configs' rules.paths or --rules


@dataclass(frozen=True)
class Settings:
    """Everything evaluation needs from one config: the rules to run and how."""

    config: LoadedConfig
    catalogue: Catalogue
    selected: tuple[LoadedRule, ...]
    thresholds: dict[str, float]
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()  # e.g. rule paths --no-plugins did not load; shown, never counted

    def organisation_for(self, tender_organisation: Organisation | None) -> Organisation:
        """A tender's own organisation block replaces the config's entirely (SPEC §1)."""
        return tender_organisation or self.config.model.organisation or Organisation()


class InvalidConfig(ProblemsFound):
    """A config with validation problems, and what of it is valid (None: nothing usable)."""

    def __init__(self, problems: list[Problem], valid: LoadedConfig | None):
        super().__init__(problems)
        self.valid = valid


def load_config(path: Path) -> LoadedConfig:
    """Read and validate one config file; raise ProblemsFound with located problems.

    An empty config (an empty or all-comment ``bidcheck.yaml``, an empty ``[tool.bidcheck]``)
    means "no settings": the defaults, like ``{}``. Validation problems come as
    :class:`InvalidConfig`, carrying the config's valid parts.
    """
    try:
        document = read_pyproject(path) if path.name == "pyproject.toml" else read_file(path)
    except EmptyFile:
        document = Document(file=str(path), data={})
    if document.data is None:  # a bare `---` or `null`
        document.data = {}
    try:
        return LoadedConfig(validate_config(document), document, path)
    except ProblemsFound as error:
        model = valid_part(ConfigFile, document)
        raise InvalidConfig(error.problems, LoadedConfig(model, document, path) if model else None) from None


def settle_file(path: Path | None, selection: Selection) -> Settings:
    """Load and settle the config at ``path`` (None: the defaults); raise ProblemsFound.

    Every problem comes in one run: a typo under ``policies`` does not hide a misspelt
    threshold or rule id, which are checked on the valid rest of the config.
    """
    try:
        config = load_config(path) if path else DEFAULT_CONFIG
    except InvalidConfig as invalid:
        problems = list(invalid.problems)
        if invalid.valid is not None:
            try:
                settle(invalid.valid, selection)
            except ProblemsFound as more:
                problems += more.problems
        raise ProblemsFound(sorted(problems, key=lambda p: (p.file, p.line, p.column))) from None
    return settle(config, selection)


def settle(config: LoadedConfig, selection: Selection) -> Settings:
    """Load the rules this config asks for and check its thresholds and rule ids against them.

    Under ``--no-plugins`` (``selection.load_plugins`` false) only built-in and installed rules
    load; see :mod:`bidcheck.rule_sources` for what then happens to the config's rule settings.
    """

    def locate(path: PathKey, message: str) -> Problem:
        return _config_problem(config, path, message, value=True)

    entries = config.model.rules.paths
    if selection.load_plugins:
        sources = config_rule_sources(entries, config.path, locate)
        sources += [RuleSource(text) for text in selection.rules]
        return apply_config(config, load_catalogue(sources), selection)
    catalogue = load_catalogue()
    warnings = skipped_rule_sources(entries, selection.rules, locate)
    if warnings:
        model, set_aside = without_unloaded_rules(
            config.model, catalogue, locate, keep_select=selection.select is not None, keep_ignore=selection.ignore is not None
        )
        config = replace(config, model=model)
        warnings += set_aside
    return replace(apply_config(config, catalogue, selection), warnings=tuple(warnings))


def apply_config(config: LoadedConfig, catalogue: Catalogue, selection: Selection = Selection()) -> Settings:
    """Settings for an already loaded catalogue: thresholds, selection and severities checked."""
    problems: list[Problem] = []
    thresholds = _thresholds(config, catalogue, problems)
    rules_settings = config.model.rules
    select = selection.select if selection.select is not None else tuple(rules_settings.select)
    ignore = selection.ignore if selection.ignore is not None else tuple(rules_settings.ignore)
    for key, ids in (("select", select), ("ignore", ignore)):
        for index, rule_id in enumerate(ids):
            if not any(known.startswith(rule_id.upper()) for known in catalogue.ids):
                from_cli = getattr(selection, key) is not None
                problems.append(_unknown_rule(config, ("rules", key, index), rule_id, catalogue, from_cli, key))
    for rule_id in rules_settings.severity:
        if catalogue.get(rule_id) is None:
            problems.append(_unknown_rule(config, ("rules", "severity", rule_id), rule_id, catalogue, False, "severity", value=False))
    if problems:
        raise ProblemsFound(problems)
    chosen = tuple(
        loaded
        for loaded in catalogue.rules
        if (not select or _matches(loaded.rule.id, select)) and not _matches(loaded.rule.id, ignore)
    )
    if not chosen:  # checking with no rules would pass every tender as `bid`
        raise ProblemsFound([_nothing_selected(config, selection, select, ignore, len(catalogue.rules))])
    overrides = {rule_id: Severity(value) for rule_id, value in rules_settings.severity.items()}
    return Settings(config, catalogue, chosen, thresholds, overrides)


def _matches(rule_id: str, patterns: tuple[str, ...]) -> bool:
    return any(rule_id.startswith(pattern.upper()) for pattern in patterns)


def _nothing_selected(config: LoadedConfig, selection: Selection, select: tuple[str, ...], ignore: tuple[str, ...], loaded: int) -> Problem:
    chosen = f"select [{', '.join(select) or 'all'}] with ignore [{', '.join(ignore)}]"
    message = f"no rule is selected: {chosen} leaves none of the {loaded} loaded rules to run"
    for key in ("ignore", "select"):  # at the config's choice where it made one
        if getattr(selection, key) is None and getattr(config.model.rules, key):
            return _config_problem(config, ("rules", key), message, value=True)
    return Problem("--ignore" if ignore else "--select", 1, 1, message)


def _thresholds(config: LoadedConfig, catalogue: Catalogue, problems: list[Problem]) -> dict[str, float]:
    declared = {name: threshold for name, (threshold, _) in catalogue.thresholds.items()}
    values = {name: float(threshold.default) for name, threshold in declared.items()}
    invalid: set[str] = set()
    for name, raw in config.model.thresholds.items():
        threshold = declared.get(name)
        if threshold is None:
            close = difflib.get_close_matches(name, list(declared), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known thresholds: {', '.join(sorted(declared))}"
            problems.append(_config_problem(config, ("thresholds", name), f"unknown threshold {excerpt(name)}{hint}", value=False))
            continue
        try:
            if threshold.unit == "%":
                values[name] = parse_percentage(raw)
            elif threshold.unit == "£":
                values[name] = parse_money(raw)
            elif threshold.unit == "ratio":
                values[name] = parse_number(raw)
                if not 0 < values[name] <= 1:
                    raise ValueError(f"expected a ratio above 0 and at most 1 (0.5 is half), got {values[name]:g}")
            else:
                values[name] = parse_number(raw)
                if values[name] < 0:
                    raise ValueError(f"expected a number of {threshold.unit}, zero or more")
        except ValueError as error:
            invalid.add(name)
            problems.append(_config_problem(config, ("thresholds", name), f"thresholds.{name}: {error}", value=True))
    _check_order(config, catalogue, declared, {name: values[name] for name in values if name not in invalid}, problems)
    return values


def _check_order(
    config: LoadedConfig, catalogue: Catalogue, declared: dict[str, Threshold], values: dict[str, float], problems: list[Problem]
) -> None:
    """No threshold below the one it is declared ``at_least`` (a blocker level below its concern level)."""
    given = config.model.thresholds
    for loaded in catalogue.rules:
        for threshold in loaded.rule.thresholds:
            floor = threshold.at_least
            if floor is None:
                continue
            if floor not in declared:
                message = f"rule {loaded.rule.id}: threshold {threshold.name} is declared at_least {floor!r}, which no loaded rule declares"
                problems.append(Problem(loaded.origin, 1, 1, message))
                continue
            if threshold.name not in values or floor not in values or values[threshold.name] >= values[floor]:
                continue  # in order, or a value that did not parse (reported already)
            shown = {name: declared[name].format(values[name]) + ("" if name in given else ", the default") for name in (floor, threshold.name)}
            message = (
                f"thresholds.{floor} ({shown[floor]}) is above thresholds.{threshold.name} ({shown[threshold.name]}); "
                f"{threshold.name} must be at least {floor}"
            )
            at = next((name for name in (floor, threshold.name) if name in given), None)
            problems.append(_config_problem(config, ("thresholds", at), message, value=True) if at else Problem(loaded.origin, 1, 1, message))


def _unknown_rule(
    config: LoadedConfig, path: tuple[Any, ...], rule_id: str, catalogue: Catalogue, from_cli: bool, key: str, value: bool = True
) -> Problem:
    close = closest_rule_id(rule_id, catalogue.ids)
    hint = f"; did you mean {close}?" if close else "; `bidcheck rules` lists them"
    message = f"unknown rule id or prefix {excerpt(rule_id)} in rules.{key}{hint}"
    if from_cli:
        return Problem(f"--{key}", 1, 1, message.replace(f" in rules.{key}", ""))
    return _config_problem(config, path, message, value=value)


def _config_problem(config: LoadedConfig, path: tuple[Any, ...], message: str, *, value: bool) -> Problem:
    if config.document is None:
        return Problem(str(config.path or "config"), 1, 1, message)
    where: Position = config.document.value_position_of(path) if value else config.document.position_of(path)
    return Problem(config.document.file, where.line, where.column, message)
