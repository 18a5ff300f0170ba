"""The Chinese student path end to end (issue #17): `grader release --lang zh-CN` of the mini course,
with translations like the real course's, passes the release leak check; in it, with LANG=zh_CN.UTF-8,
check, hint, status and watch (on a pseudo-terminal) speak Chinese, and no sentence of the grader's
English catalogue appears."""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader import course as course_model
from grader import i18n
from grader.authoring import i18n_lint
from tests.conftest import MINI, run_grader, start_on_a_terminal
from tests.test_distribution import FORBIDDEN_DIRS, solution_snippets
from tests.test_i18n import _translate_basics

pytestmark = pytest.mark.slow


def _chinese_mini(tmp_path: Path) -> Path:
    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    _translate_basics(course)
    english = (course / "exercises/02_other/README.md").read_text()
    (course / "exercises/02_other/README.zh-CN.md").write_text(
        f"<!-- zh-CN of README.md sha256:{i18n_lint.stamp(english)} -->"
        "\n# 其他\n")
    text = (course / "course.yml").read_text()
    (course / "course.yml").write_text(text.replace('hints: ["Return 2 * x."]',
                                                    'hints: [{text: "Return 2 * x.", zh-CN: "返回 2 * x。"}]'))
    visible = course / "exercises/02_other/test_other.py"
    visible.write_text(visible.read_text().replace("assert other.double(21) == 42",
                                                   'assert other.double(21) == 42, "double(21) must be 42"'))
    (course / "exercises/02_other/i18n.zh-CN.yml").write_text(
        "docstrings:\n  (module):\n    en: Mini exercise two.\n    zh-CN: 小练习二。\n"
        "messages:\n  'double(21) must be 42': 'double(21) 应当等于 42'\n")
    return course


def _english_sentences() -> list[str]:
    """The longest literal piece of every English catalogue message (a piece that long is a sentence)."""
    pieces = []
    for english in i18n.CATALOGUE[i18n.CHINESE]:
        literal = max(re.split(r"\{[^}]*\}", english), key=len).strip()
        if len(literal) >= 12 and " " in literal:
            pieces.append(literal)
    return pieces


@pytest.fixture
def chinese_release(tmp_path, monkeypatch) -> Path:
    course = _chinese_mini(tmp_path)
    out = tmp_path / "release"
    proc = run_grader("--course", str(course / "course.yml"), "release", str(out), "--lang", "zh-CN")
    assert proc.returncode == 0, proc.stderr
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    return out


def test_chinese_release_passes_the_leak_check_and_ships_the_translations(chinese_release, tmp_path):
    out = chinese_release
    files = [p for p in out.rglob("*") if p.is_file()]
    for path in files:
        assert not set(path.relative_to(out).parts) & set(FORBIDDEN_DIRS), path
    secret = solution_snippets(tmp_path / "course/course.yml")
    for path in files:
        text = "\n".join(line.strip() for line in path.read_text(errors="replace").splitlines())
        assert not [s for s in secret if s in text], path
    assert (out / "exercises/01_basics/README.zh-CN.md").read_text().splitlines()[1] == "# 基础"
    assert (out / "exercises/01_basics/README.md").is_file(), "the English lesson ships beside it"
    assert (out / "exercises/02_other/other.py").read_text().startswith('"""小练习二。"""')
    assert 'assert other.double(21) == 42, "double(21) 应当等于 42"' in (out / "exercises/02_other/test_other.py").read_text()
    assert "i18n.zh-CN.yml" not in {p.name for p in files}, "translation sources stay in the course"
    released = course_model.load(out / "course.yml")
    assert released.topic("02_other").exercises[0].hints[0].in_language("zh-CN") == "返回 2 * x。"
    assert "grader --lang zh-CN --course" in (out / ".github/workflows/classroom.yml").read_text()
    assert "grader check" in (out / "README.zh-CN.md").read_text()


