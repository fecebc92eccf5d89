"""Ending a run early without leaving anything behind.

SIGINT (Ctrl-C) and SIGTERM become :class:`Stopped`, an exception that unwinds through
every cleanup on its way out (temporary report files removed, worker processes stopped);
the CLI then exits with 128 plus the signal's number, as a shell would report it.
"""

from __future__ import annotations

import contextlib
import os
import signal
from types import FrameType
from typing import Optional, TextIO


class Stopped(BaseException):
    """A signal asked bidcheck to stop. A BaseException, so no ``except Exception`` swallows it."""

    def __init__(self, signal_number: int):
        super().__init__(signal_number)
        self.signal_number = signal_number

    @property
    def interrupted(self) -> bool:
        """Ctrl-C, rather than SIGTERM."""
        return self.signal_number == signal.SIGINT

    @property
    def exit_status(self) -> int:
        return 128 + self.signal_number


def stop_cleanly_on_signals() -> None:
    """From now on SIGINT and SIGTERM raise :class:`Stopped`; a signal the caller ignores stays ignored."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _stop)
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _stop)


def _stop(signal_number: int, frame: Optional[FrameType]) -> None:
    for each in (signal.SIGINT, signal.SIGTERM):  # the cleanup runs once, uninterrupted
        signal.signal(each, signal.SIG_IGN)
    raise Stopped(signal_number)


BROKEN_PIPE_STATUS = 128 + getattr(signal, "SIGPIPE", 13)  # 141: what a shell reports for a closed pipe


def discard_output(stream: Optional[TextIO]) -> None:
    """The reader has gone: whatever is left for ``stream`` (``sys.__stdout__`` or ``sys.__stderr__``)
    goes to the null device, so exiting (which flushes it) cannot fail again."""
    with contextlib.suppress(OSError, AttributeError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())  # type: ignore[union-attr]
