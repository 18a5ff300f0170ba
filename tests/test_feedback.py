"""Feedback people read (issue #15, points 6 and 8): grouped, deduplicated, capped, the same in
Markdown, HTML and the terminal; topic errors told apart; JUnit that counts them."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from grader.report import html, junit, markdown, table
from grader.report import json_result as json_report
from grader.report.feedback import MAX_FAILURES
from grader.result import ErrorKind, Flag, FlagCode, GradeResult, Status, TestResult, TopicResult
from tests.conftest import MINI, by_id, grade_json, run_grader, write_submission

GOOD_OTHER = "def double(x):\n    return 2 * x\n"
GOOD_BASICS = (MINI / "solutions/01_basics/basics.py").read_text()
SAME = "run_squares returned [0, 1] for range(3): every child must put its square on the queue"


def _pool_topic() -> TopicResult:
    tests = [TestResult(f"test_p.py::TestRunSquares::test_returns[{m}]", "run_squares", Status.FAILED, 0.5, SAME)
             for m in ("fork", "spawn", "forkserver")]
    tests.append(TestResult("test_p.py::TestRunSquares::test_empty", "run_squares", Status.PASSED, 0.5))
    tests.append(TestResult("test_p.py::TestMainGuard::test_import", "main_guard", Status.FAILED, 2.0,
                            "importing processes.py printed output", "Put main() under the guard."))
    return TopicResult("01_processes", "Processes", tuple(tests))


def _text(page: str) -> str:
    """What a reader of the HTML page sees, one line per block."""
    class Text(HTMLParser):
        parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    parser = Text()
    parser.parts = []
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def test_start_methods_that_failed_alike_are_one_entry_with_the_methods_listed():
    result = GradeResult((_pool_topic(),), "linux")
    for text in (markdown.render(result, "al"), _text(html.render(result, "al")), table.render(result)):
        assert text.count(SAME) == 1, text
        assert "TestRunSquares::test_returns [fork, spawn, forkserver]" in text
        assert "test_p.py::" not in text
    page, md = _text(html.render(result)), markdown.render(result).replace("\\", "")
    # per-test points (the three runs together) and per-exercise points, in both formats
    for text in (page, md):
        assert "(0 / 1.5)" in text and "run_squares (0.5 / 2)" in text and "main_guard (0 / 2)" in text
        assert "Hint: Put main() under the guard." in text


def test_markdown_and_html_say_the_same():
    result = GradeResult((_pool_topic(), _broken("08_deadlock", "SyntaxError in bank.py line 3: invalid syntax",
                                                 ErrorKind.SYNTAX_ERROR)), "linux")
    md = re.sub(r"[*`#|]|```text|-{3,}", " ", markdown.render(result, "al"))
    md = " ".join(md.replace("\\", "").split())
    page = _text(html.render(result, "al"))
    for needle in ("Score: 0.5 / 14", "01_processes 0.5 / 4 failed", "08_deadlock 0 / 10 error (syntax-error)",
                   "SyntaxError in bank.py line 3", "run_squares (0.5 / 2)", "failed TestMainGuard::test_import (0 / 2)",
                   "Hint: Put main() under the guard."):
        assert needle in md and needle in page, needle


def test_length_is_capped_with_a_count_of_what_was_left_out():
    tests = tuple(TestResult(f"t.py::TestX::test_{i}", "x", Status.FAILED, 1.0, f"failure number {i}")
                  for i in range(MAX_FAILURES + 14))
    result = GradeResult((TopicResult("01_x", "X", tests),), "linux")
    for text in (markdown.render(result), _text(html.render(result))):
        assert "... and 14 more failures (not shown)" in text
        assert f"failure number {MAX_FAILURES - 1}" in text and f"failure number {MAX_FAILURES}" not in text


def test_an_exercise_whose_tests_all_failed_alike_is_one_entry():
    stub = "not done yet: run_squares still raises NotImplementedError"
    tests = tuple(TestResult(f"t.py::TestRunSquares::test_{i}", "run_squares", Status.FAILED, 1.0, stub)
                  for i in range(6))
    result = GradeResult((TopicResult("01_processes", "Processes", tests),), "linux")
    for text in (markdown.render(result), _text(html.render(result)), table.render(result)):
        assert text.count(stub) == 1 and "all 6 tests" in text, text


def test_a_long_list_of_cases_is_counted_not_spelled_out():
    tests = tuple(TestResult(f"t.py::TestElapsed::test_model[case{i}]", "elapsed", Status.FAILED, 1.0, "wrong")
                  for i in range(32))
    tests += (TestResult("t.py::TestElapsed::test_other", "elapsed", Status.PASSED, 1.0),)
    result = GradeResult((TopicResult("00_concepts", "Concepts", tests),), "linux")
    text = markdown.render(result).replace("\\", "")
    assert "TestElapsed::test_model [case0, case1, case2, and 29 more cases]" in text
    assert "case3," not in text


def _broken(topic_id: str, message: str, kind: ErrorKind | None = None) -> TopicResult:
    return TopicResult(topic_id, topic_id, (), (), message, max_points=10.0, error_kind=kind)


def test_an_unreadable_zip_is_said_once_in_a_real_batch(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "alice.zip").write_bytes(b"PK\x03\x04 this is no zip")
    proc = run_grader("--course", str(MINI / "course.yml"), "batch", str(subs), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    md = (tmp_path / "out/feedback/alice.md").read_text()
    page = (tmp_path / "out/feedback/alice.html").read_text()
    assert md.count("File is not a zip file") == 1 and page.count("File is not a zip file") == 1
    assert "Not graded** (01_basics, 02_other)" in md
    data = json.loads((tmp_path / "out/alice.json").read_text())
    assert {t["error_kind"] for t in data["topics"]} == {"unreadable-submission"}
    assert {t["status"] for t in data["topics"]} == {"error"}
    suites = ET.fromstring((tmp_path / "out/junit/alice.xml").read_text())
    assert suites.get("tests") == "2" and suites.get("errors") == "2"


def test_junit_counts_a_topic_error_as_a_test_case():
    result = GradeResult((_broken("08_deadlock", "bank.py was not found", ErrorKind.MISSING_MODULE),), "linux")
    suite = ET.fromstring(junit.render(result)).find("testsuite")
    assert suite is not None and suite.get("tests") == "1" and suite.get("errors") == "1"
    error = suite.find("testcase/error")
    assert error is not None and error.get("type") == "missing-module"


@pytest.mark.slow
def test_graded_feedback_has_the_tests_words_not_pytests_introspection(tmp_path):
    basics = GOOD_BASICS.replace("    return a + b\n", "    return None\n", 1)
    basics = basics.replace('    return "done"\n', '    raise RuntimeError(__file__)\n')
    sub = write_submission(tmp_path / "sub", {"01_basics/basics.py": basics, "02_other/other.py": GOOD_OTHER})
    result = grade_json(sub)
    tests = by_id(result)
    add = tests["test_basics.py::TestAdd::test_small"]["message"]
    assert add.startswith("assert None == 3") and "where" not in add
    helper = tests["test_basics.py::TestHelper::test_helper"]["message"]
    assert "exercises/01_basics/basics.py" in helper and str(tmp_path) not in helper
    assert "/tmp/" not in helper and "/work" not in helper, helper
    page = markdown.render(json_report.load(result))
    assert "where" not in page and "exercises/01_basics/basics.py" in page


@pytest.mark.slow
def test_topic_errors_are_told_apart_in_the_json(tmp_path):
    sub = write_submission(tmp_path, {"01_basics/basics.py": "def add(a, b):\n    return a\x00 + b\n"})
    result = grade_json(sub)
    basics, other = result["topics"]
    assert basics["error_kind"] == "syntax-error" and basics["status"] == "error"
    assert basics["message"] == ("SyntaxError in basics.py line 2: the file contains a NUL byte (byte offset 27); "
                                 "save it as plain UTF-8 text")
    assert other["error_kind"] == "missing-module" and "other.py was not found" in other["message"]
    crash = write_submission(tmp_path / "crash", {"01_basics/basics.py": "raise SystemError('at import')\n",
                                                  "02_other/other.py": GOOD_OTHER})
    crashed = grade_json(crash)
    assert crashed["topics"][0]["error_kind"] == "import-error" and crashed["topics"][1]["error_kind"] is None
    again = json_report.load(crashed)
    assert json_report.as_dict(again)["topics"][0]["error_kind"] == "import-error"


@pytest.mark.slow
def test_validate_writes_junit_and_refuses_formats_it_cannot_write():
    proc = run_grader("--course", str(MINI / "course.yml"), "validate", "--topic", "02_other", "--format", "junit")
    assert proc.returncode == 0, proc.stderr
    suites = ET.fromstring(proc.stdout)
    names = [c.get("name") for c in suites.iter("testcase")]
    assert names == ["solution", "stub", "mutant triples"] and suites.get("tests") == "3"
    assert suites.get("failures") == "0"
    refused = run_grader("--course", str(MINI / "course.yml"), "validate", "--format", "html")
    assert refused.returncode == 2 and refused.stderr.strip() == "grader: error: validate writes table, json, junit, not html"


def test_flags_of_an_unreadable_submission_keep_their_own_code():
    result = GradeResult((_broken("01_a", "the submission could not be read: x"),
                          _broken("02_b", "the submission could not be read: x")), "linux",
                         (Flag(FlagCode.UNREADABLE_SUBMISSION, "the submission could not be read: x"),))
    assert [t["error_kind"] for t in json_report.as_dict(result)["topics"]] == ["unreadable-submission"] * 2
    assert table.render(result).count("the submission could not be read: x") == 2  # once, and its flag


def test_feedback_labels_follow_the_students_language():
    """In Chinese the feedback's own words (title, score, columns, statuses, hints, the count of what
    was left out) are Chinese in Markdown, HTML and the table; in English they stay English."""
    from grader import i18n

    tests = tuple(TestResult(f"t.py::TestX::test_{i}", "x", Status.FAILED, 1.0, f"failure number {i}", "Hold the lock.")
                  for i in range(MAX_FAILURES + 3))
    result = GradeResult((TopicResult("01_x", "X", tests),), "linux")
    try:
        i18n.set_language("zh-CN")
        pages = (markdown.render(result, "ada"), _text(html.render(result, "ada")), table.render(result))
    finally:
        i18n.set_language(None)
    for text in pages:
        assert "提示：Hold the lock." in text, text
        for english in ("Hint:", "hint:", "more failures", "Score:", "Feedback", "Total:", "FAILED", "exercise"):
            assert english not in text, (english, text)
    assert all("……还有 3 个失败" in text for text in pages[:2])  # the table keeps more: its own limit
    assert "总分：0/28" in pages[2] and "练习" in pages[2]
    assert "ada 的反馈" in pages[0] and "得分：0 / 28" in pages[0] and "| 主题 | 得分 | 状态 |" in pages[0]
    assert "- **失败**" in pages[0]
    english = markdown.render(result, "ada")
    assert "# Feedback for ada" in english and "Hint: Hold the lock." in english
