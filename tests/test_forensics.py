"""Hang forensics: what a student reads when a test hangs (grader.forensics, grader.sandboxed.hangdump,
the waiting state of grader.probes.lockdep), from unit level up to a deadlocking submission."""

import json
import os
import subprocess
import sys
import threading
import time

import pytest

from grader.grading import forensics
from grader.probes.lockdep import LockGraph, LockWaitTimeout, RecordingLock, waiting
from tests.conftest import ROOT, write_submission

REDTEAM = ROOT / "tests" / "redteam"
TARGET = (REDTEAM / "course" / "solutions" / "01_target" / "target.py").read_text()

DUMP = """
@@grader-forensics pid=7 ppid=2 name=python
Thread 0x00007f0000000001 (most recent call first):
  File "/work/x/bank.py", line 12 in worker
  File "/usr/lib/python3.11/threading.py", line 982 in run
  File "/usr/lib/python3.11/threading.py", line 1002 in _bootstrap

Current thread 0x00007f0000000002 (most recent call first):
  File "/usr/lib/python3.11/threading.py", line 1112 in _wait_for_tstate_lock
  File "/usr/lib/python3.11/threading.py", line 1092 in join
  File "/work/x/bank.py", line 30 in run_all
  File "<frozen runpy>", line 88 in _run_code
  File "<frozen runpy>", line 198 in _run_module_as_main

@@grader-forensics pid=8 ppid=7 name=python
Current thread 0x00007f0000000003 (most recent call first):
  File "/work/x/bank.py", line 5 in child
"""


def test_faulthandler_dumps_are_parsed_per_process_and_named():
    first, second = forensics.parse_dumps(DUMP)
    assert first.label == "child process 7" and second.label == "child process 8"
    names = [t.name for t in first.threads]
    assert names == ["thread 0x00007f0000000001", "MainThread"]
    assert [f.func for f in first.threads[1].frames] == ["_run_module_as_main", "_run_code", "run_all", "join",
                                                          "_wait_for_tstate_lock"]
    assert second.threads[0].name == "its thread"


def test_explain_puts_the_students_lines_first_and_names_the_blocking_call():
    text = forensics.explain(None, DUMP, "/work/x")
    lines = text.splitlines()
    assert lines[0] == "When it was stopped:"
    assert "- MainThread: at bank.py:30 in run_all, blocked in Thread.join()" in lines
    assert "- thread 0x00007f0000000001: at bank.py:12 in worker" in lines
    assert "In child process 8:" in lines and "- its thread: at bank.py:5 in child" in lines


@pytest.mark.timeout(60)
def test_a_fifo_in_place_of_the_students_file_does_not_block_the_explanation(tmp_path):
    os.mkfifo(tmp_path / "bank.py")
    text = forensics.explain(None, DUMP.replace("/work/x", str(tmp_path)), str(tmp_path))
    assert "at bank.py:30 in run_all" in text


def _snapshot(waits):
    def thread(ident, name, line, main=False):
        stack = [["/usr/lib/python3.11/threading.py", 1002, "_bootstrap", ""],
                 ["/work/x/bank.py", line, "transfer", "with dst.lock:"],
                 ["/srv/grader/probes/lockdep.py", 120, "acquire", "got = self._lock.acquire()"]]
        return {"ident": ident, "name": name, "daemon": True, "main": main, "stack": stack}

    return {"threads": [thread(1, "Thread-1", 42), thread(2, "Thread-2", 43)], "tasks": [], "waits": waits}


def test_a_lock_cycle_is_told_as_one_sentence():
    snapshot = _snapshot([{"thread": 2, "lock": "lock_b", "owner": 1, "timed": False},
                          {"thread": 1, "lock": "lock_a", "owner": 2, "timed": False}])
    text = forensics.explain(snapshot, "", "/work/x")
    assert ("Deadlock: Thread-1 at bank.py:42 waits for lock_a held by Thread-2 at bank.py:43, "
            "which waits for lock_b held by Thread-1.") in text
    assert "take the locks in one global order" in text
    assert "- Thread-1: at bank.py:42 in transfer (`with dst.lock:`), blocked in lock.acquire()" in text


def test_a_lock_nobody_holds_is_said_too():
    snapshot = _snapshot([{"thread": 1, "lock": "lock_a", "owner": None, "timed": False}])
    text = forensics.explain(snapshot, "", "/work/x")
    assert "Thread-1 at bank.py:42 waits for lock_a (held by no thread" in text


def test_children_doing_the_same_thing_are_told_once():
    same = "".join(f"\n@@grader-forensics pid={p} ppid=2 name=python\nCurrent thread 0x0000000000000001 (most recent "
                   f"call first):\n  File \"/work/x/bank.py\", line 9 in worker\n" for p in (11, 12, 13))
    text = forensics.explain(_snapshot([]), same, "/work/x")
    assert "In 3 child processes (11, 12, 13), each:" in text
    assert text.count("at bank.py:9 in worker") == 1


