"""grader batch / merge / --github / gradescope on the mini course, through the real CLI."""

import base64
import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile

import pytest

from tests.conftest import MINI, ROOT, patched_zip, run_grader, run_on_a_terminal

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
    from grader.grading import archives

    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../escape.py", "x = 1\n")
    with pytest.raises(GraderError, match="points outside the archive"):
        archives.extract(evil, (tmp_path / "x").resolve())
    linked = tmp_path / "linked.zip"
    with zipfile.ZipFile(linked, "w") as zf:
        info = zipfile.ZipInfo("w/01_basics/basics.py")
        info.external_attr = (0o120777) << 16  # a symlink entry
        zf.writestr(info, "/etc/passwd")
        zf.writestr("w/02_other/other.py", "def double(x):\n    return 2 * x\n")
    (tmp_path / "y").mkdir()
    root = archives.extract(linked, (tmp_path / "y").resolve())
    assert not (root / "01_basics" / "basics.py").exists()
    assert (root / "02_other" / "other.py").is_file()


def results(out):
    return {p.stem: json.loads(p.read_text()) for p in out.glob("*.json")}


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_batch_can_grade_chosen_topics_only(classroom, tmp_path):
    out = tmp_path / "out"
    proc = run_grader(*COURSE, "batch", str(classroom), "--out", str(out), "--quiet", "--topic", "02_other")
    assert proc.returncode == 0, proc.stderr
    got = results(out)
    assert {t["id"] for t in got["ada"]["topics"]} == {"02_other"}
    assert got["ada"]["score"] == got["ada"]["max_score"] == 2
    assert run_grader(*COURSE, "batch", str(classroom), "--out", str(out), "--topic", "nope").returncode == 2


@pytest.mark.slow
def test_batch_shows_a_progress_bar_on_a_terminal(classroom, tmp_path):
    out = tmp_path / "out"
    code, text = run_on_a_terminal([sys.executable, "-m", "grader", *COURSE, "batch", str(classroom), "--out", str(out),
                                    "--topic", "02_other"])
    assert code == 0
    assert "6/6" in text and "graded" in text and "━" in text, text[-500:]


# One submission never stops a class (issue 13): hostile archives, names and messages.
LONG_NAME = "L" * 245
NEWLINE_NAME = "new\nline # [x](javascript:evil) =1+1"
BYTES_NAME = b"bytes\xffname"
UNDECODABLE = (b"02_other/other.py", b"02_other/o\xff\xfeer.py")  # same length: the headers' offsets hold


def hostile_class(subs):
    """One honest student and one of each kind that used to stop a batch."""
    subs.mkdir()
    shutil.copytree(MINI / "solutions", subs / "honest")
    (subs / "encrypted.zip").write_bytes(patched_zip(MINI / "solutions", flag_bits=0x1))
    (subs / "method.zip").write_bytes(patched_zip(MINI / "solutions", method=99))
    (subs / "badname.zip").write_bytes(patched_zip(MINI / "solutions", flag_bits=0x800, rename=UNDECODABLE))
    shutil.copytree(MINI / "solutions", subs / "surrogate")
    (subs / "surrogate" / "02_other" / "other.py").write_text(
        "def double(x):\n    raise ValueError('lone \\ud800 \\x1b[2J\\n::error::x')\n")
    for name in (LONG_NAME, NEWLINE_NAME):
        shutil.copytree(MINI / "solutions", subs / name)
    shutil.copytree(MINI / "solutions", os.fsdecode(os.fsencode(subs) + b"/" + BYTES_NAME))
    return subs


def test_extract_zip_refuses_encrypted_odd_methods_and_undecodable_names_with_one_line(tmp_path):
    from grader.errors import GraderError
    from grader.grading import archives

    for name, data, why in (("enc.zip", patched_zip(MINI / "solutions", flag_bits=0x1), "encrypted"),
                            ("method.zip", patched_zip(MINI / "solutions", method=99), "compression method 99"),
                            ("bad.zip", patched_zip(MINI / "solutions", flag_bits=0x800, rename=UNDECODABLE), "not valid UTF-8")):
        (tmp_path / name).write_bytes(data)
        dest = tmp_path / name.replace(".", "_")
        dest.mkdir()
        with pytest.raises(GraderError, match=why) as caught:
            archives.extract(tmp_path / name, dest.resolve())
        assert "\n" not in str(caught.value)


