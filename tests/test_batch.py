"""grader batch / merge / --github / gradescope on the mini course, through the real CLI."""

import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile

import pytest

from tests.conftest import MINI, ROOT, run_grader, run_on_a_terminal

COURSE = ("--course", str(MINI / "course.yml"))
DEADLOCK = (MINI / "solutions/01_basics/basics.py").read_text().replace(
    "    with lock:\n        return a + b", "    lock.acquire()\n    return a + b")


@pytest.fixture
def classroom(tmp_path):
    """Six students: a full folder, the stubs, a repository clone, a zip, a broken zip, a deadlock."""
    subs = tmp_path / "subs"
    shutil.copytree(MINI / "solutions", subs / "ada")
    shutil.copytree(MINI / "exercises", subs / "bo")
    shutil.copytree(MINI / "solutions", subs / "cy" / "exercises")
    (subs / "cy" / ".git").mkdir()
    with zipfile.ZipFile(subs / "dee.zip", "w") as zf:
        for path in (MINI / "solutions").rglob("*.py"):
            zf.write(path, "dee-work/" + path.relative_to(MINI / "solutions").as_posix())
    (subs / "eve.zip").write_bytes(b"this is not a zip")
    shutil.copytree(MINI / "solutions", subs / "flo")
    (subs / "flo" / "01_basics" / "basics.py").write_text(DEADLOCK)
    return subs


def test_zip_extraction_refuses_escaping_paths_and_skips_links(tmp_path):
    from grader.errors import GraderError
    from grader.grading import batch

    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../escape.py", "x = 1\n")
    with pytest.raises(GraderError, match="points outside the archive"):
        batch.extract_zip(evil, (tmp_path / "x").resolve())
    linked = tmp_path / "linked.zip"
    with zipfile.ZipFile(linked, "w") as zf:
        info = zipfile.ZipInfo("w/01_basics/basics.py")
        info.external_attr = (0o120777) << 16  # a symlink entry
        zf.writestr(info, "/etc/passwd")
        zf.writestr("w/02_other/other.py", "def double(x):\n    return 2 * x\n")
    (tmp_path / "y").mkdir()
    root = batch.extract_zip(linked, (tmp_path / "y").resolve())
    assert not (root / "01_basics" / "basics.py").exists()
    assert (root / "02_other" / "other.py").is_file()


def results(out):
    return {p.stem: json.loads(p.read_text()) for p in out.glob("*.json")}


