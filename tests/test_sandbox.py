"""The sandbox tiers: whole-tree kill, outer deadline, bounded output, rlimits, clean environment
(portable and Linux tiers alike), then what only the Linux tier adds, then the fallback."""

import os
import signal
import socket
import sys
import textwrap
import time

import pytest

from grader.errors import GraderError
from grader.sandbox import linux as linux_sandbox
from grader.sandbox.base import Limits, clean_env
from grader.sandbox.choose import make_sandbox
from grader.sandbox.linux import LinuxSandbox
from grader.sandbox.portable import PortableSandbox as Sandbox
from tests.conftest import MINI, grade_json, processes_with

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the sandbox needs POSIX")

LINUX, WHY_NOT = LinuxSandbox.create() if sys.platform.startswith("linux") else (None, "not Linux")
needs_linux = pytest.mark.skipif(LINUX is None, reason=f"the Linux tier does not work here: {WHY_NOT}")


def make(tier, **kwargs):
    if tier == "portable":
        return Sandbox(**kwargs)
    if LINUX is None:
        pytest.skip(f"the Linux tier does not work here: {WHY_NOT}")
    if not kwargs:
        return LINUX
    return LinuxSandbox(LINUX.tools, LINUX.cgroups, kwargs.pop("limits", LINUX.limits), **kwargs)


@pytest.fixture(params=["portable", "linux"])
def tier(request):
    return request.param


