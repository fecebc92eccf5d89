"""What bidcheck trusts on disk: where a repository ends, and which config files are safe.

Modelled on git's ``safe.directory`` and OpenSSH's ``StrictModes``: a config file found by
searching is used only when it is a regular file owned by the user running bidcheck (or by
root, who could change anything anyway) and writable by nobody else (group-writable is fine
when the group is your own private group, as under umask 002). A file named with
``--config`` is trusted as named, like a directory listed in ``safe.directory``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def repository_root(path: Path) -> Path | None:
    """The nearest folder at or above ``path`` holding ``.git`` (a folder, or a worktree's file)."""
    start = path.resolve()
    for directory in (start, *start.parents):
        if os.path.lexists(directory / ".git"):
            return directory
    return None


def confinement_root(config_file: Path) -> Path:
    """The folder a config's own paths must stay inside: its repository, else its own folder."""
    folder = config_file.absolute().parent.resolve()  # the folder it was found in, not a symlink's target's
    return repository_root(folder) or folder


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path`` with every symlink and ``..`` resolved is ``root`` or below it."""
    resolved = path.resolve()
    return resolved == root or root in resolved.parents


def home_folder() -> Path | None:
    """``$HOME`` resolved (the account's home folder when unset), or None when there is none."""
    home = os.path.expanduser("~")
    return Path(home).resolve() if home and home != "~" else None


def why_untrusted(config_file: Path, root: Path) -> str | None:
    """Why a config found by searching must not be used, or None when it may be.

    ``root`` is the folder the file must resolve inside (see :func:`confinement_root`), so a
    symlink planted in a pull request cannot make bidcheck read a file from elsewhere.
    Ownership and permissions are not checked where the platform has no user ids (Windows).
    """
    try:
        status = os.stat(config_file)
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    if not stat.S_ISREG(status.st_mode):
        return "is not a regular file"
    if not is_inside(config_file, root):
        return f"is a symlink to a file outside {root}"
    if not hasattr(os, "geteuid"):
        return None
    if status.st_uid not in (os.geteuid(), 0):
        return f"is owned by another user (uid {status.st_uid}), not by you (uid {os.geteuid()}) or root"
    if status.st_mode & stat.S_IWOTH or (status.st_mode & stat.S_IWGRP and not _group_is_only_you(status.st_gid)):
        return f"is writable by other users (mode {stat.S_IMODE(status.st_mode):04o}); run: chmod go-w {config_file}"
    return None


def _group_is_only_you(gid: int) -> bool:
    """Whether group ``gid`` is your own primary group with no other members listed.

    Under the user-private-group scheme (Debian and Fedora, umask 002) every file you create is
    group-writable by a group of one: you. OpenSSH's StrictModes accepts that too.
    """
    try:
        import grp
        import pwd

        you = pwd.getpwuid(os.geteuid())
        members = grp.getgrgid(gid).gr_mem
    except (ImportError, KeyError):
        return False
    return gid == you.pw_gid and all(member == you.pw_name for member in members)
