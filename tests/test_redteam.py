"""The red-team corpus (tests/redteam/cases/, format in tests/redteam/README.md).

Every adversarial submission is graded by the real CLI (``grader batch``, one batch per tier, the
cases in parallel) and must get its expected outcome: the score, the statuses, the flags, the
messages; and afterwards no process of it may be left, the grader's memory must stay bounded, and
nothing may hang. A case marked not applicable for a tier (a fork bomb where nothing would contain
it) is never run there.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import psutil
import pytest
import yaml

from grader.sandbox.linux import LinuxSandbox
from tests.conftest import ROOT, patched_zip

CASES = ROOT / "tests" / "redteam" / "cases"
COURSE = ROOT / "tests" / "redteam" / "course"
SOLUTION = COURSE / "solutions" / "01_target" / "target.py"
BASES = {"solution": SOLUTION, "stub": COURSE / "exercises" / "01_target" / "target.py"}
TIERS = ("linux", "portable")
BATCH_TIMEOUT = 420
MAX_GRADER_RSS = 300 << 20
MAX_TEST_SECONDS = 22.0
"""timeout (3 s) + grace (5 s) + the stack dump before the kill (up to 2.5 s) + slack for a busy machine."""

LINUX, WHY_NOT = LinuxSandbox.create() if sys.platform.startswith("linux") else (None, "not Linux")
NAMES = sorted(p.name for p in CASES.iterdir() if (p / "case.yml").is_file())


def load(name: str) -> dict:
    return yaml.safe_load((CASES / name / "case.yml").read_text())


def expectation(name: str, tier: str) -> tuple[dict | None, str]:
    """The case's expectation on ``tier``, or None and why it does not run there."""
    meta = load(name)
    override = meta.get(tier) or {}
    if "skip" in override:
        return None, override["skip"]
    if tier == "linux":
        if LINUX is None:
            return None, f"the Linux tier does not work here: {WHY_NOT}"
        needs = {"tasks": LINUX.contains_tasks, "memory": LINUX.contains_memory}
        missing = [r for r in meta.get("requires") or [] if not needs.get(r)]
        if missing:
            return None, f"not contained here: the Linux tier has no {' and no '.join(missing)} limit on this host"
    elif meta.get("requires") and tier == "portable":
        return None, "not applicable: needs a limit the portable tier does not have"
    if override.get("requires_root") and os.geteuid() != 0:
        return None, "its expected outcome here assumes the grader runs as root"
    return {**meta["expect"], **{k: v for k, v in override.items() if k not in ("note", "requires_root")}}, ""


# -- running a tier's batch ---------------------------------------------------------------------