def run(tmp_path, code, *, tier="portable", deadline=None, sandbox=None, args=()):
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent(code))
    env = clean_env(str(tmp_path), str(tmp_path), "test")
    start = time.monotonic()
    outcome = (sandbox or make(tier)).run([sys.executable, "-I", str(script), *args], cwd=str(tmp_path), env=env,
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


def test_setsid_orphan_ignoring_sigterm_is_killed_after_a_normal_exit(tmp_path, tier):
    marker = f"orphan-{os.getpid()}-{time.time_ns()}"
    outcome, _ = run(tmp_path, ORPHAN.format(marker=marker, tail=""), tier=tier)
    assert outcome.returncode == 0
    assert "parent done" in outcome.output
    time.sleep(0.2)
    assert processes_with(marker) == []


@pytest.mark.slow
def test_deadline_kills_the_tree_of_a_hung_run(tmp_path, tier):
    marker = f"hung-{os.getpid()}-{time.time_ns()}"
    outcome, elapsed = run(tmp_path, ORPHAN.format(marker=marker, tail="time.sleep(60)"), deadline=1.0, tier=tier)
    assert outcome.killed
    assert elapsed < 10
    time.sleep(0.2)
    assert processes_with(marker) == []


@pytest.mark.slow
@pytest.mark.parametrize("pause", [0.05, 0.0005])
def test_hydra_that_keeps_reforking_is_killed(tmp_path, tier, pause):
    """A process that forks and exits in a loop; the fast one re-forks between the kill's /proc
    listing and its reading a process's state. It gives up by itself after a few seconds, so a
    failure here cannot fill the process table."""
    marker = f"hydra-{os.getpid()}-{time.time_ns()}"
    code = f"""
        import os, sys, time
        if os.fork() == 0:
            os.setsid()
            end = time.monotonic() + 2
            while time.monotonic() < end:
                if os.fork():
                    os._exit(0)
                time.sleep({pause})
            os._exit(0)
        sys.argv.append("{marker}")
        time.sleep(0.3)
    """
    for _attempt in range(5):
        outcome, _ = run(tmp_path, code, args=(marker,), tier=tier)
        assert outcome.returncode == 0
        time.sleep(0.3)
        assert processes_with(marker) == []


def test_output_flood_is_bounded_and_stopped(tmp_path, tier):
    sandbox = make(tier, output_cap=4096, output_budget=1 << 20)
    outcome, elapsed = run(tmp_path, "import sys\nwhile True: sys.stdout.write('x' * 65536)\n", sandbox=sandbox)
    assert outcome.flooded and outcome.killed
    assert len(outcome.output) < 3 * 4096 + 200
    assert elapsed < 10


def test_rlimits_apply_to_the_command(tmp_path, tier):
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
    outcome, _ = run(tmp_path, code, tier=tier)
    assert "RLIMIT_FSIZE (16777216, 16777216)" in outcome.output
    assert "RLIMIT_NOFILE (256, 256)" in outcome.output
    assert "RLIMIT_CORE (0, 0)" in outcome.output
    assert "write refused 27" in outcome.output


def test_environment_is_clean(tmp_path, monkeypatch, tier):
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_secret")
    outcome, _ = run(tmp_path, "import os\nprint(sorted(os.environ))\n", tier=tier)
    assert "GITHUB_TOKEN" not in outcome.output
    assert "PYTEST_DISABLE_PLUGIN_AUTOLOAD" in outcome.output


def test_the_run_gets_a_terminals_signal_dispositions_however_the_grader_was_started(tmp_path, tier):
    # A background job of a non-interactive shell ignores SIGINT and SIGQUIT, nohup ignores SIGHUP,
    # and an ignored signal stays ignored across exec.
    names = ("SIGINT", "SIGQUIT", "SIGHUP")
    saved = {name: signal.signal(getattr(signal, name), signal.SIG_IGN) for name in names}
    try:
        outcome, _ = run(tmp_path, f"""
            import signal
            for name in {names!r}:
                handler = signal.getsignal(getattr(signal, name))
                print(name, getattr(handler, "__name__", None) or signal.Handlers(handler).name)
        """, tier=tier)
    finally:
        for name, handler in saved.items():
            signal.signal(getattr(signal, name), handler)
    assert outcome.output.split("\n")[:3] == ["SIGINT default_int_handler", "SIGQUIT SIG_DFL", "SIGHUP SIG_DFL"], (
        outcome.output)


def test_a_command_that_cannot_start_is_reported(tmp_path, tier):
    outcome = make(tier).run(["/nonexistent/python"], cwd=str(tmp_path), env=clean_env(str(tmp_path), str(tmp_path), "x"))
    if tier == "portable":
        assert outcome.returncode is None
        assert "cannot start" in (outcome.error or "")
    else:  # the sandbox started; the command inside it could not
        assert outcome.returncode not in (0, None)
        assert "/nonexistent/python" in outcome.output


@pytest.mark.slow
def test_killing_the_supervisor_leaves_nothing_behind(tmp_path, tier):
    marker = f"parricide-{os.getpid()}-{time.time_ns()}"
    code = ORPHAN.format(marker=marker, tail="""
    import signal
    try:
        os.kill(os.getppid(), signal.SIGKILL)
        print("killed my parent", flush=True)
    except OSError as exc:
        print("cannot kill my parent:", exc, flush=True)
    time.sleep(0.5)
    print("still here", flush=True)
    """)
    outcome, elapsed = run(tmp_path, code, tier=tier)
    assert elapsed < 15
    if tier == "linux":  # the parent is the PID namespace's init, which a sandboxed uid cannot signal
        assert outcome.returncode == 0 and "still here" in outcome.output
    time.sleep(0.3)
    assert processes_with(marker) == []


# -- the Linux tier only -------------------------------------------------------------------------


@needs_linux
def test_linux_tier_isolates_uid_network_filesystem_and_pids(tmp_path):
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    code = f"""
        import os, socket, sys, sysconfig
        print("uid", os.getuid(), "pid", os.getpid(), "host", socket.gethostname())
        print("nnp", open("/proc/self/status").read().split("NoNewPrivs:")[1].split()[0])
        try:
            socket.create_connection(("127.0.0.1", {port}), timeout=2)
            print("net: connected")
        except OSError as exc:
            print("net: blocked", type(exc).__name__)
        for path in (sysconfig.get_paths()["purelib"], os.path.dirname(os.__file__), "/usr/bin"):
            try:
                open(os.path.join(path, "x.pth"), "w")
                print("wrote", path)
            except OSError as exc:
                print("read-only", exc.errno)
        print("listing", sorted(os.listdir("/")))
    """
    try:
        outcome, _ = run(tmp_path, code, tier="linux")
    finally:
        server.close()
    assert "pid 2 " in outcome.output and "host sandbox" in outcome.output
    assert "nnp 1" in outcome.output
    assert "net: blocked" in outcome.output
    assert "wrote" not in outcome.output and outcome.output.count("read-only") == 3
    if os.geteuid() == 0:
        assert "uid 0 " not in outcome.output
    assert "'home'" not in outcome.output.split("listing")[1]  # only what Python needs is there


@needs_linux
def test_linux_tier_caps_the_disk_and_protects_the_submission(tmp_path):
    (tmp_path / "data.txt").write_text("original\n")
    code = """
        import os
        try:
            open("data.txt", "a").write("changed")
        except OSError as exc:
            print("submission read-only", exc.errno)
        written = 0
        try:
            for i in range(1000):
                with open(f"/tmp/f{i}", "wb") as fh:
                    fh.write(b"x" * (1 << 20))
                written += 1
        except OSError as exc:
            print("tmp full after", written, "MiB", exc.errno)
    """
    sandbox = make("linux", limits=Limits(tmpfs_bytes=16 << 20))
    outcome, _ = run(tmp_path, code, sandbox=sandbox)
    assert "submission read-only 30" in outcome.output or "submission read-only 13" in outcome.output
    assert "tmp full after" in outcome.output and " 28" in outcome.output
    assert (tmp_path / "data.txt").read_text() == "original\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.txt", "prog.py"]


