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

from bidcheck.config_search import CONFIG_NAMES, find_config, search_config  # noqa: F401 - where callers look
from bidcheck.loader import Catalogue, LoadedRule, RuleSource, load_catalogue
from bidcheck.models import ConfigFile, Organisation, Severity
from bidcheck.money import parse_money, parse_percentage
from bidcheck.problems import Problem, ProblemsFound
from bidcheck.pyproject import read_pyproject
from bidcheck.read import Document, EmptyFile, PathKey, Position, read_file
from bidcheck.rule_sources import config_rule_sources, skipped_rule_sources, without_unloaded_rules
from bidcheck.validate import validate_config


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


def load_config(path: Path) -> LoadedConfig:
    """Read and validate one config file; raise ProblemsFound with located problems.

    An empty config (an empty or all-comment ``bidcheck.yaml``, an empty ``[tool.bidcheck]``)
    means "no settings": the defaults, like ``{}``.
    """
    try:
        document = read_pyproject(path) if path.name == "pyproject.toml" else read_file(path)
    except EmptyFile:
        document = Document(file=str(path), data={})
    if document.data is None:  # a bare `---` or `null`
        document.data = {}
    return LoadedConfig(validate_config(document), document, path)


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
    overrides = {rule_id: Severity(value) for rule_id, value in rules_settings.severity.items()}
    return Settings(config, catalogue, chosen, thresholds, overrides)


def _matches(rule_id: str, patterns: tuple[str, ...]) -> bool:
    return any(rule_id.startswith(pattern.upper()) for pattern in patterns)


def _thresholds(config: LoadedConfig, catalogue: Catalogue, problems: list[Problem]) -> dict[str, float]:
    declared = {threshold.name: threshold for loaded in catalogue.rules for threshold in loaded.rule.thresholds}
    values = {name: float(threshold.default) for name, threshold in declared.items()}
    for name, raw in config.model.thresholds.items():
        threshold = declared.get(name)
        if threshold is None:
            close = difflib.get_close_matches(name, list(declared), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known thresholds: {', '.join(sorted(declared))}"
            problems.append(_config_problem(config, ("thresholds", name), f"unknown threshold {name!r}{hint}", value=False))
            continue
        try:
            if threshold.unit == "%":
                values[name] = parse_percentage(raw)
            elif threshold.unit == "£":
                values[name] = parse_money(raw)
            else:
                values[name] = float(raw)
                if values[name] < 0:
                    raise ValueError(f"expected a number of {threshold.unit}, zero or more")
        except ValueError as error:
            problems.append(_config_problem(config, ("thresholds", name), f"thresholds.{name}: {error}", value=True))
    return values


def _unknown_rule(
    config: LoadedConfig, path: tuple[Any, ...], rule_id: str, catalogue: Catalogue, from_cli: bool, key: str, value: bool = True
) -> Problem:
    close = difflib.get_close_matches(rule_id.upper(), catalogue.ids, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else "; `bidcheck rules` lists them"
    message = f"unknown rule id or prefix {rule_id!r} in rules.{key}{hint}"
    if from_cli:
        return Problem(f"--{key}", 1, 1, message.replace(f" in rules.{key}", ""))
    return _config_problem(config, path, message, value=value)


def _config_problem(config: LoadedConfig, path: tuple[Any, ...], message: str, *, value: bool) -> Problem:
    if config.document is None:
        return Problem(str(config.path or "config"), 1, 1, message)
    where: Position = config.document.value_position_of(path) if value else config.document.position_of(path)
    return Problem(config.document.file, where.line, where.column, message)
