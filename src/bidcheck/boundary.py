"""The trust boundary of a check: which files may be read as tenders, and which configs count.

A pull request's author can add any file among the tenders: a symbolic link to a credentials
file or to ``/dev/zero``, or a config of their own. So a tender is read only when its real
location (links resolved) is inside what the command line named: a folder, the folder holding
a named file, or the fixed part of a glob (``tenders`` in ``tenders/**/*.yaml``). Under
``--config`` the policy is pinned, and a config file met in a checked folder is an error that
says so, never a silent override.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path, PurePath

from bidcheck.config_search import is_config_file
from bidcheck.problems import Problem

STDIN = "-"
GLOB_CHARACTERS = frozenset("*?[")


class Boundary:
    """The folders the command line named, resolved; a tender must really be inside one."""

    def __init__(self, arguments: Iterable[str]):
        roots = (_root_of(argument) for argument in arguments)
        self.roots = sorted({root for root in roots if root is not None})

    def refuse(self, file: str, *, walked: bool = False) -> Problem | None:
        """A problem naming ``file`` (never its target) when it leads outside every root.

        ``walked``: found by walking a named folder, which never descends into linked folders,
        so only a file that is itself a link can lead outside (one ``lstat``, not a resolve).
        """
        if walked and not os.path.islink(file):
            return None
        real = os.path.realpath(file)
        if any(_inside(real, root) for root in self.roots):
            return None
        return Problem(file, 1, 1, "leads outside the folders named on the command line (a symbolic link); not read")


def _root_of(argument: str) -> str | None:
    if argument == STDIN:
        return None
    if os.path.isdir(argument):
        return os.path.realpath(argument)
    if os.path.lexists(argument):
        # The folder as written, links and ``..`` resolved: not the named file's target's folder.
        return os.path.realpath(os.path.dirname(argument) or os.curdir)
    if GLOB_CHARACTERS & set(argument):
        parts = PurePath(argument).parts
        fixed = next((index for index, part in enumerate(parts) if GLOB_CHARACTERS & set(part)), len(parts))
        return os.path.realpath(os.path.join(*parts[:fixed]) if fixed else os.curdir)
    return None


def _inside(path: str, root: str) -> bool:
    return path == root or os.path.commonpath([path, root]) == root


class PinnedPolicy:
    """Under ``--config``: every config file in a checked folder, reported once, at that file."""

    def __init__(self, pinned: Path):
        self.pinned = os.path.realpath(pinned)
        self.folders_seen: set[str] = set()

    def configs_in(self, folder: str, names: Iterable[str] | None = None) -> list[Problem]:
        """Problems for the config files among ``names`` in ``folder`` (default: its listing)."""
        real = os.path.realpath(folder or os.curdir)
        if real in self.folders_seen:
            return []
        self.folders_seen.add(real)
        try:
            listed = sorted(os.listdir(folder or os.curdir) if names is None else names)
        except OSError:
            return []
        found = []
        for name in listed:
            candidate = os.path.join(folder, name)
            if is_config_file(Path(candidate)) and os.path.realpath(candidate) != self.pinned:
                found.append(
                    Problem(
                        candidate,
                        1,
                        1,
                        "config file in a checked folder, not used: --config pins the policy "
                        "(remove this file, or run without --config to use it)",
                    )
                )
        return found
