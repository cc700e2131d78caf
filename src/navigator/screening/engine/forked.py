"""Worker processes forked from this one, for work that holds the interpreter (screening) while this process does the
rest: reading, writing, the database.

Forked, a worker inherits what this process has built (the compiled matchers, the function it runs) instead of
building or receiving it again; only the items and their results cross, through a connection of its own. A worker
that dies (killed, out of memory) is noticed at once, as the end of that connection: ``concurrent.futures`` waited for
ever on a worker killed while it sent. Workers die with this process, ignore Ctrl+C (this process answers it and stops
them) and do not hold its standard output.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

_PR_SET_PDEATHSIG = 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class WorkerStopped(RuntimeError):
    """A worker process ended before it returned a result."""

    def __init__(self) -> None:
        super().__init__("a screening process stopped before its work was done (killed, or out of memory?)")


class ForkedWorkers:
    """*count* processes forked now, each answering the items sent to it with ``handle(item)``, in the order sent.

    One thread may send while another receives. Use as a context manager: leaving it stops every worker after the
    item in hand."""

    def __init__(self, handle: Callable[[Any], Any], count: int) -> None:
        fork = multiprocessing.get_context("fork")
        self._connections: list[Connection] = []
        self._processes = []
        try:
            for _ in range(count):
                ours, theirs = fork.Pipe()
                process = fork.Process(target=_serve, args=(handle, os.getpid(), theirs), daemon=True)
                process.start()
                theirs.close()
                self._connections.append(ours)
                self._processes.append(process)
        except BaseException:
            self.close()
            raise

    def send(self, worker: int, item: Any) -> None:
        try:
            self._connections[worker].send(item)
        except OSError:
            raise WorkerStopped() from None

    def receive(self, worker: int) -> Any:
        """The result of the oldest item sent to *worker* and not yet received (its exception, raised here)."""
        try:
            done, result = self._connections[worker].recv()
        except (EOFError, OSError):
            raise WorkerStopped() from None
        if not done:
            raise result
        return result

    def kill(self) -> None:
        """Stop every worker now, without waiting for the item in hand: a thread sending to one then fails
        (WorkerStopped). Leaving the context still closes the connections."""
        for process in self._processes:
            process.kill()
            process.join()

    def close(self) -> None:
        for connection in self._connections:
            try:
                connection.send(None)
            except OSError:
                pass
        for process in self._processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()
        for connection in self._connections:
            connection.close()

    def __enter__(self) -> ForkedWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(handle: Callable[[Any], Any], parent: int, connection: Connection) -> None:
    """A worker's life: answer each item until None comes or process *parent* ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handlers (a task worker's graceful shutdown)
    try:  # Linux: killed with the parent, however the parent ends (the OOM killer, a supervisor's SIGKILL)
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (AttributeError, OSError):
        pass
    if os.getppid() != parent:  # the parent ended before that took hold
        return
    # A worker holding the parent's standard output would keep whatever reads it waiting after the parent has gone.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    while (item := connection.recv()) is not None:
        try:
            connection.send((True, handle(item)))
        except Exception as problem:  # noqa: BLE001 - the parent raises it
            connection.send((False, problem))
