"""Work done in a second process while this one gets on with something else.

A cold ``kent-diff compare`` spends about as long reading both reports as loading the
matcher's libraries and mappings; on two cores the two can overlap. The child is a fork
of this process (Linux only: elsewhere, and on one core, the work runs in this process
when its result is asked for). The result comes back pickled through a pipe. Whatever
goes wrong in the child (bad input, no memory, Ctrl-C), the work is done again here, so
that errors are raised, and outputs made, exactly as without a second process.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Background(Generic[T]):
    """`work()` started in a forked child; result() waits for it. Use as a context manager:
    leaving the block without asking for the result stops the child."""

    def __init__(self, work: Callable[[], T]):
        self._work = work
        self._pid: int | None = None
        self._pipe: int | None = None
        if not sys.platform.startswith("linux") or _cores() < 2:
            return
        try:
            read_end, write_end = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:  # no second process to be had: the work is done here
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:
            _child(work, read_end, write_end)  # never returns
        os.close(write_end)
        self._pid, self._pipe = pid, read_end

    def result(self) -> T:
        """The work's result: from the child where it managed, else done here."""
        if self._pid is None:
            return self._work()
        try:
            with os.fdopen(self._pipe, "rb") as pipe:
                self._pipe = None
                data = pipe.read()
            status = self._reap(kill=False)
        finally:
            if self._pid is not None:  # interrupted while waiting: stop the child too
                self._reap(kill=True)
        if status == 0 and data:
            try:
                return pickle.loads(data)  # noqa: S301 - written by our own child, just now
            except Exception:  # noqa: BLE001 - any failure: the work is done here instead
                pass
        return self._work()

    def _reap(self, kill: bool) -> int:
        """Wait for the child (stopping it first if `kill`); its exit status."""
        pid, self._pid = self._pid, None
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        if pid is None:
            return -1
        if kill:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        while True:
            try:
                _, status = os.waitpid(pid, 0)
                return os.waitstatus_to_exitcode(status)
            except InterruptedError:
                continue
            except ChildProcessError:
                return -1

    def __enter__(self) -> Background[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pid is not None:
            self._reap(kill=True)


def _child(work: Callable[[], object], read_end: int, write_end: int) -> None:
    """In the forked child: do the work, send it, and leave at once (no atexit handlers, no
    flushing of the buffers the parent also holds)."""
    status = 1
    try:
        os.close(read_end)
        data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        status = 0
    except BaseException:  # noqa: BLE001 - the parent does the work again and reports it
        pass
    finally:
        os._exit(status)
