"""Suspicious-code flags (grader/suspicious.py): what is flagged, what never is, and that a flag
never changes a score."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from grader import course as course_model
from grader.grading.suspicious import MAX_FINDINGS, scan_files, scan_source, taught
from tests.conftest import ROOT, grade_json, write_submission

TOPICS = sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir())


def scan(source: str) -> list[str]:
    return scan_source(textwrap.dedent(source), "mod.py")


TEACHES_A_RULE = {
    "12_generators_greenlet": {"walks stack frames (.gi_frame)", "reads another frame's locals (.f_locals)"},
    "14_asyncio": {"changes signal handlers (the grader's timeout is a signal) (signal.signal)"},
    "14b_debugging": {"uses the interpreter's crash/hang reporting (faulthandler)"},
}
"""Topics whose subject is something the scan otherwise flags: there, and only there, it is not flagged."""


@pytest.mark.parametrize("topic", TOPICS)
def test_reference_solutions_and_stubs_raise_no_flag(topic):
    """The rules name only what course code never needs (but what a topic teaches, in that topic)."""
    loaded = course_model.load(ROOT / "course.yml")
    [course_topic] = [t for t in loaded.topics if t.folder == topic]
    allowed = taught(loaded.solution(course_topic))
    assert allowed == TEACHES_A_RULE.get(topic, set())
    for folder in (ROOT / "solutions" / topic, ROOT / "exercises" / topic):
        names = [p.name for p in folder.glob("*.py") if not p.name.startswith("test_")]
        assert names, folder
        assert scan_files(folder, names, allowed) == [], folder


def test_what_one_topic_teaches_is_still_flagged_in_another():
    source = "import faulthandler\nfaulthandler.dump_traceback()\n"
    reason = "uses the interpreter's crash/hang reporting (faulthandler)"
    assert any(reason in line for line in scan_source(source, "mod.py"))
    assert scan_source(source, "mod.py", frozenset({reason})) == []


@pytest.mark.parametrize(("source", "reason"), [
    ("import gc\nfor o in gc.get_objects(): pass\n", "walks the garbage collector's objects (gc.get_objects)"),
    ("import gc as g\ng.get_referrers(1)\n", "gc.get_referrers"),
    ("from gc import get_objects\n", "gc.get_objects"),
    ("import sys\nf = sys._getframe(1)\n", "walks stack frames (sys._getframe)"),
    ("def f(frame):\n    return frame.f_back.f_globals\n", "walks stack frames (.f_back)"),
    ("import ctypes\n", "calls C directly (ctypes)"),
    ("import importlib\nimportlib.import_module('ctypes')\n", "calls C directly (ctypes)"),
    ("import _pytest.reports\n", "uses the test framework (_pytest.reports)"),
    ("import os\nos.listdir('/proc/self/fd')\n", "looks at /proc"),
    ("import signal\nsignal.setitimer(signal.ITIMER_REAL, 0)\n", "changes interval timers"),
    ("import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n", "changes signal handlers"),
    ("import os\nos._exit(0)\n", "exits while being imported (os._exit)"),
    ("raise SystemExit\n", "raises SystemExit while being imported"),
    ("import os\nwhile True:\n    os.fork()\n", "a fork bomb"),
    ("import os\nos.setsid()\n", "detaches a process"),
    ("import subprocess\nsubprocess.Popen(['x'], start_new_session=True)\n", "start_new_session"),
    ("import os\nos.kill(os.getppid(), 9)\n", "signals a process it did not start"),
    ("import os\nprint(dict(os.environ))\n", "reads the whole environment"),
    ("import sys\nsys.modules['threading'] = None\n", "patches the interpreter (sys.modules)"),
    ("class A:\n    def __eq__(self, other):\n        return True\n", "an __eq__ that always returns True"),
    ("class A:\n    def __reduce__(self):\n        return (print, ())\n", "defines __reduce__"),
    ("def f():\n    try:\n        g()\n    except BaseException:\n        pass\n", "swallows every exception"),
    ("def f(x):\n    return getattr(x, 'f_locals')\n", "reads another frame's locals"),
    ("x = open('../../tests/hidden/test_x.py').read()\n", "names the hidden tests"),
    ("import atexit\natexit.register(print)\n", "registers an exit handler"),
    ("class A:\n    def __eq__(self, other):\n        return self is not None\n", "ignores what it is compared with"),
    ("class A:\n    __eq__ = lambda self, other: 1\n", "sets __eq__"),
    ("Liar = type('Liar', (), {'__eq__': lambda s, o: True})\n", "builds a class at run time"),
    ("Liar = type('Liar', (), {'__eq__': lambda s, o: True})\n", "names __eq__"),
    ("import sys\nr = sys.modules['_py' + 'test.reports']\n", "reaches a loaded module by name"),
    ("import sys\nr = sys.modules.get('x')\n", "reaches loaded modules or namespaces by name"),
    ("def f():\n    return vars(__import__('sys'))\n", "reaches loaded modules or namespaces by name"),
])
def test_reaching_for_the_graders_internals_is_flagged_with_its_line(source, reason):
    found = scan(source)
    assert any(reason in line for line in found), found
    assert all(line.startswith("mod.py:") for line in found), found


@pytest.mark.parametrize("source", [
    '"""Mentions pytest, /proc, the grader and hidden tests in a docstring only."""\n',
    "import threading\nlock = threading.Lock()\nwith lock:\n    pass\n",
    "import sys\nif __name__ == '__main__':\n    sys.exit(main())\n",
    "def f():\n    try:\n        g()\n    except Exception:\n        pass\n",
    "class A:\n    def __eq__(self, other):\n        return self.x == other.x\n",
    "class A:\n    __lt__ = lambda self, other: self.x < other.x\n",
    "x = vars()\n",
    "import multiprocessing as mp\nwith mp.get_context('spawn').Pool(2) as pool:\n    pool.map(abs, [1])\n",
    "import sys\nmods = sys.modules\n",
    "def broken(:\n",  # a syntax error is the compile check's business, not a flag
])
def test_ordinary_code_is_not_flagged(source):
    assert scan(source) == []


def test_a_file_full_of_findings_is_trimmed_with_a_count():
    source = "import gc\n" + "".join(f"gc.get_objects()  # {i}\n" for i in range(20))
    found = scan(source)
    assert len(found) == MAX_FINDINGS + 1
    assert found[-1] == f"mod.py: and {20 - MAX_FINDINGS} more suspicious line(s)"


def test_a_symlink_is_not_followed(tmp_path: Path):
    (tmp_path / "real.py").write_text("import ctypes\n")
    (tmp_path / "mod.py").symlink_to(tmp_path / "real.py")
    assert scan_files(tmp_path, ["mod.py"]) == []
    assert scan_files(tmp_path, ["real.py"]) == ["real.py:1: calls C directly (ctypes)"]


@pytest.mark.slow
def test_a_flag_asks_for_review_and_leaves_the_score_alone(tmp_path, solutions_source):
    clean = grade_json(write_submission(tmp_path / "clean", solutions_source))
    flagged_source = dict(solutions_source)
    flagged_source["01_basics/basics.py"] += "\n\nimport ctypes  # reaches for C\n"
    flagged = grade_json(write_submission(tmp_path / "flagged", flagged_source))
    assert flagged["score"] == clean["score"] == clean["max_score"]
    suspicious = [f for f in flagged["flags"] if f["code"] == "suspicious-code"]
    assert [f["message"] for f in suspicious] == [
        f"basics.py:{flagged_source['01_basics/basics.py'].count(chr(10))}: calls C directly (ctypes)"]
    assert not [f for f in clean["flags"] if f["code"] == "suspicious-code"]