@needs_linux
@pytest.mark.skipif(LINUX is None or not LINUX.contains_tasks, reason="no task limit (dedicated uid or pids cgroup)")
def test_linux_tier_stops_a_fork_bomb(tmp_path):
    code = """
        import os, time
        children = 0
        try:
            while True:
                if os.fork() == 0:
                    time.sleep(20)
                    os._exit(0)
                children += 1
        except OSError as exc:
            print("stopped after", children, "errno", exc.errno, flush=True)
    """
    sandbox = make("linux", limits=Limits(tasks=64))
    outcome, elapsed = run(tmp_path, code, sandbox=sandbox, deadline=15)
    assert "stopped after" in outcome.output and "errno 11" in outcome.output
    assert int(outcome.output.split("stopped after")[1].split()[0]) < 64
    assert elapsed < 15


@pytest.mark.slow
@needs_linux
@pytest.mark.skipif(LINUX is None or not LINUX.contains_memory, reason="no memory cgroup")
def test_linux_tier_caps_memory_summed_over_processes(tmp_path):
    code = """
        import multiprocessing as mp, time
        def hog(_):
            block = bytearray(96 << 20)
            time.sleep(1)
            return len(block)
        ctx = mp.get_context("fork")
        procs = [ctx.Process(target=hog, args=(i,)) for i in range(4)]
        for p in procs: p.start()
        for p in procs: p.join()
        print("exit codes", [p.exitcode for p in procs], flush=True)
    """
    sandbox = make("linux", limits=Limits(memory_bytes=256 << 20))
    outcome, _ = run(tmp_path, code, sandbox=sandbox, deadline=30)
    assert outcome.oom_kills >= 1
    assert "-9" in outcome.output or outcome.returncode == -9


# -- choosing the tier ---------------------------------------------------------------------------


@pytest.fixture
def no_probe_cache(monkeypatch):
    monkeypatch.setattr(linux_sandbox, "_PROBE_CACHE", {})


