"""Smaller batch and grade items of issue 15, through the real CLI: the ETA, tarred and zipped
submissions, an empty class, a report folder that does not exist, --course after the command,
FORCE_COLOR."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.conftest import MINI, ROOT, run_grader, run_on_a_terminal

COURSE = ("--course", str(MINI / "course.yml"))
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def tar_of(folder: Path, target: Path, prefix: str = "work/", extra: list[tarfile.TarInfo] | None = None) -> Path:
    with tarfile.open(target, "w:gz") as tf:
        for path in sorted(folder.rglob("*.py")):
            tf.add(path, prefix + path.relative_to(folder).as_posix())
        for info in extra or []:
            data = b"x = 1\n" if info.isfile() else b""
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data) if data else None)
    return target


def member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    return info


@pytest.mark.slow
def test_batch_progress_shows_an_eta_once_a_student_is_done(tmp_path):
    subs = tmp_path / "subs"
    for name in ("ada", "bo", "cy"):
        shutil.copytree(MINI / "solutions", subs / name)
    code, text = run_on_a_terminal([sys.executable, "-m", "grader", *COURSE, "batch", str(subs), "--out",
                                    str(tmp_path / "out"), "--topic", "02_other", "--jobs", "1"])
    assert code == 0, text
    frames = ANSI.sub("", text).replace("\r", "\n").splitlines()
    midway = [f for f in frames if re.search(r"\b[12]/3\b", f)]
    assert midway and all(re.search(r"ETA \d+:\d\d:\d\d", f) for f in midway), midway[-3:]
    assert any("ETA -:--:--" in f for f in frames if "0/3" in f)  # nothing to estimate from yet


@pytest.mark.slow
def test_tarred_submissions_are_graded_like_zips_and_a_bad_one_is_that_students_error(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    tar_of(MINI / "solutions", subs / "ada.tar.gz")
    tar_of(MINI / "solutions", subs / "bo.tgz", prefix="")
    tar_of(MINI / "solutions", subs / "cy.tar.gz", extra=[member("../escape.py")])
    (subs / "dee.tgz").write_bytes(b"not a tar at all")
    out = tmp_path / "out"
    proc = run_grader(*COURSE, "batch", str(subs), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    got = {p.stem: json.loads(p.read_text()) for p in out.glob("*.json")}
    assert set(got) == {"ada", "bo", "cy", "dee"}
    assert got["ada"]["score"] == got["bo"]["score"] == 9
    assert "points outside the archive" in got["cy"]["topics"][0]["message"]
    assert "not a readable tar.gz" in got["dee"]["topics"][0]["message"]
    assert not (tmp_path / "escape.py").exists() and not (subs / "escape.py").exists()


def test_tar_extraction_skips_links_and_refuses_absolute_members_and_oversized_archives(tmp_path, monkeypatch):
    from grader.errors import GraderError
    from grader.grading import archives

    linked = tar_of(MINI / "solutions", tmp_path / "linked.tar.gz", extra=[
        member("work/01_basics/evil.py", tarfile.SYMTYPE, "/etc/passwd"),
        member("work/02_other/hard.py", tarfile.LNKTYPE, "/etc/passwd"),
        member("work/fifo", tarfile.FIFOTYPE)])
    (tmp_path / "x").mkdir()
    root = archives.extract(linked, (tmp_path / "x").resolve())
    assert (root / "01_basics" / "basics.py").is_file()
    assert not any(p.is_symlink() or p.name in ("evil.py", "hard.py", "fifo") for p in root.rglob("*"))
    absolute = tar_of(MINI / "solutions", tmp_path / "abs.tgz", extra=[member("/tmp/owned.py")])
    (tmp_path / "y").mkdir()
    with pytest.raises(GraderError, match="points outside the archive"):
        archives.extract(absolute, (tmp_path / "y").resolve())
    monkeypatch.setattr(archives, "MAX_ZIP_MEMBERS", 2)
    (tmp_path / "z").mkdir()
    with pytest.raises(GraderError, match="more than 2 files"):
        archives.extract(linked, (tmp_path / "z").resolve())


@pytest.mark.slow
def test_grade_takes_a_zip_or_a_tar_gz_like_batch(tmp_path):
    with zipfile.ZipFile(tmp_path / "work.zip", "w") as zf:
        for path in (MINI / "solutions").rglob("*.py"):
            zf.write(path, "work/" + path.relative_to(MINI / "solutions").as_posix())
    tar_of(MINI / "solutions", tmp_path / "work.tar.gz")
    for archive in ("work.zip", "work.tar.gz"):
        proc = run_grader(*COURSE, "grade", str(tmp_path / archive), "--format", "json")
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["score"] == 9
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"nope")
    proc = run_grader(*COURSE, "grade", str(bad))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "bad.zip" in proc.stderr, proc.stderr


def test_an_empty_submissions_folder_is_a_usage_error(tmp_path):
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "notes.txt").write_text("not a submission")
    proc = run_grader(*COURSE, "batch", str(tmp_path / "subs"), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "no submissions" in proc.stderr, proc.stderr


def test_out_into_a_missing_folder_fails_before_grading(tmp_path):
    proc = run_grader(*COURSE, "grade", str(MINI / "solutions"), "--out", str(tmp_path / "missing" / "r.json"))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "does not exist" in proc.stderr, proc.stderr
    assert proc.stdout == "" and not (tmp_path / "missing").exists()


@pytest.mark.slow
def test_course_is_accepted_after_the_command_too(tmp_path):
    proc = run_grader("grade", str(MINI / "solutions"), "--topic", "02_other", "--format", "json", *COURSE,
                      cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["max_score"] == 2
    hint = run_grader("hint", "double", *COURSE, cwd=tmp_path)
    assert hint.returncode == 0 and "2 * x" in hint.stdout, hint.stderr


@pytest.mark.parametrize(("env", "colour"), [({"FORCE_COLOR": "1"}, True), ({"FORCE_COLOR": "0"}, False),
                                             ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False), ({}, False)])
@pytest.mark.slow
def test_force_color_colours_a_pipe_unless_no_color(env, colour):
    import subprocess

    clean = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    proc = subprocess.run([sys.executable, "-m", "grader", *COURSE, "grade", str(MINI / "solutions"), "--topic",
                           "02_other"], cwd=ROOT, capture_output=True, text=True, env={**clean, **env}, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert ("\x1b[" in proc.stdout) is colour
