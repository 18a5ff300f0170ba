"""Recognise the common failures of concurrent code and explain each in one line, with the fix.

``explain(message)`` returns the explanation for the first pattern found in a test's failure
message, or ``""``. ``hint_for`` picks a failed test's hint: the first course hint whose ``when:``
fits the failure, else ``explain``, else nothing (the message then stands alone: a hint that fits
no failure points at the wrong mistake). ``reword`` puts a message in the student's terms: a stub's
NotImplementedError says the exercise is not done yet, and the grader's own command-line flags
(seen by a module that reads ``sys.argv`` when imported) never reach the student.
"""

from __future__ import annotations

import re

from grader.course import Exercise, Topic
from grader.sandboxed.protocol import CONNECT, FORENSICS_FD, NONCE_FD, RECORD_FD

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
TEST_RULES: tuple[tuple[str, str, str], ...] = (
    # (regex on the test name, regex on the message, explanation): a failure that only means
    # something in one test. None yet in the real course; course.yml ``when:`` covers most.
)
_COMPILED = tuple((re.compile(pattern, re.MULTILINE), text) for pattern, text in RULES)


MAX_SCANNED = 4000
"""Characters of a message the rules read: messages are student-reachable text, and the rules' cost
must not grow with it (each pattern is bounded, so a scan is linear in at most this much)."""


def explain(message: str, test_name: str = "") -> str:
    message = message[:MAX_SCANNED]
    for test_pattern, pattern, text in TEST_RULES:
        if re.search(test_pattern, test_name) and re.search(pattern, message, re.MULTILINE):
            return text
    for compiled, text in _COMPILED:
        if compiled.search(message):
            return text
    return ""


def hint_for(exercise: Exercise | None, test_name: str, message: str) -> str:
    """The hint shown with a failure: a course hint made for it, a known mistake's fix, or nothing."""
    if _NOT_DONE.search(message[:MAX_SCANNED]):
        return ""  # the message already says what to do
    fitting = next((h for h in exercise.hints if h.fits(test_name, message)), None) if exercise else None
    return str(fitting) if fitting is not None else explain(message, test_name)


_NOT_DONE = re.compile(r"^(?:not done yet: |(?:E\s+)?NotImplementedError\b)", re.MULTILINE)
_GRADER_FLAGS = re.compile("|".join(re.escape(f) for f in (NONCE_FD, RECORD_FD, FORENSICS_FD, CONNECT)))
_IMPORT_FAILED = re.compile(r"importing (\w+\.py) failed: [^\n]*?(?: \(at ([\w.-]+:\d+)\))?$", re.MULTILINE)


def reword(topic: Topic, exercise: Exercise | None, message: str) -> str:
    """``message`` in the student's terms (see the module's docstring); other messages unchanged."""
    head = message[:MAX_SCANNED]
    if _NOT_DONE.search(head) and not head.startswith("not done yet: "):
        name = exercise.name if exercise else "this exercise"
        return (f"not done yet: {name} still raises NotImplementedError (replace the `# YOUR CODE HERE` line "
                f"in exercises/{topic.folder}/{topic.module_file})")
    if _GRADER_FLAGS.search(head):
        return _argv_at_import(topic, head)
    return message


def _argv_at_import(topic: Topic, message: str) -> str:
    imported = _IMPORT_FAILED.search(message)
    where = imported.group(2) if imported and imported.group(2) else topic.module_file
    return (f"importing {topic.module_file} ran code at its top level ({where}) that read sys.argv: a module "
            "is imported by the tests (and again by every spawn or forkserver child), and then sys.argv is "
            "not your command line. Run that code only under `if __name__ == \"__main__\":`.")
