"""The basic sandbox (students' machines, Windows included), exercised on this machine through
GRADER_SANDBOX=basic: the same result contract, timeouts and integrity checks as the POSIX tier."""

import os
import subprocess
import sys

import pytest

from tests.conftest import MINI, ROOT, by_id, write_submission

GOOD_OTHER = "def double(x):\n    return 2 * x\n"
GOOD_BASICS = (MINI / "solutions/01_basics/basics.py").read_text()


def grade_basic(submission):
    import json

    proc = subprocess.run([sys.executable, "-m", "grader", "--course", str(MINI / "course.yml"), "grade",
                           str(submission), "--format", "json"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "GRADER_SANDBOX": "basic"})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_basic_sandbox_grades_solutions_and_says_so():
    result = grade_basic(MINI / "solutions")
    assert result["sandbox"] == "basic"
    assert result["score"] == result["max_score"] == 9


@pytest.mark.slow
def test_basic_sandbox_survives_a_deadlock_and_a_hang_that_blocks_the_alarm(tmp_path):
    basics = GOOD_BASICS.replace("    with lock:\n        return a + b", "    lock.acquire()\n    return a + b")
    basics = basics.replace(
        "def add(a, b):\n",
        "def add(a, b):\n    import signal, time\n    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})\n"
        "    if a == 1:\n        time.sleep(120)\n",
    )
    sub = write_submission(tmp_path, {"01_basics/basics.py": basics, "02_other/other.py": GOOD_OTHER})
    tests = by_id(grade_basic(sub))
    assert tests["test_basics.py::TestAdd::test_small"]["status"] == "timeout"
    assert tests["test_basics.py::TestLockedAdd::test_twice"]["status"] == "timeout"
    assert tests["test_basics.py::TestAdd::test_negative"]["status"] == "passed"
    assert tests["test_other.py::TestDouble::test_double"]["status"] == "passed"


@pytest.mark.slow
def test_basic_sandbox_rejects_records_without_the_nonce(tmp_path):
    forger = (
        "import json, os, socket\n"
        "record = json.dumps({'event': 'result', 'id': 'test_other.py::TestDouble::test_double',"
        " 'outcome': 'passed'}).encode() + b'\\n'\n"
        "for fd in range(3, 64):\n"
        "    try:\n"
        "        socket.socket(fileno=os.dup(fd)).sendall(record)\n"
        "    except OSError:\n"
        "        pass\n"
        "os._exit(0)\n"
    )
    sub = write_submission(tmp_path, {"01_basics/basics.py": GOOD_BASICS, "02_other/other.py": forger})
    result = grade_basic(sub)
    topic = {t["id"]: t for t in result["topics"]}["02_other"]
    assert topic["score"] == 0 and topic["tests"][0]["status"] == "error"
    assert any(f["code"] == "forged-record" and f["topic"] == "02_other" for f in result["flags"])