def test_explain_stays_short():
    raw = "".join(f"\n@@grader-forensics pid={p} ppid=2 name=python\nCurrent thread 0x{p:016x} (most recent call "
                  f"first):\n  File \"/work/x/bank.py\", line {p} in f{p}\n" for p in range(10, 60))
    text = forensics.explain(None, raw, "/work/x")
    assert len(text.splitlines()) <= forensics.MAX_LINES + 1
    assert all(len(line) <= forensics.MAX_LINE for line in text.splitlines())


def test_recording_locks_publish_who_waits_for_what():
    graph = LockGraph()
    a, b = RecordingLock("lock a", graph), RecordingLock("lock b", graph)
    a.acquire()
    b.acquire()
    plain = threading.Thread(target=lambda: (a.acquire(), a.release()), name="plain")
    timed = threading.Thread(target=lambda: b.acquire(timeout=30) and b.release(), name="timed")
    for thread in (plain, timed):
        thread.start()
    deadline = time.monotonic() + 20
    while len(waiting()) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    seen = {w["lock"]: w for w in waiting()}
    me = threading.get_ident()
    assert seen["lock a"] == {"thread": plain.ident, "lock": "lock a", "owner": me, "timed": False}
    assert seen["lock b"] == {"thread": timed.ident, "lock": "lock b", "owner": me, "timed": True}
    a.release()
    b.release()
    for thread in (plain, timed):
        thread.join(20)
    assert waiting() == [] and a.acquisitions == 2 and b.acquisitions == 2


def test_a_deadlock_with_a_wait_limit_still_ends_and_is_recorded():
    graph = LockGraph()
    a, b = RecordingLock("lock a", graph, wait_limit=0.5), RecordingLock("lock b", graph, wait_limit=0.5)
    both = threading.Barrier(2)
    errors = []

    def worker(first, second):
        with first:
            both.wait()
            try:
                with second:
                    pass
            except LockWaitTimeout as exc:
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(a, b)), threading.Thread(target=worker, args=(b, a))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert len(errors) >= 1 and waiting() == []
    assert graph.find_cycle() is not None  # lock-order recording is unchanged


def _grade(tmp_path, source, tier=None):
    sub = write_submission(tmp_path / "sub", {"01_target/target.py": source})
    env = dict(os.environ)
    if tier:
        env["GRADER_SANDBOX"] = tier
    proc = subprocess.run([sys.executable, "-m", "grader", "--course", str(REDTEAM / "course" / "course.yml"),
                           "grade", str(sub), "--format", "json"], cwd=ROOT, capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    return {t["id"].split("::", 1)[1]: t for topic in result["topics"] for t in topic["tests"]}


DEADLOCK = TARGET.replace(
    "    first, second = sorted((src, dst), key=lambda account: account.id)\n    with first.lock:\n"
    "        with second.lock:\n",
    "    import time\n    with src.lock:\n        time.sleep(0.05)\n        with dst.lock:\n",
)


@pytest.mark.slow
@pytest.mark.parametrize("tier", ["portable", "linux"])
def test_a_deadlocking_submission_is_told_which_threads_and_locks(tmp_path, tier):
    if tier == "linux":
        from tests.test_sandbox import LINUX, WHY_NOT

        if LINUX is None:
            pytest.skip(f"the Linux tier does not work here: {WHY_NOT}")
    assert DEADLOCK != TARGET
    test = _grade(tmp_path, DEADLOCK, tier)["TestTransfer::test_opposite_transfers"]
    assert test["status"] == "timeout"
    message = test["message"]
    assert message.startswith("did not finish within 3 s and was stopped")
    line = next(line for line in message.splitlines() if line.startswith("Deadlock: "))
    # Both movers, both locks, the student's line; whichever thread the sentence starts from.
    assert "mover-1" in line and "mover-2" in line and "account 1" in line and "account 2" in line
    assert line.count("target.py:") >= 2 and ", which waits for account " in line
    assert "- mover-1: at target.py:" in message and "blocked in lock.acquire()" in message


HANG_IN_CHILDREN = TARGET.replace(
    "def pool_squares(xs, ctx=None):\n    ctx = ctx or get_context()\n    with ctx.Pool(2) as pool:\n"
    "        return pool.map(_square, xs)\n",
    "def _stuck(x):\n    import time\n    time.sleep(60)\n\n\n"
    "def pool_squares(xs, ctx=None):\n    import signal\n    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})\n"
    "    with get_context('spawn').Pool(2) as pool:\n        return pool.map(_stuck, xs)\n",
)


@pytest.mark.slow
def test_a_hang_the_alarm_cannot_stop_is_dumped_from_every_process_before_the_kill(tmp_path):
    assert HANG_IN_CHILDREN != TARGET
    test = _grade(tmp_path, HANG_IN_CHILDREN)["TestPool::test_squares"]
    assert test["status"] == "timeout"
    message = test["message"]
    assert "could not be interrupted" in message
    assert "- MainThread: at target.py:" in message and "blocked in Pool.map()" in message
    assert "child processes" in message and "in _stuck (`time.sleep(60)`)" in message
