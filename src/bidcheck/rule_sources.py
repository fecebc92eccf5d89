"""Which rule code a config, or ``--rules``, may load.

A config's ``rules.paths`` entry is a file or folder relative to the config, and must stay
inside the config's repository (the folder holding ``.git``; outside any repository, the
config's own folder) once every symlink and ``..`` is resolved: an absolute path, or one
leading outside, is a located config error. An entry that is a dotted module name
(``bidcheck_rules``, ``my_pkg.rules``) and not a file or folder beside the config is
imported as a module.

Under ``--no-plugins`` nothing from ``rules.paths`` or ``--rules`` is loaded; each skipped
entry is a located warning. The config's thresholds and rule ids that no loaded rule knows
may belong to the rules not loaded, so they are set aside with a warning instead of failing
the run, except a ``rules.select`` that only names such rules: checking nothing is an error.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path, PurePath

from bidcheck.loader import Catalogue, RuleSource, is_module_name
from bidcheck.models import ConfigFile
from bidcheck.problems import Problem, ProblemsFound, excerpt
from bidcheck.read import PathKey
from bidcheck.trust import confinement_root, is_inside

# Where a config's value is written: locate(("rules", "paths", 0), "message") -> a Problem there.
Locate = Callable[[PathKey, str], Problem]

NOT_LOADED = "--no-plugins loads no code from configs or --rules"


def config_rule_sources(entries: Sequence[str], config_file: Path | None, locate: Locate) -> list[RuleSource]:
    """The sources a config's ``rules.paths`` names; raises ProblemsFound for entries leading outside."""
    base = config_file.parent if config_file else Path.cwd()
    root = confinement_root(config_file) if config_file else Path.cwd().resolve()
    sources, problems = [], []
    for index, entry in enumerate(entries):
        where = ("rules", "paths", index)
        if is_module_name(entry) and not os.path.lexists(base / entry):
            sources.append(RuleSource(entry, locate(where, ""), as_module=True))
            continue
        reason = _why_outside(entry, base, root)
        if reason:
            problems.append(locate(where, f"rules.paths entry {excerpt(entry)} {reason}; rule paths must stay inside {root}"))
        else:
            sources.append(RuleSource(str(base / entry), locate(where, "")))
    if problems:
        raise ProblemsFound(problems)
    return sources


def _why_outside(entry: str, base: Path, root: Path) -> str | None:
    if PurePath(entry).anchor or entry.startswith("~"):
        return "is an absolute path; give a path relative to the config"
    target = base / entry
    if not is_inside(target, root):
        return "leads outside the config's repository"
    if target.is_dir():
        for folder, directories, files in os.walk(target):  # a package's modules may be imported too
            for name in directories + files:
                if os.path.islink(os.path.join(folder, name)) and not is_inside(Path(folder, name), root):
                    return f"holds a symlink leading outside the config's repository ({os.path.join(folder, name)})"
    return None


def skipped_rule_sources(entries: Sequence[str], rules_option: Sequence[str], locate: Locate) -> list[Problem]:
    """Warnings for every rule source ``--no-plugins`` leaves unloaded."""
    warnings = [
        locate(("rules", "paths", index), f"rules.paths entry {excerpt(entry)} not loaded: {NOT_LOADED}")
        for index, entry in enumerate(entries)
    ]
    warnings += [Problem("--rules", 0, 0, f"{excerpt(text)} not loaded: {NOT_LOADED}") for text in rules_option]
    return warnings


def without_unloaded_rules(
    model: ConfigFile, catalogue: Catalogue, locate: Locate, *, keep_select: bool, keep_ignore: bool
) -> tuple[ConfigFile, list[Problem]]:
    """``model`` without the thresholds and rule ids no loaded rule knows, and a warning for each.

    ``keep_select`` / ``keep_ignore``: the command line replaced that list, so it is left alone.
    Raises ProblemsFound when ``rules.select`` named only unloaded rules (nothing would be checked).
    """
    warnings: list[Problem] = []

    def set_aside(where: PathKey, what: str) -> None:
        warnings.append(locate(where, f"{what} set aside: no loaded rule knows it ({NOT_LOADED})"))

    declared = set(catalogue.thresholds)
    thresholds = {}
    for name, value in model.thresholds.items():
        if name in declared:
            thresholds[name] = value
        else:
            set_aside(("thresholds", name), f"threshold {excerpt(name)}")
    rules = model.rules

    def known_ids(key: str, ids: Sequence[str], keep: bool) -> list[str]:
        if keep:
            return list(ids)
        kept = []
        for index, rule_id in enumerate(ids):
            if any(known.startswith(rule_id.upper()) for known in catalogue.ids):
                kept.append(rule_id)
            else:
                set_aside(("rules", key, index), f"rules.{key} entry {excerpt(rule_id)}")
        return kept

    select = known_ids("select", rules.select, keep_select)
    if rules.select and not select:
        message = f"rules.select names only rules that were not loaded ({NOT_LOADED}): nothing would be checked"
        raise ProblemsFound([locate(("rules", "select"), message)])
    severity = {}
    for rule_id, value in rules.severity.items():
        if catalogue.get(rule_id) is not None:
            severity[rule_id] = value
        else:
            set_aside(("rules", "severity", rule_id), f"rules.severity for {rule_id}")
    new_rules = rules.model_copy(update={"select": select, "ignore": known_ids("ignore", rules.ignore, keep_ignore), "severity": severity})
    return model.model_copy(update={"thresholds": thresholds, "rules": new_rules}), warnings