def test_check_hint_status_and_watch_speak_chinese(chinese_release):
    out = chinese_release
    english = _english_sentences()

    def chinese(text: str) -> str:
        assert re.search("[\u4e00-\u9fff]", text), text
        leaked = [s for s in english if s in text]
        assert not leaked, f"English catalogue sentences in Chinese output: {leaked}\n{text}"
        return text

    summary = chinese(run_grader("check", cwd=out).stdout)
    assert "0/4 个可见测试通过" in summary and "从 01_basics 开始：先读 exercises/01_basics/README.zh-CN.md" in summary
    detail = chinese(run_grader("check", "01_basics", cwd=out).stdout)
    assert "还没有完成：add 仍然抛出 NotImplementedError" in detail
    other = subprocess.run([sys.executable, "-m", "grader", "check", "02_other"], cwd=out, capture_output=True,
                           text=True, env={**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"})
    chinese(other.stdout)

    hint = chinese(run_grader("hint", "add", cwd=out).stdout)
    assert hint.splitlines()[0] == "01_basics/add 的提示 1/1：返回 a + b。"
    wrong = run_grader("hint", "dubble", cwd=out)
    assert wrong.returncode == 2 and "你是不是想输入 double" in wrong.stderr

    status = chinese(run_grader("status", cwd=out).stdout)
    assert "课程：已完成 0/4 个练习（0%）" in status and "下一个：exercises/01_basics/basics.py 里的 01_basics/add" in status
    english_status = run_grader("--lang", "en", "status", cwd=out).stdout
    assert "course: 0/4 exercises done (0%)" in english_status, "--lang en overrides the locale"

    pid, fd = start_on_a_terminal([sys.executable, "-m", "grader", "watch", "02_other"], cwd=out)
    seen = b""

    def read_until(needle: str, timeout: float = 60) -> None:
        nonlocal seen
        end = time.monotonic() + timeout
        while needle.encode() not in seen:
            assert time.monotonic() < end, f"never saw {needle!r}; screen: {seen[-800:].decode(errors='replace')!r}"
            if select.select([fd], [], [], 0.2)[0]:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    break

    read_until("正在监视文件改动")
    chinese(seen.decode())
    seen = b""
    time.sleep(0.5)
    shutil.copy(MINI / "solutions/02_other/other.py", out / "exercises/02_other/other.py")
    read_until("已修改：other.py")
    read_until("正在监视文件改动")
    assert "1/1 个可见测试通过" in seen.decode()
    os.write(fd, b"\x03")
    read_until("已停止监视")
    _, code = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(code) == 130
    chinese(seen.decode())


def test_the_real_course_releases_in_chinese_without_leaks(tmp_path):
    from tests.conftest import ROOT

    out, english = tmp_path / "release", tmp_path / "english"
    proc = run_grader("release", str(out), "--lang", "zh-CN")
    assert proc.returncode == 0, proc.stderr
    assert run_grader("release", str(english)).returncode == 0
    secret = solution_snippets(ROOT / "course.yml")

    def leaks(root: Path) -> set[tuple[str, str]]:
        found = set()
        for path in (p for p in root.rglob("*") if p.is_file()):
            assert not set(path.relative_to(root).parts) & set(FORBIDDEN_DIRS), path
            text = "\n".join(line.strip() for line in path.read_text(errors="replace").splitlines())
            found |= {(path.relative_to(root).as_posix(), s) for s in secret if s in text}
            if path.suffix == ".py":
                compile(path.read_text(), str(path), "exec")  # translations never break a file
        return found

    # The English release's own leak check is tests/test_distribution.py's; the Chinese one adds none.
    assert leaks(out) <= leaks(english)
    course = course_model.load(ROOT / "course.yml")
    for topic in course.topics:
        translated = (ROOT / "exercises" / topic.folder / "README.zh-CN.md").is_file()
        assert (out / "exercises" / topic.folder / "README.zh-CN.md").is_file() == translated, topic.id
    assert "子进程" in (out / "exercises/01_processes/processes.py").read_text()
    assert "请调用 start()" in (out / "exercises/01_processes/test_processes.py").read_text()
