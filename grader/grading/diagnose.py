"""Recognise the common failures of concurrent code and explain each in one line, with the fix.

``explain(message)`` returns the explanation for the first pattern found in a test's failure
message, or ``""``. Scoring puts it in the test's ``hint`` (before the course's own hint), so the
table, feedback pages and CI annotations all show it.
"""

from __future__ import annotations

import re

RULES: tuple[tuple[str, str], ...] = (
    (r"Can't pickle local object|Can't get attribute|cannot pickle|PicklingError|Can't pickle <function <lambda>",
     "Process targets and Pool functions are pickled under spawn and forkserver: use module-level functions "
     "(no lambdas or nested functions) and pass only picklable arguments."),
    (r"Queue objects should only be shared between processes through inheritance",
     "A multiprocessing.Queue cannot travel through Pool arguments: use Manager().Queue() or the Pool initializer."),
    (r"Pool is still running",
     "join() on a running Pool: call pool.close() first, then pool.join()."),
    (r"BrokenBarrierError|were never running at the same time",
     "The tasks did not overlap: submit every task with apply_async before calling get() on any result "
     "(a get() inside the submit loop runs them one at a time)."),
    (r"possible deadlock: locks are taken in inconsistent orders|lock.order cycle",
     "Two code paths take the same locks in opposite orders: always take locks in one global order "
     "(for example by account id or fork number)."),
    (r"waited [^\n]{0,200}? s for [^\n]{0,200}?: a deadlock|LockWaitTimeout",
     "A thread waited forever for a lock another thread holds: take locks in one global order, or use "
     "acquire(timeout=...) and back off."),
    (r"daemonic processes are not allowed to have children",
     "A daemon process cannot start processes: run that work in a non-daemon process."),
    (r"bootstrapping phase|freeze_support\(\)",
     "Processes were started while a child was importing your module: put that code under "
     "if __name__ == \"__main__\":."),
    (r"context has already been set",
     "set_start_method() may run once per program: use multiprocessing.get_context(method) instead."),
    (r"inside a running event loop|blocking call",
     "A blocking call froze the event loop: use await asyncio.sleep(...), or asyncio.to_thread(...) for "
     "blocking work, inside coroutines."),
    (r"Passing coroutines is forbidden",
     "asyncio.wait() takes tasks: wrap each coroutine with asyncio.create_task() (or use gather / TaskGroup)."),
    (r"multiprocessing\.context\.TimeoutError|multiprocessing\.TimeoutError",
     "multiprocessing.TimeoutError is not the built-in TimeoutError: catch multiprocessing.TimeoutError."),
    (r"cannot set daemon status of active thread|process has already started",
     "Set daemon before start(): pass daemon=True to the constructor."),
    (r"can't send non-None value to a just-started generator",
     "Prime the generator coroutine (call next() once) before the first send()."),
    (r"cannot notify on un-acquired lock|cannot wait on un-acquired lock",
     "wait() and notify() must be called while holding the condition's lock: use `with cond:`."),
    (r"cannot release un-acquired lock",
     "A lock was released more often than taken (an RLock only by the thread that holds it)."),
    (r"Semaphore released too many times",
     "More release() than acquire(): BoundedSemaphore reports it, a plain Semaphore grows silently."),
    (r"did not return within|did not finish within|could not be interrupted",
     "The code hung: look for a join() before a queue is drained, a lock never released, or a get() "
     "that nobody answers."),
    (r"left behind [^\n]{0,200}?(Pool|child process)",
     "Processes or Pools were left running: join every process you start, and close() then join() every Pool."),
)
_COMPILED = tuple((re.compile(pattern, re.MULTILINE), text) for pattern, text in RULES)


MAX_SCANNED = 4000
"""Characters of a message the rules read: messages are student-reachable text, and the rules' cost
must not grow with it (each pattern is bounded, so a scan is linear in at most this much)."""


def explain(message: str) -> str:
    message = message[:MAX_SCANNED]
    for pattern, text in _COMPILED:
        if pattern.search(message):
            return text
    return ""