class _Server:
    """A loopback service on the host that a submission must not reach (in the Linux tier)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.received.append(conn.recv(256))
                except OSError:
                    self.received.append(b"")

    def close(self) -> None:
        self.stop = True
        self.thread.join(2)
        self.sock.close()


def _marker(name: str, token: str) -> str:
    return f"rt-{token}-{name}"


def _work_hash(name: str) -> str:
    """The start of the folder ``grader batch`` grades this student in (grader/batch.py: the hash, then a
    random part)."""
    return hashlib.sha256(name.encode()).hexdigest()[:16]


def _materialize(name: str, dest: Path, token: str, port: int, canary: Path) -> None:
    source = CASES / name / "01_target"
    target = dest / "01_target"
    target.mkdir(parents=True)
    meta = load(name)
    # A case made only by its ``setup`` has no folder in git (git keeps no empty folders).
    for entry in source.iterdir() if source.is_dir() else ():
        text = entry.read_text()
        if entry.name == "target.py" and meta.get("base"):
            # An overlay, like the course's mutants: what it adds or redefines follows its base.
            text = f"{BASES[meta['base']].read_text()}\n\n# --- red-team case: {name} ---\n{text}"
        text = text.replace("@@MARKER@@", _marker(name, token)).replace("@@PORT@@", str(port))
        (target / entry.name).write_text(text.replace("@@CANARY@@", str(canary)))
    if meta.get("base") and not (target / "target.py").exists():
        (target / "target.py").write_text(BASES[meta["base"]].read_text())  # the base alone
    setup = meta.get("setup")
    solutions = SOLUTION.parent.parent
    if setup == "symlink_to_solution":
        (target / "target.py").symlink_to(SOLUTION)
    elif setup == "symlink_topic_folder":  # 01_target/ points at the solution's folder
        shutil.rmtree(target)
        target.symlink_to(SOLUTION.parent, target_is_directory=True)
    elif setup == "symlink_exercises":  # a repository whose exercises/ points at the solutions
        shutil.rmtree(target)
        (dest / "exercises").symlink_to(solutions, target_is_directory=True)
    elif setup == "symlink_submission":  # the student's whole folder points at the solutions
        shutil.rmtree(dest)
        dest.symlink_to(solutions, target_is_directory=True)
    elif setup in ZIPS:  # the submission as an archive zipfile cannot read (it used to stop the batch)
        data = patched_zip(dest, **ZIPS[setup])
        shutil.rmtree(dest)
        dest.with_suffix(".zip").write_bytes(data)
    elif setup == "pyc_shadow":
        _pyc_shadow(target / "target.py", SOLUTION)


ZIPS = {
    "zip_encrypted": {"flag_bits": 0x1},
    "zip_bad_method": {"method": 99},
    "zip_undecodable_name": {"flag_bits": 0x800, "rename": (b"01_target/target.py", b"01_target/t\xff\xfeget.py")},
}


def _pyc_shadow(innocent: Path, cheat: Path) -> None:
    """A .pyc of ``cheat`` carrying the header (mtime, size) that matches ``innocent``."""
    from importlib._bootstrap_external import _code_to_timestamp_pyc  # type: ignore[attr-defined]

    info = innocent.stat()
    code = compile(cheat.read_text(), str(innocent), "exec")
    data = _code_to_timestamp_pyc(code, int(info.st_mtime), info.st_size)
    cache = Path(importlib.util.cache_from_source(str(innocent)))
    cache.parent.mkdir(exist_ok=True)
    cache.write_bytes(data)


def _processes_of(root: Path, markers: dict[str, str]) -> dict[str, list[str]]:
    """Live processes left by the batch, by case (``?`` for ones under the batch's folder only)."""
    found: dict[str, list[str]] = {}
    for proc in psutil.process_iter(["pid", "cmdline"]):
        try:
            cmdline = " ".join(proc.info["cmdline"] or ())
            try:
                cwd = proc.cwd()
            except (psutil.AccessDenied, psutil.ZombieProcess):
                cwd = ""
            if proc.pid == os.getpid() or (str(root) not in cmdline and str(root) not in cwd
                                           and not any(m in cmdline for m in markers.values())):
                continue
            if proc.status() == psutil.STATUS_ZOMBIE:
                continue
        except psutil.Error:
            continue
        owner = next((case for case, m in markers.items() if m in cmdline or _work_hash(case) in cmdline + cwd), "?")
        found.setdefault(owner, []).append(f"{proc.pid} {cmdline[:160]}")
    return found


@dataclass
class TierRun:
    """What one ``grader batch`` over every case that applies to a tier did, watched from outside."""

    tier: str
    names: list[str]
    results: dict[str, dict] = field(default_factory=dict)
    outputs: dict[str, list[str]] = field(default_factory=dict)
    leftovers: dict[str, list[str]] = field(default_factory=dict)
    received: list[str] = field(default_factory=list)
    canaries: dict[str, str] = field(default_factory=dict)
    peak_rss: int = 0
    elapsed: float = 0.0
    returncode: int | None = None
    stderr: str = ""
    pid: int = 0


def run_tier(tier: str, names: list[str], base: Path) -> TierRun:
    run = TierRun(tier, names)
    token = f"{os.getpid()}{time.time_ns() % 10**6}"
    subs, out, tmp = base / "subs", base / "out", base / "tmp"
    canaries = base / "canary"
    for folder in (subs, out, tmp, canaries):
        folder.mkdir(parents=True)
    server = _Server()
    env = {**os.environ, "GRADER_SANDBOX": tier, "TMPDIR": str(tmp)}
    env.pop("GRADER_BWRAP", None)
    markers = {}
    for name in names:
        run.canaries[name] = str(canaries / f"{name}.txt")
        _materialize(name, subs / name, token, server.port, Path(run.canaries[name]))
        markers[name] = _marker(name, token)
        env.update(load(name).get("env") or {})
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "grader", "--course", str(COURSE / "course.yml"), "batch",
                             str(subs), "--out", str(out), "--jobs", "2", "--quiet"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    run.pid = proc.pid
    watcher = psutil.Process(proc.pid)
    try:
        while proc.poll() is None and time.monotonic() - start < BATCH_TIMEOUT:
            try:
                run.peak_rss = max(run.peak_rss, watcher.memory_info().rss)
            except psutil.Error:
                pass
            time.sleep(0.05)
        if proc.poll() is None:
            proc.kill()
        _, run.stderr = proc.communicate(timeout=30)
        run.returncode = proc.returncode
    finally:
        run.elapsed = time.monotonic() - start
        server.close()
        run.received = [data.decode("latin-1") for data in server.received]
    time.sleep(0.5)
    run.leftovers = _processes_of(base, markers)
    for survivors in run.leftovers.values():
        for line in survivors:
            try:
                psutil.Process(int(line.split()[0])).kill()
            except psutil.Error:
                pass
    for name in names:
        path = out / f"{name}.json"
        if path.is_file():
            run.results[name] = json.loads(path.read_text())
            run.outputs[name] = _output_problems(out, name)
    return run


def _output_problems(out: Path, name: str) -> list[str]:
    """What is wrong with the reports the batch wrote for one case (each case is named safely, so its
    files carry its name): every report present, the XML well-formed, no control character and no
    spreadsheet formula anywhere."""
    problems = []
    for relative in (f"feedback/{name}.md", f"feedback/{name}.html", f"junit/{name}.xml"):
        path = out / relative
        if not path.is_file():
            problems.append(f"{relative} was not written")
            continue
        text = path.read_text(encoding="utf-8")
        if any(c in text for c in "\x00\x1b\x07\ufffe"):
            problems.append(f"{relative} holds a control character")
        if relative.endswith(".xml"):
            try:
                ElementTree.fromstring(text)
            except ElementTree.ParseError as exc:
                problems.append(f"{relative} is not well-formed XML: {exc}")
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as fh:
        rows = [row for row in csv.reader(fh) if row and row[0] == name]
    if len(rows) != 1:
        problems.append(f"gradebook.csv has {len(rows)} rows for the case")
    for cell in rows[0][1:] if rows else ():
        if cell[:1] in ("=", "+", "@", "\t", "\r") or (cell[:1] == "-" and not _number(cell)):
            problems.append(f"gradebook.csv cell {cell[:40]!r} would be read as a formula")
    return problems


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def shared_tier_run(tier: str, names: list[str], root: Path) -> TierRun:
    """The tier's batch, run once per pytest session: under xdist the first worker to ask runs it
    (holding a lock) and the others read what it wrote."""
    saved = root / f"redteam-{tier}.json"
    with open(root / f"redteam-{tier}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if saved.is_file():
            return TierRun(**json.loads(saved.read_text()))
        base = root / f"redteam-{tier}"
        shutil.rmtree(base, ignore_errors=True)
        run = run_tier(tier, names, base)
        saved.write_text(json.dumps(asdict(run)))
        return run


_RUNS: dict[str, Future[TierRun]] = {}
_LOCK = threading.Lock()


def _selected(session: pytest.Session) -> dict[str, list[str]]:
    wanted: dict[str, list[str]] = {tier: [] for tier in TIERS}
    for item in session.items:
        callspec = getattr(item, "callspec", None)
        if item.module.__name__.endswith("test_redteam") and callspec and "case" in callspec.params:
            tier, name = callspec.params["tier"], callspec.params["case"]
            if expectation(name, tier)[0] is not None:
                wanted[tier].append(name)
    return wanted


@pytest.fixture
def tier_run(request, tmp_path_factory):
    """The batch of the requested tier; the first test starts every tier's batch at once."""
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker has its own basetemp, all in one folder of this session.
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    with _LOCK:
        if not _RUNS:
            pool = ThreadPoolExecutor(len(TIERS), thread_name_prefix="redteam")
            for tier, names in _selected(request.session).items():
                if names:
                    _RUNS[tier] = pool.submit(shared_tier_run, tier, sorted(set(names)), root)
            pool.shutdown(wait=False)

    def get(tier: str) -> TierRun:
        future = _RUNS.get(tier)
        if future is None:
            pytest.skip(f"no case runs on the {tier} tier in this selection")
        return future.result(timeout=2 * BATCH_TIMEOUT + 120)

    return get


# -- the assertions -------------------------------------------------------------------------------


def _short(test_id: str) -> str:
    return test_id.split("::", 1)[1]


def _may_run(name: str, tier: str) -> bool:
    """False where the case says it must never run on the tier (it would not be contained)."""
    meta = load(name)
    return "skip" not in (meta.get(tier) or {}) and not (tier == "portable" and meta.get("requires"))


@pytest.mark.slow
@pytest.mark.parametrize(("case", "tier"), [(c, t) for c in NAMES for t in TIERS if _may_run(c, t)])
def test_case(case, tier, tier_run):
    expect, why = expectation(case, tier)
    if expect is None:
        pytest.skip(why)
    run = tier_run(tier)
    assert run.returncode == 0, f"grader batch failed: {run.stderr[-2000:]}"
    assert case in run.results, f"no result for {case}: {run.stderr[-2000:]}"
    result = run.results[case]
    topic = next(t for t in result["topics"] if t["id"] == "01_target")
    tests = {_short(t["id"]): t for t in topic["tests"]}
    flags = [f["code"] for f in result["flags"]]
    summary = json.dumps({"score": topic["score"], "flags": result["flags"], "message": topic["message"],
                          "tests": {k: [t["status"], t["message"][:300], t["duration_s"]] for k, t in tests.items()}},
                         indent=1)
    assert result["sandbox"] == tier
    if "score" in expect:
        assert topic["score"] == pytest.approx(expect["score"]), summary
    if "score_range" in expect:
        low, high = expect["score_range"]
        assert low - 1e-9 <= topic["score"] <= high + 1e-9, summary
    for test, wanted in (expect.get("status") or {}).items():
        allowed = wanted if isinstance(wanted, list) else [wanted]
        assert tests[test]["status"] in allowed, summary
    for test, needles in (expect.get("message") or {}).items():
        for needle in needles if isinstance(needles, list) else [needles]:
            assert needle in tests[test]["message"], summary
    if "topic_message" in expect:
        assert expect["topic_message"] in topic["message"], summary
    for code in expect.get("flags") or []:
        assert code in flags, summary
    for code in expect.get("no_flags") or []:
        assert code not in flags, summary
    if "flags_exact" in expect:
        assert flags == expect["flags_exact"], summary
    # Never a hang: each test costs at most its timeout, the grace period and the stack dump.
    limits = expect.get("max_duration") or {}
    for name, test in tests.items():
        assert test["duration_s"] <= limits.get(name, MAX_TEST_SECONDS), summary
    # Every report is written and safe to open, whatever the case put in its messages.
    assert run.outputs.get(case) == [], run.outputs.get(case)
    # No process of the case survives the grading.
    assert run.leftovers.get(case, []) == [], f"processes left behind: {run.leftovers[case]}"
    if expect.get("network") == "blocked":
        assert not any(_marker_text(case) in data for data in run.received), "the loopback service was reached"
    if expect.get("network") == "reached":
        assert any(_marker_text(case) in data for data in run.received)
    canary = Path(run.canaries[case])
    if expect.get("canary") == "absent":
        assert not canary.exists(), "the payload ran outside the sandbox"
    if expect.get("canary") == "not-the-grader":
        assert not canary.exists() or canary.read_text().strip() != str(run.pid), "the payload ran in the grader"


def _marker_text(case: str) -> str:
    return f"-{case}"


@pytest.mark.slow
@pytest.mark.parametrize("tier", TIERS)
def test_the_batch_is_bounded_and_leaves_nothing(tier, tier_run):
    run = tier_run(tier)
    print(f"{tier}: {len(run.names)} cases in {run.elapsed:.1f} s, grader peak RSS {run.peak_rss >> 20} MiB")
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.elapsed < BATCH_TIMEOUT
    assert run.peak_rss < MAX_GRADER_RSS, f"grader peak RSS {run.peak_rss >> 20} MiB"
    assert run.leftovers == {} or set(run.leftovers) <= set(run.names), run.leftovers
    assert "?" not in run.leftovers, run.leftovers


def test_the_corpus_covers_the_research_list():
    """At least 35 cases, each with a description, a research item and an expectation."""
    assert len(NAMES) >= 35
    covered = set()
    for name in NAMES:
        meta = load(name)
        assert meta.get("about") and meta.get("covers") and isinstance(meta.get("expect"), dict), name
        assert (CASES / name / "01_target").is_dir() or meta.get("setup"), name
        covered.add(meta["covers"])
    # research/sandbox.md section D, items 1 to 34 (35, random-seed prediction, needs the
    # out-of-process design and is not a sandbox matter).
    assert {f"D{i}" for i in range(1, 35)} <= covered, sorted({f"D{i}" for i in range(1, 35)} - covered)


def test_applicability_is_explained():
    """A case that does not run on a tier says why, in its case.yml or from this host's limits."""
    for name in NAMES:
        for tier in TIERS:
            expect, why = expectation(name, tier)
            assert expect is not None or why, (name, tier)
    # The cases that would not be contained on the portable tier as root are never run there.
    for dangerous in ("fork_bomb", "thread_bomb", "memory_bomb_pool", "kill_everything"):
        assert expectation(dangerous, "portable")[0] is None
