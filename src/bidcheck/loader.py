"""Loading rules: built-ins and plugins through one mechanism.

Rules come from the ``bidcheck.rules`` entry-point group (bidcheck's own built-ins register
there too), from folders or ``.py`` files named in config ``rules.paths`` or ``--rules``,
and from importable module names given the same way. Nothing in a tender file loads code.

A module contributes the :class:`~bidcheck.api.Rule` objects defined in it (rules it merely
imports are not counted twice); a package contributes those of all its modules.
"""

from __future__ import annotations

import difflib
import hashlib
import importlib
import importlib.util
import os
import pkgutil
import re
import sys
import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from bidcheck.api import BIDCHECK_THRESHOLDS, Rule, Threshold, remember_rule
from bidcheck.problems import Problem, ProblemsFound, excerpt

ENTRY_POINT_GROUP = "bidcheck.rules"


@dataclass(frozen=True)
class LoadedRule:
    rule: Rule
    origin: str  # "built-in", "plugin NAME VERSION", or the path it came from


@dataclass(frozen=True)
class Catalogue:
    """All the rules loaded for one configuration, sorted by id."""

    rules: tuple[LoadedRule, ...]

    def get(self, rule_id: str) -> LoadedRule | None:
        return next((loaded for loaded in self.rules if loaded.rule.id == rule_id), None)

    @property
    def ids(self) -> list[str]:
        return [loaded.rule.id for loaded in self.rules]

    @property
    def thresholds(self) -> dict[str, tuple[Threshold, str]]:
        """Every threshold a config may set, by name: the threshold and who reads it (a rule id, or "bidcheck")."""
        declared = {threshold.name: (threshold, "bidcheck") for threshold in BIDCHECK_THRESHOLDS}
        declared.update((threshold.name, (threshold, loaded.rule.id)) for loaded in self.rules for threshold in loaded.rule.thresholds)
        return declared


def closest_rule_id(given: str, ids: Sequence[str]) -> str | None:
    """The loaded rule id ``given`` most likely means ("pwr002" -> PWR002, "PWR02" -> PWR002), or None."""
    wanted = given.strip()
    exact = [rule_id for rule_id in ids if rule_id.casefold() == wanted.casefold()]
    close = exact or difflib.get_close_matches(wanted.upper(), list(ids), n=1, cutoff=0.6)
    return close[0] if close else None


@dataclass(frozen=True)
class RuleSource:
    """A rules file, folder or module name, and where it was asked for (for error messages)."""

    text: str
    named_at: Problem | None = None  # where a config asked for it; None for --rules
    as_module: bool = False  # a module name from a config: imported as such, never looked up as a path


def load_catalogue(extra_sources: Iterable[RuleSource] = ()) -> Catalogue:
    """Load entry-point rules and the extra sources; raise ProblemsFound on any load error."""
    loaded: list[LoadedRule] = []
    problems: list[Problem] = []
    for source, origin in _entry_point_modules(problems):
        loaded.extend(_collect(source, origin, problems))
    for source in extra_sources:
        try:
            modules = _import_source(source)
        except ProblemsFound as error:
            problems.extend(error.problems)
            continue
        except Exception as error:  # a plugin's own import failed: report it, never a traceback
            problems.append(_import_failure(source, error))
            continue
        before = len(problems)
        found = [rule for module in modules for rule in _collect(module, _source_origin(source.text, module), problems)]
        if not found and len(problems) == before:  # `rules.paths: [os]` or a misnamed file must not pass as "rules loaded"
            named_at = source.named_at or Problem(source.text, 0, 0, "")
            message = f"{excerpt(source.text, 120)} defines no rules (no @rule in it); name a file, folder or module of rules"
            problems.append(Problem(named_at.file, named_at.line, named_at.column, message))
        loaded.extend(found)
    problems.extend(_duplicate_ids(loaded))
    if problems:
        raise ProblemsFound(problems)
    for item in loaded:
        remember_rule(item.rule)  # so results can name it across processes (--jobs)
    return Catalogue(tuple(sorted(loaded, key=lambda item: item.rule.id)))


def _import_failure(source: RuleSource, error: Exception) -> Problem:
    """Locate a plugin's import error in the plugin's own file where Python says where it is."""
    message = f"rules {excerpt(source.text, 120)} failed to import: {type(error).__name__}: {error}"
    if isinstance(error, SyntaxError) and error.filename and error.lineno:
        return Problem(error.filename, error.lineno, max(error.offset or 1, 1), f"rules failed to import: SyntaxError: {error.msg}")
    frames = traceback.extract_tb(error.__traceback__)
    plugin_frames = [frame for frame in frames if "importlib" not in frame.filename and frame.lineno]
    if plugin_frames and not plugin_frames[-1].filename.startswith("<"):
        frame = plugin_frames[-1]
        return Problem(frame.filename, frame.lineno or 1, (frame.colno or 0) + 1, message)
    named_at = source.named_at or Problem(source.text, 1, 1, "")
    return Problem(named_at.file, named_at.line, named_at.column, message)