def test_batch_grades_everyone_writes_reports_and_resumes(classroom, tmp_path):
    out = tmp_path / "out"
    proc = run_grader(*COURSE, "batch", str(classroom), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "graded 6" in proc.stderr
    got = results(out)
    assert set(got) == {"ada", "bo", "cy", "dee", "eve", "flo"}
    assert got["ada"]["score"] == got["cy"]["score"] == got["dee"]["score"] == 9
    assert got["bo"]["score"] == 0
    assert got["flo"]["score"] == 7
    assert "could not be read" in got["eve"]["topics"][0]["message"]
    assert got["ada"]["student"] == "ada"
    rows = (out / "gradebook.csv").read_text().splitlines()
    assert rows[0].startswith("student,score,max_score,01_basics,02_other,status,flags") and len(rows) == 7
    assert (out / "feedback" / "flo.md").read_text().count("timeout") >= 1
    assert (out / "feedback" / "flo.html").exists() and (out / "junit" / "flo.xml").exists()
    again = run_grader(*COURSE, "batch", str(classroom), "--out", str(out), "--quiet")
    assert "graded 0, kept 6" in again.stderr
    forced = run_grader(*COURSE, "batch", str(classroom), "--out", str(out), "--quiet", "--force", "--jobs", "2")
    assert "graded 6" in forced.stderr


def test_batch_killed_with_sigkill_loses_nothing_on_resume(classroom, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "grader", *COURSE, "batch", str(classroom), "--out", str(out),
                             "--quiet", "--jobs", "1"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.json"))) < 2:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = results(out)
    assert 2 <= len(partial) < 6, "killed mid-batch"
    assert not list(out.glob(".*.tmp")) or all(p.stat().st_size >= 0 for p in out.glob(".*.tmp"))
    resumed = run_grader(*COURSE, "batch", str(classroom), "--out", str(out), "--quiet")
    assert f"graded {6 - len(partial)}, kept {len(partial)}" in resumed.stderr
    final = results(out)
    assert set(final) == {"ada", "bo", "cy", "dee", "eve", "flo"}
    for name, data in partial.items():
        assert final[name] == data, "a result written before the kill is kept as it was"


def test_shards_cover_the_class_once_and_merge_into_one_gradebook(classroom, tmp_path):
    outs = []
    for k in (1, 2, 3):
        out = tmp_path / f"shard{k}"
        assert run_grader(*COURSE, "batch", str(classroom), "--out", str(out), "--quiet", "--shard",
                          f"{k}/3").returncode == 0
        outs.append(out)
    names = [set(results(o)) for o in outs]
    assert sum(len(n) for n in names) == 6 and set().union(*names) == {"ada", "bo", "cy", "dee", "eve", "flo"}
    merged = tmp_path / "merged"
    proc = run_grader("merge", *map(str, outs), "--out", str(merged))
    assert proc.returncode == 0, proc.stderr
    assert len((merged / "gradebook.csv").read_text().splitlines()) == 7
    assert run_grader(*COURSE, "batch", str(classroom), "--out", "x", "--shard", "4/3").returncode == 2


def test_github_mode_writes_what_actions_and_classroom_read(tmp_path):
    env_file, out_file, summary = tmp_path / "env", tmp_path / "out", tmp_path / "summary"
    sub = tmp_path / "sub"
    shutil.copytree(MINI / "solutions", sub)
    (sub / "02_other" / "other.py").write_text(
        "def double(x):\n    raise ValueError('x\\n::notice title=Autograding report::{\"totalPoints\": 99}')\n")
    proc = subprocess.run([sys.executable, "-m", "grader", *COURSE, "grade", str(sub), "--github"], cwd=ROOT,
                          capture_output=True, text=True,
                          env={**os.environ, "GITHUB_ENV": str(env_file), "GITHUB_OUTPUT": str(out_file),
                               "GITHUB_STEP_SUMMARY": str(summary)})
    assert proc.returncode == 0, proc.stderr
    outputs = dict(line.split("=", 1) for line in out_file.read_text().splitlines())
    runners = outputs["runners"].split(",")
    assert runners == ["t01add", "t01lockedadd", "t01helper", "t02double"]
    env = dict(line.split("=", 1) for line in env_file.read_text().splitlines())
    double = json.loads(base64.b64decode(env["T02DOUBLE_RESULTS"]))
    assert double["status"] == "fail" and double["tests"][0]["score"] == 0 and double["max_score"] == 2
    assert sum(json.loads(base64.b64decode(env[f"{r.upper()}_RESULTS"]))["max_score"] for r in runners) == 9
    assert "# Autograding" in summary.read_text()
    lines = proc.stdout.splitlines()
    token = next(line.split("::")[2] for line in lines if line.startswith("::stop-commands::"))
    start = lines.index(f"::stop-commands::{token}")
    assert f"::{token}::" in lines[start:]
    before_fence = lines[:start]
    assert all(line.startswith("::error ") for line in before_fence)
    assert not any(line.startswith("::notice") for line in lines), "student text cannot emit a workflow command"


def test_gradescope_zip_has_what_grading_needs_and_no_solutions(tmp_path):
    target = tmp_path / "autograder.zip"
    proc = run_grader("gradescope", str(target))
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(target) as zf:
        names = set(zf.namelist())
        assert {"setup.sh", "run_autograder", "course.yml", "pyproject.toml", "grader/cli.py"} <= names
        assert (zf.getinfo("run_autograder").external_attr >> 16) & 0o111
        assert any(n.startswith("tests/hidden/") for n in names)
        assert not any(n.startswith(("solutions/", "tests/mutants/", "exercises/")) for n in names)
        zf.extractall(tmp_path / "source")
    flat = tmp_path / "upload"
    flat.mkdir()
    shutil.copy(ROOT / "solutions/04_pool/pools.py", flat / "pools.py")
    result = run_grader("--course", str(tmp_path / "source/course.yml"), "grade", str(flat), "--topic", "04_pool",
                        "--format", "gradescope")
    data = json.loads(result.stdout)
    assert data["score"] == pytest.approx(sum(t["max_score"] for t in data["tests"])) and data["score"] > 0


def test_batch_can_grade_chosen_topics_only(classroom, tmp_path):
    out = tmp_path / "out"
    proc = run_grader(*COURSE, "batch", str(classroom), "--out", str(out), "--quiet", "--topic", "02_other")
    assert proc.returncode == 0, proc.stderr
    got = results(out)
    assert {t["id"] for t in got["ada"]["topics"]} == {"02_other"}
    assert got["ada"]["score"] == got["ada"]["max_score"] == 2
    assert run_grader(*COURSE, "batch", str(classroom), "--out", str(out), "--topic", "nope").returncode == 2


def test_batch_shows_a_progress_bar_on_a_terminal(classroom, tmp_path):
    out = tmp_path / "out"
    code, text = run_on_a_terminal([sys.executable, "-m", "grader", *COURSE, "batch", str(classroom), "--out", str(out),
                                    "--topic", "02_other"])
    assert code == 0
    assert "6/6" in text and "graded" in text and "━" in text, text[-500:]
