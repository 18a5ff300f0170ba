"""The portable sandbox: whole-tree kill, outer deadline, bounded output, rlimits, clean environment."""

import os
import sys
import textwrap
import time

import pytest

from grader.sandbox import Sandbox, clean_env
from tests.conftest import processes_with

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the sandbox needs POSIX")


def run(tmp_path, code, *, deadline=None, sandbox=None, args=()):
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent(code))
    env = clean_env(str(tmp_path), str(tmp_path), "test")
    start = time.monotonic()
    outcome = (sandbox or Sandbox()).run([sys.executable, "-I", str(script), *args], cwd=str(tmp_path), env=env,
                                         deadline=(lambda: start + deadline) if deadline else (lambda: None))
    return outcome, time.monotonic() - start


ORPHAN = """
    import os, signal, sys, time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv(sys.executable, [sys.executable, "-c",
                     "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN)\\nwhile True: time.sleep(0.1)",
                     "{marker}"])
        os._exit(0)
    print("parent done", flush=True)
    {tail}
"""


def test_setsid_orphan_ignoring_sigterm_is_killed_after_a_normal_exit(tmp_path):
    marker = f"orphan-{os.getpid()}-{time.time_ns()}"
    outcome, _ = run(tmp_path, ORPHAN.format(marker=marker, tail=""))
    assert outcome.returncode == 0
    assert "parent done" in outcome.output
    time.sleep(0.2)
    assert processes_with(marker) == []


def test_deadline_kills_the_tree_of_a_hung_run(tmp_path):
    marker = f"hung-{os.getpid()}-{time.time_ns()}"
    outcome, elapsed = run(tmp_path, ORPHAN.format(marker=marker, tail="time.sleep(60)"), deadline=1.0)
    assert outcome.killed
    assert elapsed < 10
    time.sleep(0.2)
    assert processes_with(marker) == []


def test_hydra_that_keeps_reforking_is_killed(tmp_path):
    marker = f"hydra-{os.getpid()}-{time.time_ns()}"
    code = f"""
        import os, sys, time
        if os.fork() == 0:
            os.setsid()
            while True:
                if os.fork():
                    os._exit(0)
                time.sleep(0.05)
        sys.argv.append("{marker}")
        time.sleep(0.3)
    """
    outcome, _ = run(tmp_path, code, args=(marker,))
    assert outcome.returncode == 0
    time.sleep(0.3)
    assert processes_with(marker) == []


def test_output_flood_is_bounded_and_stopped(tmp_path):
    sandbox = Sandbox(output_cap=4096, output_budget=1 << 20)
    outcome, elapsed = run(tmp_path, "import sys\nwhile True: sys.stdout.write('x' * 65536)\n", sandbox=sandbox)
    assert outcome.flooded and outcome.killed
    assert len(outcome.output) < 3 * 4096 + 200
    assert elapsed < 10


def test_rlimits_apply_to_the_command(tmp_path):
    code = """
        import resource
        for name in ("RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_CORE", "RLIMIT_DATA", "RLIMIT_CPU"):
            print(name, resource.getrlimit(getattr(resource, name)))
        try:
            with open("big", "wb") as fh:
                fh.write(b"x" * (17 << 20))
            print("wrote big file")
        except OSError as exc:
            print("write refused", exc.errno)
    """
    outcome, _ = run(tmp_path, code)
    assert "RLIMIT_FSIZE (16777216, 16777216)" in outcome.output
    assert "RLIMIT_NOFILE (256, 256)" in outcome.output
    assert "RLIMIT_CORE (0, 0)" in outcome.output
    assert "write refused 27" in outcome.output


def test_environment_is_clean(tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_secret")
    outcome, _ = run(tmp_path, "import os\nprint(sorted(os.environ))\n")
    assert "GITHUB_TOKEN" not in outcome.output
    assert "PYTEST_DISABLE_PLUGIN_AUTOLOAD" in outcome.output


def test_a_command_that_cannot_start_is_reported(tmp_path):
    outcome = Sandbox().run(["/nonexistent/python"], cwd=str(tmp_path), env=clean_env(str(tmp_path), str(tmp_path), "x"))
    assert outcome.returncode is None
    assert "cannot start" in (outcome.error or "")
