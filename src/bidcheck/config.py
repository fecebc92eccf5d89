"""Finding and reading the organisation's config, and settling the effective settings.

A tender's config is the first ``bidcheck.yaml`` (or ``.bidcheck.yaml``, or a
``pyproject.toml`` with ``[tool.bidcheck]``) found walking up from the tender's folder,
unless ``--config`` names one. Thresholds and rule ids in it are checked against the rules
actually loaded, so a typo there is a located error too.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bidcheck.loader import Catalogue, LoadedRule, RuleSource, load_catalogue
from bidcheck.models import ConfigFile, Organisation, Severity
from bidcheck.money import parse_money, parse_number, parse_percentage
from bidcheck.problems import Problem, ProblemsFound
from bidcheck.read import Document, Position, read_file
from bidcheck.validate import validate_config

CONFIG_NAMES = ("bidcheck.yaml", ".bidcheck.yaml", "bidcheck.yml")


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


@dataclass(frozen=True)
class Settings:
    """Everything evaluation needs from one config: the rules to run and how."""

    config: LoadedConfig
    catalogue: Catalogue
    selected: tuple[LoadedRule, ...]
    thresholds: dict[str, float]
    severity_overrides: dict[str, Severity] = field(default_factory=dict)

    def organisation_for(self, tender_organisation: Organisation | None) -> Organisation:
        """A tender's own organisation block replaces the config's entirely (SPEC §1)."""
        return tender_organisation or self.config.model.organisation or Organisation()


def find_config(folder: Path) -> Path | None:
    """The nearest config file at or above ``folder``."""
    for directory in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_bidcheck_table(pyproject):
            return pyproject
    return None


def load_config(path: Path) -> LoadedConfig:
    """Read and validate one config file; raise ProblemsFound with located problems."""
    document = _read_pyproject(path) if path.name == "pyproject.toml" else read_file(path)
    return LoadedConfig(validate_config(document), document, path)


def settle(config: LoadedConfig, selection: Selection) -> Settings:
    """Load the rules this config asks for and check its thresholds and rule ids against them."""
    sources = [
        RuleSource(str(config.base / path), _config_problem(config, ("rules", "paths", index), "", value=True))
        for index, path in enumerate(config.model.rules.paths)
    ]
    sources += [RuleSource(text) for text in selection.rules]
    return apply_config(config, load_catalogue(sources), selection)


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
                values[name] = parse_number(raw)
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


def _has_bidcheck_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*bidcheck\b", text, re.MULTILINE) is not None


def _read_pyproject(path: Path) -> Document:
    """``[tool.bidcheck]`` as a Document; positions are found by scanning the TOML's lines."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as error:
        raise ProblemsFound([Problem(name, 1, 1, f"cannot read file: {error.strerror or error}")]) from None
    except UnicodeDecodeError:
        raise ProblemsFound([Problem(name, 1, 1, "not UTF-8 text; save the file as UTF-8")]) from None
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+), column (\d+)", str(error))
        line, column = (int(found[1]), int(found[2])) if found else (1, 1)
        raise ProblemsFound([Problem(name, line, column, f"invalid TOML: {str(error).split(' (at')[0]}")]) from None
    document = Document(file=name, data=data.get("tool", {}).get("bidcheck", {}))
    table: tuple[str, ...] | None = None  # the [tool.bidcheck...] table we are in, if any
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[\s*([A-Za-z0-9_.\s-]+?)\s*\]", line)
        if header:
            parts = tuple(part.strip() for part in header[1].split("."))
            table = parts[2:] if parts[:2] == ("tool", "bidcheck") else None
            if table is not None:
                document.key_positions.setdefault(table, Position(number, 1))
                document.value_positions.setdefault(table, Position(number, 1))
            continue
        key = re.match(r"^(\s*)([A-Za-z0-9_-]+)\s*=", line)
        if key and table is not None:
            document.key_positions.setdefault(table + (key[2],), Position(number, len(key[1]) + 1))
            document.value_positions.setdefault(table + (key[2],), Position(number, line.index("=") + 2))
    return document