def _entry_point_modules(problems: list[Problem]) -> Iterator[tuple[object, str]]:
    from importlib.metadata import entry_points

    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
        dist = entry_point.dist
        if dist is not None and dist.name == "bidcheck":
            origin = "built-in"
        else:
            origin = f"plugin {dist.name} {dist.version}" if dist is not None else f"plugin {entry_point.value}"
        try:
            yield entry_point.load(), origin
        except Exception as error:  # a broken plugin must not take bidcheck down with it
            problems.append(
                Problem(
                    f"entry point {entry_point.name} = {entry_point.value}",
                    1,
                    1,
                    f"rules failed to load ({origin}): {type(error).__name__}: {error}",
                )
            )


def _collect(source: object, origin: str, problems: list[Problem]) -> list[LoadedRule]:
    """The rules a module, package, rule or list of rules provides."""
    if isinstance(source, Rule):
        return [LoadedRule(source, origin)]
    if isinstance(source, (list, tuple)):
        return [LoadedRule(item, origin) for item in source if isinstance(item, Rule)]
    if not isinstance(source, ModuleType):
        return []
    found = [
        LoadedRule(value, origin)
        for value in vars(source).values()
        if isinstance(value, Rule) and value.module == source.__name__
    ]
    for info in sorted(pkgutil.iter_modules(getattr(source, "__path__", [])), key=lambda info: info.name):
        if info.name.startswith("_"):
            continue
        try:
            submodule = importlib.import_module(f"{source.__name__}.{info.name}")
        except Exception as error:  # a plugin's own import failed: report it, never a traceback
            problems.append(Problem(origin, 1, 1, f"rules module {source.__name__}.{info.name} failed to import: {type(error).__name__}: {error}"))
            continue
        found.extend(_collect(submodule, origin, problems))
    return found


def _import_source(source: RuleSource) -> list[ModuleType]:
    """A .py file, a package folder, a plain folder of .py files, or an importable module name."""
    if source.as_module:
        return [_import_module(source)]
    path = Path(source.text).expanduser()
    if path.is_dir() and not (path / "__init__.py").exists():
        return [_import_path(file) for file in sorted(path.glob("*.py")) if not file.name.startswith("_")]
    if path.is_dir():
        return [_import_path(path / "__init__.py", package=path)]
    if path.is_file():
        if path.suffix != ".py":
            raise _not_found(source, "rules path is not a .py file, a folder or a module name")
        return [_import_path(path)]
    if is_module_name(source.text):
        return [_import_module(source)]
    raise _not_found(source, "rules path does not exist; expected a .py file, a folder of them, or a module name")


def _import_module(source: RuleSource) -> ModuleType:
    try:
        return importlib.import_module(source.text)
    except ModuleNotFoundError as error:
        if error.name and (source.text + ".").startswith(error.name + "."):  # it, not something it imports
            raise _not_found(source, "no such rules module; expected an importable module, a .py file or a folder") from None
        raise


def _not_found(source: RuleSource, message: str) -> ProblemsFound:
    if source.named_at is None:  # named on the command line: about the whole path, so no line (0)
        return ProblemsFound([Problem(source.text, 0, 0, message)])
    named_at = source.named_at
    return ProblemsFound([Problem(named_at.file, named_at.line, named_at.column, f"{message}: {excerpt(source.text, 120)}")])


_MODULE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def is_module_name(text: str) -> bool:
    """Whether a rules source reads as a dotted module name (``my_pkg.rules``) rather than a path."""
    return not text.endswith(".py") and _MODULE_NAME.match(text) is not None


def _import_path(file: Path, package: Path | None = None) -> ModuleType:
    """Import one file under a name unique to its path, so two plugins' rules.py never clash."""
    where = (package or file).resolve()
    digest = hashlib.sha1(str(where).encode()).hexdigest()[:10]
    name = f"bidcheck_local_{re.sub(r'[^A-Za-z0-9_]', '_', where.stem)}_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    locations = [str(package)] if package else None
    spec = importlib.util.spec_from_file_location(name, file, submodule_search_locations=locations)
    if spec is None or spec.loader is None:  # pragma: no cover - only for non-.py files, excluded above
        raise ProblemsFound([Problem(str(file), 1, 1, "cannot import rules from this path")])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _source_origin(source: str, module: ModuleType) -> str:
    return getattr(module, "__file__", None) or source


def _defined_at(rule: Rule) -> tuple[str, int]:
    code = getattr(rule.check, "__code__", None)
    return (os.path.realpath(code.co_filename), code.co_firstlineno) if code else (str(id(rule)), 0)


def _duplicate_ids(loaded: list[LoadedRule]) -> list[Problem]:
    first_seen: dict[str, LoadedRule] = {}
    problems = []
    for item in loaded:
        earlier = first_seen.setdefault(item.rule.id, item)
        if _defined_at(earlier.rule) != _defined_at(item.rule):  # one file named twice is not a clash
            problems.append(
                Problem(
                    item.origin,
                    1,
                    1,
                    f"rule id {item.rule.id} is defined twice: in {earlier.origin} ({earlier.rule.module}) "
                    f"and in {item.origin} ({item.rule.module})",
                )
            )
    return problems
