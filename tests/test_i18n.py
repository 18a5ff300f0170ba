"""The Chinese edition (issue #17), fast layer: the language choice, the message catalogues, the course
lint that keeps both languages in step, and the release's docstring translation."""

from __future__ import annotations

import ast
import shutil
import string
from pathlib import Path

import pytest

from grader import course as course_model
from grader import i18n
from grader.authoring import i18n_lint
from grader.distribution.release_i18n import translate_docstrings
from grader.grading.localise import localise
from grader.result import Status, TestResult, TopicResult
from tests.conftest import MINI, ROOT


@pytest.fixture(autouse=True)
def _no_chosen_language(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    i18n.set_language(None)
    yield
    i18n.set_language(None)


def test_language_comes_from_lang_option_then_posix_locale_order(monkeypatch):
    assert i18n.language() == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.language() == "zh-CN"
    monkeypatch.setenv("LC_MESSAGES", "en_US.UTF-8")  # LC_MESSAGES overrides LANG
    assert i18n.language() == "en"
    monkeypatch.setenv("LC_ALL", "zh_TW.UTF-8")  # LC_ALL overrides both
    assert i18n.language() == "zh-CN"
    i18n.set_language("en")  # --lang overrides the locale
    assert i18n.language() == "en"
    with pytest.raises(ValueError):
        i18n.set_language("fr")


def test_tr_translates_whole_messages_and_falls_back_to_english():
    template = "hint {number}/{total} for {exercise}: {text}"
    assert i18n.tr(template, number=1, total=2, exercise="01/x", text="t") == "hint 1/2 for 01/x: t"
    i18n.set_language("zh-CN")
    assert i18n.tr(template, number=1, total=2, exercise="01/x", text="t") == "01/x 的提示 1/2：t"
    assert i18n.tr("a message nobody translated") == "a message nobody translated"


def _tr_calls() -> list[tuple[Path, str]]:
    found = []
    for path in sorted((ROOT / "grader").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "tr" \
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.append((path, node.args[0].value))
    return found


def test_every_message_the_grader_translates_has_chinese_with_the_same_fields():
    calls = _tr_calls()
    assert len(calls) >= 15, "the student commands route their messages through grader.i18n.tr"
    chinese = i18n.CATALOGUE["zh-CN"]
    for path, english in calls:
        assert english in chinese, f"{path.relative_to(ROOT)}: no zh-CN for {english!r}"
    for english, translation in chinese.items():
        fields = {f for _, f, _, _ in string.Formatter().parse(english) if f}
        assert {f for _, f, _, _ in string.Formatter().parse(translation) if f} == fields, english
        assert any("\u4e00" <= c <= "\u9fff" for c in translation), english


def test_message_catalogue_translates_a_line_whole_or_not_at_all():
    catalogue = i18n.MessageCatalogue([("{fn}() did not return within {secs} s", "{fn}() 在 {secs} 秒内没有返回")])
    message = "AssertionError: run() did not return within 5 s\nassert 1 == 2\nrun() did not return within 5 s, or so"
    assert catalogue.localise(message).split("\n") == [
        "AssertionError: run() 在 5 秒内没有返回", "assert 1 == 2", "run() did not return within 5 s, or so"]
    with pytest.raises(ValueError):
        i18n.MessageCatalogue([("{a} failed", "{b} 失败")])


def test_results_are_localised_with_the_course_hint_and_the_not_done_message(tmp_path):
    course = _mini_copy(tmp_path)
    (course / "course.yml").write_text((course / "course.yml").read_text().replace(
        'hints: ["Return 2 * x."]', 'hints: [{text: "Return 2 * x.", zh-CN: "返回 2 * x。"}]'))
    (course / "tests/hidden/02_other").mkdir(parents=True, exist_ok=True)
    (course / "tests/hidden/02_other/messages.zh-CN.yml").write_text('"expected {x}, got {y}": "应为 {x}，实际为 {y}"\n')
    loaded = course_model.load(course / "course.yml")
    topic = loaded.topic("02_other")
    tests = (TestResult("t::a", "double", Status.FAILED, 1.0, "AssertionError: expected 4, got 5", "Return 2 * x.", 0.1),
             TestResult("t::b", "double", Status.FAILED, 1.0, "NotImplementedError", "", 0.1))
    result = TopicResult("02_other", "Other", tests, (), "")
    assert localise(loaded, topic, result) == result  # English: unchanged
    i18n.set_language("zh-CN")
    first, second = localise(loaded, topic, result).tests
    assert first.message == "AssertionError: 应为 4，实际为 5" and first.hint == "返回 2 * x。"
    assert second.message.startswith("NotImplementedError：这个练习还没有完成")


def _mini_copy(tmp_path: Path) -> Path:
    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    return course


def _translate_basics(course: Path) -> Path:
    english = (course / "exercises/01_basics/README.md").read_text()
    english += "\n## Locks\n\nA lock and a process.\n\n```python\nx = 1  # one\n```\n"
    (course / "exercises/01_basics/README.md").write_text(english)
    zh = course / "exercises/01_basics/README.zh-CN.md"
    zh.write_text(f"<!-- zh-CN of README.md sha256:{i18n_lint.stamp(english)} -->\n# 基础\n\n## 锁\n\n"
                  "一把锁和一个进程。\n\n```python\nx = 1  # 一\n```\n")
    text = (course / "course.yml").read_text()
    for english_hint, chinese in (("Return a + b.", "返回 a + b。"), ("Release the lock you take.", "释放你获取的锁。"),
                                  ("Start the helper and wait for it.", "启动 helper 并等待它。")):
        text = text.replace(f'["{english_hint}"]', f'[{{text: "{english_hint}", zh-CN: "{chinese}"}}]')
    (course / "course.yml").write_text(text)
    (course / "i18n").mkdir()
    (course / "i18n/glossary.zh-CN.yml").write_text("terms:\n  - {en: lock, zh-CN: 锁}\n  - {en: process, zh-CN: 进程}\n")
    return zh


def _problems(course: Path) -> tuple[list[str], list[str]]:
    return i18n_lint.problems_and_notes(course_model.load(course / "course.yml"))


def test_lint_passes_a_translated_lesson_in_step_and_notes_the_untranslated(tmp_path):
    course = _mini_copy(tmp_path)
    _translate_basics(course)
    problems, notes = _problems(course)
    assert problems == []
    assert notes == ["02_other: not translated yet (no exercises/02_other/README.zh-CN.md)"]


@pytest.mark.parametrize("change, expected", [
    (lambda zh, en: zh.write_text(zh.read_text().replace("x = 1  # 一", "x = 2  # 一")), "code block 1 differs"),
    (lambda zh, en: zh.write_text(zh.read_text().replace("## 锁", "锁")), "headings per level"),
    (lambda zh, en: zh.write_text(zh.read_text().replace("```python\nx = 1  # 一\n```\n", "")), "code blocks vs"),
    (lambda zh, en: en.write_text(en.read_text() + "\nOne more sentence.\n"), "README.md changed since"),
    (lambda zh, en: zh.write_text(zh.read_text().replace("锁", "lock")), "glossary"),
])
def test_lint_reports_a_lesson_out_of_step(tmp_path, change, expected):
    course = _mini_copy(tmp_path)
    zh = _translate_basics(course)
    change(zh, course / "exercises/01_basics/README.md")
    problems, _ = _problems(course)
    assert any(expected in p for p in problems), problems


def test_lint_lets_mermaid_labels_be_translated_but_not_a_diagram_go_missing(tmp_path):
    course = _mini_copy(tmp_path)
    zh = _translate_basics(course)
    en = course / "exercises/01_basics/README.md"
    english = en.read_text() + "\n```mermaid\nflowchart LR\n    A[parent] --> B[child]\n```\n"
    en.write_text(english)
    chinese = zh.read_text().replace(zh.read_text().splitlines()[0], f"<!-- zh-CN of README.md sha256:{i18n_lint.stamp(english)} -->")
    zh.write_text(chinese + "\n```mermaid\nflowchart LR\n    A[父进程] --> B[子进程]\n```\n")
    assert _problems(course)[0] == []
    zh.write_text(chinese)
    assert any("code blocks vs" in p for p in _problems(course)[0])


@pytest.mark.parametrize("prefix", ["", "Failed: ", "queue.Empty: ", "test_concepts._Forbidden: ",
                                    "grader.probes.async_probes.BoundExceeded: "])
def test_an_exception_class_before_a_message_is_kept_and_the_message_translated(prefix):
    line = i18n.COMMON_MESSAGES.line(prefix + "NotImplementedError")
    assert line is not None and line.startswith(prefix) and "还没有完成" in line, line


def test_lint_wants_every_hint_of_a_translated_topic_in_chinese(tmp_path):
    course = _mini_copy(tmp_path)
    _translate_basics(course)
    text = (course / "course.yml").read_text()
    (course / "course.yml").write_text(text.replace(', zh-CN: "返回 a + b。"', ""))
    problems, _ = _problems(course)
    assert problems == ["01_basics: hint 1 of add in course.yml has no zh-CN text (write it as {text: ..., zh-CN: ...})"]


def test_lint_reports_a_stale_docstring_or_visible_message_translation(tmp_path):
    course = _mini_copy(tmp_path)
    _translate_basics(course)
    (course / "exercises/01_basics/i18n.zh-CN.yml").write_text(
        "docstrings:\n  (module):\n    en: Mini exercises.\n    zh-CN: 小练习。\n"
        "messages:\n  'basics.add(1, 2) == 3': 'basics.add(1, 2) == 3'\n")
    assert _problems(course)[0] == []
    stub = course / "exercises/01_basics/basics.py"
    stub.write_text(stub.read_text().replace('"""Mini exercises."""', '"""Mini exercises, changed."""'))
    (course / "exercises/01_basics/test_basics.py").write_text(
        (course / "exercises/01_basics/test_basics.py").read_text().replace("add(1, 2) == 3", "add(1, 3) == 4"))
    problems, _ = _problems(course)
    assert len(problems) == 2 and "docstrings.(module) is out of step" in problems[0] and "no longer in" in problems[1]


def test_release_translates_docstrings_keeping_indentation_and_skips_stale_ones():
    source = 'def f():\n    """Return one.\n\n    Always one.\n    """\n    return 1\n\n\ndef g():\n    """Old."""\n'
    out = translate_docstrings(source, {"f": {"en": "Return one.\n\nAlways one.", "zh-CN": "返回一。\n\n总是一。"},
                                        "g": {"en": "Older.", "zh-CN": "旧的。"}})
    assert out == 'def f():\n    """返回一。\n\n    总是一。\n    """\n    return 1\n\n\ndef g():\n    """Old."""\n'
    assert ast.get_docstring(ast.parse(out).body[0]) == "返回一。\n\n总是一。"


def test_the_real_course_glossary_and_translations_are_in_step():
    glossary = i18n_lint.load_glossary(ROOT)
    zh = [z for _, z in glossary]
    for term in ("进程", "线程", "协程", "守护进程", "互斥锁", "递归锁", "信号量", "条件变量", "死锁", "哨兵", "竞态条件",
                 "全局解释器锁", "进程池", "线程池", "事件循环"):
        assert term in zh, term
    problems, notes = i18n_lint.problems_and_notes(course_model.load(ROOT / "course.yml"))
    assert problems == []
    assert all(n.endswith(".md)") and "not translated yet" in n for n in notes)
