"""Finding a tender's config: the upward search, where it stops, and which files it passes over.

From the tender's folder upward, the first folder holding a config decides. In one folder
the order is ``bidcheck.yaml``, ``.bidcheck.yaml``, ``bidcheck.yml``, then ``pyproject.toml``
with a ``tool.bidcheck`` key; when a folder holds several, the first is used and a warning
names it. The search stops after the repository root (the folder holding ``.git``) or
``$HOME``, whichever comes first, so nothing outside the project, or planted by another user
above it, is ever read. A config that is not a regular file, that is a symlink leading
outside its repository, that another user owns or that others may write is passed over with
a warning (see :mod:`bidcheck.trust`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bidcheck.problems import Problem
from bidcheck.pyproject import holds_bidcheck_config
from bidcheck.trust import home_folder, repository_root, why_untrusted

CONFIG_NAMES = ("bidcheck.yaml", ".bidcheck.yaml", "bidcheck.yml")
PYPROJECT = "pyproject.toml"


@dataclass(frozen=True)
class ConfigSearch:
    """The config a folder's tenders use (None: the defaults), and warnings met on the way."""

    path: Path | None
    warnings: tuple[Problem, ...] = ()


def search_config(folder: Path) -> ConfigSearch:
    """Search at and above ``folder`` (resolved) for the config that governs it."""
    start = folder.resolve()
    repository = repository_root(start)
    home = home_folder()
    warnings: list[Problem] = []
    for directory in (start, *start.parents):
        found = list(_configs_in(directory))
        trusted = []
        for candidate in found:
            reason = why_untrusted(candidate, repository or directory)
            if reason:
                warnings.append(Problem(str(candidate), 0, 0, f"not used as a config: it {reason} (name it with --config to use it)"))
            else:
                trusted.append(candidate)
        if trusted:
            used = trusted[0]
            others = ", ".join(_describe(path) for path in found if path != used)
            if others:
                warnings.append(Problem(str(used), 0, 0, f"used as the config; also in this folder and ignored: {others}"))
            return ConfigSearch(used, tuple(warnings))
        if directory in (repository, home):
            break
    return ConfigSearch(None, tuple(warnings))


def find_config(folder: Path) -> Path | None:
    """The config :func:`search_config` finds for ``folder``, without its warnings."""
    return search_config(folder).path


def is_config_file(path: Path) -> bool:
    """Would the config search take ``path`` as a config (by its name, and for pyproject.toml its table)?"""
    if path.name not in (*CONFIG_NAMES, PYPROJECT) or not path.is_file():
        return False
    return path.name != PYPROJECT or holds_bidcheck_config(path)


def _configs_in(directory: Path) -> Iterator[Path]:
    """The config files in one folder, in the order they take precedence."""
    for name in CONFIG_NAMES:
        candidate = directory / name
        if os.path.lexists(candidate):  # a broken or odd one is reported, not silently passed over
            yield candidate
    pyproject = directory / PYPROJECT
    if pyproject.is_file() and holds_bidcheck_config(pyproject):
        yield pyproject


def _describe(path: Path) -> str:
    return f"{path.name} [tool.bidcheck]" if path.name == PYPROJECT else path.name