def test_file_stems_are_safe_capped_unique_and_stable():
    from grader.grading import batch

    assert batch.file_stem("ada") == "ada" and batch.file_stem("jean-luc.b") == "jean-luc.b"
    names = [LONG_NAME, NEWLINE_NAME, "a/b", "../x", ".hidden", "Ada", "ada", "\ud800x", "x" * 300 + "é" * 100,
             "bytes\\xffname", "=cmd", "con", ""]
    stems = batch.file_stems(names)
    assert len({s.casefold() for s in stems.values()}) == len(names), "unique, even on a case-insensitive disk"
    for stem in stems.values():
        assert len(stem.encode()) <= batch.MAX_STEM_BYTES + 3
        assert stem[:1].isalnum() and not set(stem) & set("/\\\n\r\x00 ") and ".." not in stem.replace("...", "")
        stem.encode("utf-8")
    assert batch.file_stems(list(reversed(names))) == stems, "the same class always gets the same file names"
    assert batch.display_name(os.fsdecode(BYTES_NAME)) == "bytes\\xffname"


def test_merge_writes_every_report_when_one_students_text_is_hostile(tmp_path, monkeypatch):
    """Results read back with lone surrogates, escapes and a hostile name; one student whose
    reports fail to render: everyone still gets feedback, junit and a gradebook row."""
    from grader import cli
    from grader.report import json_result as json_report
    from grader.report import markdown
    from tests.test_reports import NAME, hostile, sample

    folder = tmp_path / "results"
    folder.mkdir()
    for stem, name, result in (("nasty", NAME, hostile("lone \ud800 \x1b]52;c;eA==\x07 ::error::x")),
                               ("plain", "plain", sample()), ("doomed", "doomed", sample())):
        (folder / f"{stem}.json").write_text(json.dumps({"student": name, **json_report.as_dict(result)}))
    real = markdown.render

    def render(result, student=None):
        if student == "doomed" and any(t.message for topic in result.topics for t in topic.tests):
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return real(result, student)

    monkeypatch.setattr(markdown, "render", render)
    out = tmp_path / "out"
    assert cli.main(["merge", str(folder), "--out", str(out)]) == 0
    rows = {row["student"]: row for row in csv.DictReader(io.StringIO((out / "gradebook.csv").read_text()))}
    shown = "'" + NAME.replace("\n", " ⏎ ").replace("\x1b[2J", "").replace("\ud800", "\ufffd")
    assert set(rows) == {"plain", "doomed", shown}, "a formula-looking name is text, on one line"
    assert rows["doomed"]["score"] == rows["plain"]["score"], "the fallback report keeps the scores"
    assert "grader-error" in rows["doomed"]["flags"]
    stems = {p.stem for p in (out / "feedback").glob("*.md")}
    assert len(stems) == 3 and {p.stem for p in (out / "junit").glob("*.xml")} == stems
    for path in (out / "junit").glob("*.xml"):
        ET.parse(path)
    for path in [*(out / "feedback").iterdir(), out / "gradebook.csv"]:
        path.read_text(encoding="utf-8")  # strict: no lone surrogate was written
        assert "\x1b" not in path.read_text()


@pytest.mark.slow
def test_a_batch_with_one_student_of_each_breaking_kind_grades_everyone_else(tmp_path):
    subs = hostile_class(tmp_path / "subs")
    out = tmp_path / "out"
    proc = run_grader(*COURSE, "batch", str(subs), "--out", str(out), "--quiet", "--topic", "02_other", "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    assert "graded 8" in proc.stderr
    got = {data["student"]: data for data in results(out).values()}
    assert set(got) == {"honest", "encrypted", "method", "badname", "surrogate", LONG_NAME, NEWLINE_NAME,
                        "bytes\\xffname"}
    for name in ("honest", LONG_NAME, NEWLINE_NAME, "bytes\\xffname"):
        assert got[name]["score"] == got[name]["max_score"] == 2, name
    assert got["surrogate"]["score"] == 0 and got["surrogate"]["topics"][0]["tests"][0]["status"] == "failed"
    for name, why in (("encrypted", "encrypted"), ("method", "compression method 99"), ("badname", "UTF-8")):
        message = got[name]["topics"][0]["message"]
        assert got[name]["score"] == 0 and why in message and "\n" not in message, (name, message)
        assert [f["code"] for f in got[name]["flags"]] == ["unreadable-submission"]
    stems = {p.stem for p in out.glob("*.json")}
    assert len(stems) == 8 and all(len(s) <= 111 and "\n" not in s for s in stems)
    for sub, ext in (("feedback", "md"), ("feedback", "html"), ("junit", "xml")):
        assert {p.stem for p in (out / sub).glob(f"*.{ext}")} == stems, (sub, ext)
    for path in (out / "junit").glob("*.xml"):
        ET.parse(path)
    rows = list(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 8 and len((out / "gradebook.csv").read_text().splitlines()) == 9
    assert not any(v[:1] in "=+-@" for row in rows for v in row.values() if v)
    title = next(p for p in (out / "feedback").glob("new_line*.md")).read_text().splitlines()[0]
    assert title.startswith("# Feedback for new ⏎ line \\# \\[x\\]\\(javascript") and "](" not in title
    again = run_grader(*COURSE, "batch", str(subs), "--out", str(out), "--quiet", "--topic", "02_other")
    assert "graded 0, kept 8" in again.stderr, "resuming finds every result under its file name"
