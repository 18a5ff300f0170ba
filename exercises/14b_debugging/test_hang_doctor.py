"""Visible tests for 14b_debugging. Run them with:  pytest exercises/14b_debugging

A friendly subset of what the grader checks. The grader writes hung programs with random names,
runs them and hands your functions their real faulthandler dumps (written by dump_traceback, by
a watchdog, and on SIGUSR1), runs your watchdog in programs that hang (also inside C code that
holds the GIL) or finish early, and parses real asyncio debug logs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from hang_doctor import deadlock_cause, find_blocking_call, install_watchdog

HERE = os.path.dirname(os.path.abspath(__file__))


class TestDeadlockCause:
    def test_a_written_dump(self, tmp_path):
        program = tmp_path / "bank.py"
        program.write_text(textwrap.dedent("""\
            import threading
            ledger = threading.Lock()
            audit = threading.Lock()

            def post_entry():
                with ledger:
                    with audit:
                        pass
            """))
        dump = textwrap.dedent(f"""\
            Thread 0x00007fb1a231d6c0 (most recent call first):
              File "{program}", line 7 in post_entry
              File "/usr/lib/python3.12/threading.py", line 1010 in run

            Current thread 0x00007fb1a2c59b80 (most recent call first):
              File "/usr/lib/python3.12/threading.py", line 1147 in join
              File "{program}", line 9 in <module>
            """)
        assert deadlock_cause(dump, str(program)) == [(0x00007FB1A231D6C0, "audit")]


class TestInstallWatchdog:
    def test_hung_program_is_dumped(self):
        code = ("import sys, time, hang_doctor\n"
                "hang_doctor.install_watchdog(0.3, sys.stderr)\n"
                "time.sleep(1.0)\n")
        proc = subprocess.run([sys.executable, "-c", code], cwd=HERE, capture_output=True, text=True, timeout=20,
                              env={**os.environ, "PYTHONPATH": HERE})
        assert "most recent call first" in proc.stderr
        assert proc.returncode == 0


class TestFindBlockingCall:
    def test_one_task_line(self):
        log = ("Executing <Task pending name='Task-2' coro=<fetch_rates() running at /app/x.py:6> "
               "cb=[Task.task_wakeup()] created at /usr/lib/python3.12/asyncio/tasks.py:695> took 0.151 seconds\n")
        assert find_blocking_call(log) == [("fetch_rates", "/app/x.py", 6, 0.151)]

    def test_one_callback_line(self):
        log = "Executing <Handle on_data(3) at /app/x.py:20 created at /app/x.py:41> took 0.250 seconds\n"
        assert find_blocking_call(log) == [("on_data", "/app/x.py", 20, 0.25)]
