"""Ordered results of tasks shared between a pool of workers and the calling process.

Why the caller works too: a build's process would otherwise sit waiting on its workers, and every
process holds its own imports, models and caches, so `jobs` cores should cost `jobs` processes, not
`jobs + 1`. Tasks are handed out in order to whichever process is free (a worker through its last
task's done callback, or the caller), so no task waits behind a long one in a busy worker's queue,
and results come back in task order with at most AHEAD per process claimed ahead of the reader.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future
from typing import Any, Generic, TypeVar

T = TypeVar("T")

AHEAD = 2  # results each process may be ahead of the reader: memory stays bounded


class _Claims(Generic[T]):
    """Task indices handed out in order to whichever process is free: a worker, through its last task's
    done callback (run in the pool's own thread), or the reader (`shared`). No task waits in a busy
    worker's queue while another process could run it."""

    def __init__(
        self, pool: Executor, workers: int, task: Callable[..., T], arguments: Sequence[tuple[Any, ...]]
    ) -> None:
        self.pool, self.task, self.arguments = pool, task, arguments
        self.changed = threading.Condition()  # guards the fields below
        self.next = 0  # the next task to hand out
        self.read = 0  # results the reader has taken
        self.limit = AHEAD * (workers + 1)
        self.sent: dict[int, Future[T]] = {}
        self.idle = workers
        self.stopped = False

    def claim(self) -> int | None:
        """The next task, or None when all are handed out, the reader is `limit` behind, or it stopped."""
        with self.changed:
            if self.stopped or self.next >= len(self.arguments) or self.next - self.read >= self.limit:
                return None
            self.next += 1
            return self.next - 1

    def feed(self, done: Future[T] | None = None) -> None:
        """Send idle workers their next tasks (a worker is idle again when `done` is its last task's)."""
        with self.changed:
            self.idle += done is not None
        while True:
            with self.changed:
                index = self.claim() if self.idle else None
                if index is None:
                    return
                self.idle -= 1
            try:
                future = self.pool.submit(self.task, *self.arguments[index])
            except BaseException as exc:  # a broken or closed pool: the reader gets the error, never a hang
                future = Future()
                future.set_exception(exc)
            with self.changed:
                self.sent[index] = future
                self.changed.notify_all()
            future.add_done_callback(self.feed)

    def sent_task(self, index: int) -> Future[T] | None:
        """The future of a task a worker has (waiting out the moment between claim and send), or None
        when no one has claimed it yet."""
        with self.changed:
            while index < self.next and index not in self.sent:
                self.changed.wait()
            return self.sent.get(index)

    def taken(self, index: int) -> None:
        with self.changed:
            self.sent.pop(index, None)
            self.read += 1

    def stop(self) -> list[Future[T]]:
        with self.changed:
            self.stopped = True
            return list(self.sent.values())


def shared(
    pool: Executor, workers: int, task: Callable[..., T], arguments: Sequence[tuple[Any, ...]]
) -> Iterator[T]:
    """`task(*a)` for each `a` of `arguments`, in order, shared between the pool's workers and this
    process: while the next result due is not ready, this process runs the next unclaimed task itself.
    At most AHEAD * (workers + 1) tasks are claimed ahead of the reader."""
    claims = _Claims(pool, workers, task, arguments)
    done_here: dict[int, T] = {}
    try:
        claims.feed()
        for turn in range(len(arguments)):
            while turn not in done_here:
                due = claims.sent_task(turn)
                mine = None if due is not None and due.done() else claims.claim()
                if mine is not None:
                    done_here[mine] = task(*arguments[mine])
                elif due is not None:
                    done_here[turn] = due.result()
            claims.taken(turn)
            claims.feed()
            yield done_here.pop(turn)
    finally:
        for future in claims.stop():  # on an error or an early stop: no queued task starts in vain
            future.cancel()