def test_make_sandbox_falls_back_to_portable_and_says_why(monkeypatch, no_probe_cache):
    monkeypatch.delenv("GRADER_SANDBOX", raising=False)
    monkeypatch.setenv("GRADER_BWRAP", "/nonexistent/bwrap")
    sandbox = make_sandbox()
    assert sandbox.tier == "portable"
    (note,) = sandbox.notes()
    assert "bubblewrap (bwrap) is not installed" in note and "portable tier ran" in note


def test_forcing_a_tier(monkeypatch, no_probe_cache):
    monkeypatch.setenv("GRADER_SANDBOX", "portable")
    assert make_sandbox().tier == "portable" and make_sandbox().notes() == []
    monkeypatch.setenv("GRADER_SANDBOX", "basic")
    assert make_sandbox().tier == "basic"
    monkeypatch.setenv("GRADER_SANDBOX", "nonsense")
    with pytest.raises(GraderError, match="expected one of linux, portable, basic"):
        make_sandbox()
    monkeypatch.setenv("GRADER_SANDBOX", "linux")
    monkeypatch.setenv("GRADER_BWRAP", "/nonexistent/bwrap")
    with pytest.raises(GraderError, match="the Linux sandbox does not work here: bubblewrap"):
        make_sandbox()


@needs_linux
def test_make_sandbox_picks_the_linux_tier_where_it_works(monkeypatch):
    monkeypatch.delenv("GRADER_SANDBOX", raising=False)
    sandbox = make_sandbox()
    assert sandbox.tier == "linux"
    assert "bubblewrap" in sandbox.describe()


@pytest.mark.slow
def test_grading_falls_back_and_flags_it(tmp_path):
    import subprocess

    env = {**os.environ, "GRADER_BWRAP": "/nonexistent/bwrap"}
    env.pop("GRADER_SANDBOX", None)
    proc = subprocess.run([sys.executable, "-m", "grader", "--course", str(MINI / "course.yml"), "grade",
                           str(MINI / "solutions"), "--format", "json", "--topic", "02_other"],
                          capture_output=True, text=True, env=env, timeout=300)
    import json

    result = json.loads(proc.stdout)
    assert result["sandbox"] == "portable" and result["score"] == result["max_score"]
    assert [f["code"] for f in result["flags"]] == ["sandbox"]
    assert "bubblewrap" in result["flags"][0]["message"]
    # A student's practice run names the tier but does not lecture about the host.
    proc = subprocess.run([sys.executable, "-m", "grader", "--course", str(MINI / "course.yml"), "check",
                           "02_other", "--format", "json"], capture_output=True, text=True, env=env, timeout=300)
    result = json.loads(proc.stdout)
    assert result["sandbox"] == "portable" and result["flags"] == []


@needs_linux
@pytest.mark.slow
def test_grading_reports_the_linux_tier():
    result = grade_json(MINI / "solutions", "--topic", "02_other")
    if os.environ.get("GRADER_SANDBOX") in ("portable", "basic"):
        pytest.skip("a tier is forced")
    assert result["sandbox"] == "linux" and result["score"] == result["max_score"]


def test_a_host_out_of_processes_fails_the_run_not_the_grader(tmp_path, monkeypatch):
    """fork() failing with EAGAIN (the host's process table is full) is one failed run with a
    clear message, and no descriptor of it is left open."""
    from grader.sandbox import portable as sandbox_module
    from grader.sandbox.portable import PipeChannel

    def no_fork(*_args, **_kwargs):
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(sandbox_module.subprocess, "Popen", no_fork)
    before = set(os.listdir("/proc/self/fd"))
    channel = PipeChannel("nonce")
    outcome = Sandbox().run([sys.executable, "-c", "pass", *channel.args], cwd=str(tmp_path),
                            env=clean_env(str(tmp_path), str(tmp_path), "t"), channel=channel)
    channel.close()
    assert outcome.error == "cannot start the sandbox: [Errno 11] Resource temporarily unavailable"
    assert outcome.returncode is None and not outcome.killed
    assert set(os.listdir("/proc/self/fd")) <= before
