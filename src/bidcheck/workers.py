"""Checks a batch in several processes (``--jobs N``) with results in discovery order.

``--jobs N`` means N processes check tenders: this one and N - 1 workers. Files go to the
workers in chunks; whenever the next outcome due is not back yet, this process checks the
next chunk itself instead of waiting. Outcomes are reported strictly in the order of
discovery, so every report is byte-for-byte what one process would write.

Only a few chunks per process are in flight or held back for order: memory stays flat
however many tenders a batch holds, and a slow report holds the workers back instead of
letting results pile up. Each worker talks to this process over its own pipe, read only
when its outcome is due, so no helper thread competes with the checking for the GIL.

A chunk a worker cannot check or send back (evidence that cannot be pickled, say) is
checked in this process instead, so the outcome, or the internal error, is what one process
gives. Only a worker that dies stops the run.

Rules travel between processes as references (see ``Rule.__reduce__``), so this process
settles each folder's config as well: that loads any plugin rules the outcomes refer to.
On Linux the workers are forked once the first config is settled and inherit it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import pickle
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any, Optional, Union

from bidcheck.pipeline import STDIN, CheckOptions, Outcome, SettingsCache, check_one
from bidcheck.problems import Problem

CHUNK_SIZE = 50  # files per message: big enough to hide the round trip, small enough to balance
CHUNKS_IN_FLIGHT_PER_WORKER = 3
MAX_PENDING_PER_PROCESS = 8  # chunks checked or sent but not yet reported; bounds memory

Chunk = list[Union[str, Problem]]


class WorkerFailed(RuntimeError):
    """A worker process died (killed, or a rule ended it); the batch cannot be completed."""


def check_in_workers(work: Iterable[str | Problem], jobs: int, options: CheckOptions, settings_for: SettingsCache) -> Iterator[list[Outcome]]:
    """The outcomes of every discovered item, a chunk at a time, in discovery order."""
    chunks = _chunks(work)
    # In discovery order: outcomes checked here (a list), or a chunk and the worker it went to.
    pending: deque[Union[list[Outcome], tuple[Chunk, _Worker]]] = deque()
    workers: list[_Worker] = []
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < jobs * MAX_PENDING_PER_PROCESS:
                worker = min(workers, key=lambda w: w.in_flight) if len(workers) == jobs - 1 else None
                if worker is not None and worker.in_flight >= CHUNKS_IN_FLIGHT_PER_WORKER:
                    break  # every worker is busy enough
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                elif STDIN in chunk:  # stdin can only be read here
                    pending.append(_check_here(chunk, options, settings_for))
                else:
                    for item in chunk:  # loads any plugin rules the worker's outcomes will refer to
                        if isinstance(item, str):
                            settings_for(settings_for.folder_of(item))
                    if worker is None:  # forked now, a new worker inherits the configs settled so far
                        worker = _Worker.start(options, settings_for, workers)
                        workers.append(worker)
                    worker.send(chunk)
                    pending.append((chunk, worker))
            if not pending:
                return
            head = pending[0]
            if isinstance(head, list) or head[1].ready() or exhausted or len(pending) >= jobs * MAX_PENDING_PER_PROCESS:
                pending.popleft()
                if isinstance(head, list):
                    yield head
                else:
                    chunk, worker = head
                    outcomes = worker.receive()
                    # A worker could not check or send this chunk: checking it here gives the
                    # outcomes (or the internal error) exactly as one process would.
                    yield outcomes if outcomes is not None else _check_here(chunk, options, settings_for)
                continue
            chunk = next(chunks, None)  # the outcome due is still being checked: check a chunk here meanwhile
            if chunk is None:
                exhausted = True
            else:
                pending.append(_check_here(chunk, options, settings_for))
    finally:
        for worker in workers:
            worker.stop()


def _chunks(work: Iterable[str | Problem]) -> Iterator[Chunk]:
    chunk: Chunk = []
    for item in work:
        chunk.append(item)
        if len(chunk) >= CHUNK_SIZE:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _check_here(chunk: Chunk, options: CheckOptions, settings_for: SettingsCache) -> list[Outcome]:
    return [check_one(item, options, settings_for) for item in chunk]


class _Worker:
    """One worker process and the pipe to it; it answers chunks in the order it gets them."""

    def __init__(self, process: Any, connection: Any):
        self.process = process
        self.connection = connection
        self.in_flight = 0

    @classmethod
    def start(cls, options: CheckOptions, settings_for: SettingsCache, others: list[_Worker]) -> _Worker:
        portable = dataclasses.replace(options, read_stdin=_no_stdin)  # stdin stays with this process
        # Forking shares the imports and the settled configs; macOS and Windows spawn fresh.
        context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        forked = context.get_start_method() == "fork"
        inherited = settings_for if forked else None
        ours, theirs = context.Pipe()
        # A forked worker holds copies of this process's pipe ends, its own and the other workers';
        # while any copy is open no worker sees end-of-file when this process dies, so it closes them.
        not_its_own = [ours, *(other.connection for other in others)] if forked else []
        process = context.Process(
            target=_serve, args=(theirs, portable, inherited, os.getpid(), not_its_own), daemon=True, name="bidcheck worker"
        )
        process.start()
        theirs.close()
        return cls(process, ours)

    def send(self, chunk: Chunk) -> None:
        self.connection.send(chunk)
        self.in_flight += 1

    def ready(self) -> bool:
        return bool(self.connection.poll())

    def receive(self) -> Optional[list[Outcome]]:
        """The outcomes of the oldest chunk sent, or None if the worker could not give them."""
        try:
            answer = pickle.loads(self.connection.recv_bytes())
        except (EOFError, OSError):
            self.process.join(timeout=5)  # for its exit code
            raise WorkerFailed(f"worker process stopped unexpectedly (exit code {self.process.exitcode})") from None
        self.in_flight -= 1
        return None if answer == _COULD_NOT else answer  # type: ignore[no-any-return]

    def stop(self) -> None:
        if self.in_flight == 0:
            try:
                self.connection.send(None)
                self.process.join(timeout=5)
            except OSError:
                pass
        if self.process.is_alive():  # stopped early with work still out: no waiting for it
            self.process.terminate()
            self.process.join()
        self.connection.close()


def _serve(connection: Any, options: CheckOptions, inherited: Optional[SettingsCache], parent: int, not_its_own: list[Any]) -> None:
    """A worker's life: check each chunk it is sent, answer with the outcomes, until told to stop.

    It ends with the main process, however that ends: killed with it on Linux, and everywhere
    at end-of-file on its pipe (or a broken pipe when answering).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the main process to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the main process's cleanup handler: terminate() ends a worker
    for other in not_its_own:
        other.close()
    _die_with(parent)
    settings_for = inherited or SettingsCache(options)
    while True:
        try:
            chunk = connection.recv()
        except (EOFError, OSError):  # the main process has gone
            return
        if chunk is None:
            return
        try:
            message = pickle.dumps(_check_here(chunk, options, settings_for), pickle.HIGHEST_PROTOCOL)
        except Exception:  # e.g. evidence that cannot be pickled: the main process checks it instead
            message = pickle.dumps(_COULD_NOT)
        try:
            connection.send_bytes(message)
        except OSError:  # the main process has gone
            return


def _die_with(parent: int) -> None:
    """On Linux, have the kernel kill this process when ``parent`` dies, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before that took effect
        os._exit(0)


_COULD_NOT = "could not check this chunk"


def _no_stdin() -> bytes:
    return b""
