"""The trust boundary of a check: which files may be read as tenders, and which configs count.

A pull request's author can add any file among the tenders: a symbolic link to a credentials
file or to ``/dev/zero``, or a config of their own. So a tender is read only when its real
location (links resolved) is inside what the command line named: a folder, the folder holding
a named file, or the fixed part of a glob (``tenders`` in ``tenders/**/*.yaml``). That folder
is itself part of the pull request: a named path running through a symbolic link that leads
out of the repository holding the link (``tenders -> /home/runner``) is refused as a whole. Under
``--config`` the policy is pinned, and a config file met in a checked folder is an error that
says so, never a silent override.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path, PurePath

from bidcheck.config_search import is_config_file
from bidcheck.problems import Problem
from bidcheck.trust import repository_root

STDIN = "-"
GLOB_CHARACTERS = frozenset("*?[")


class Boundary:
    """The folders the command line named, resolved; a tender must really be inside one."""

    def __init__(self, arguments: Iterable[str]):
        arguments = list(arguments)
        self.escaping = {argument: link for argument in arguments if (link := _link_out_of_its_repository(_folder_part(argument)))}
        roots = (_root_of(argument) for argument in arguments if argument not in self.escaping)
        self.roots = sorted({root for root in roots if root is not None})

    def refuse_argument(self, argument: str) -> Problem | None:
        """A problem naming ``argument`` (never where it leads) when a link in it leaves its repository."""
        link = self.escaping.get(argument)
        if link is None:
            return None
        return Problem(
            argument, 0, 0, f"runs through the symbolic link {link}, which leads outside its repository; nothing under it is read"
        )

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
    folder = _folder_part(argument)
    return None if folder is None else os.path.realpath(folder)


def _folder_part(argument: str) -> str | None:
    """The folder an argument names, as written: itself, a named file's folder, a glob's fixed part."""
    if argument == STDIN:
        return None
    if os.path.isdir(argument):
        return argument
    if os.path.lexists(argument):
        # The folder as written: not the named file's target's folder.
        return os.path.dirname(argument) or os.curdir
    if GLOB_CHARACTERS & set(argument):
        parts = PurePath(argument).parts
        fixed = next((index for index, part in enumerate(parts) if GLOB_CHARACTERS & set(part)), len(parts))
        return os.path.join(*parts[:fixed]) if fixed else os.curdir
    return None


def _link_out_of_its_repository(folder: str | None) -> str | None:
    """The first symbolic link along ``folder`` (as written) that leads out of the repository
    holding it, or None. Links outside any repository are the user's own and are followed."""
    if folder is None:
        return None
    current = os.getcwd() if not os.path.isabs(folder) else os.sep
    written = ""
    for part in PurePath(folder).parts:
        written = os.path.join(written, part)
        if part in (os.sep, os.curdir) or PurePath(part).anchor:
            continue
        if part == os.pardir:
            current = os.path.dirname(current)
            continue
        candidate = os.path.join(current, part)
        if not os.path.islink(candidate):
            current = candidate
            continue
        target = os.path.realpath(candidate)
        repository = repository_root(Path(current))
        if repository is not None and not _inside(target, str(repository)):
            return written
        current = target
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
