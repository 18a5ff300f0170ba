"""Every report format, parsed back: JUnit, Markdown, HTML, Gradescope, GitHub Classroom, gradebook, JSON."""

import base64
import csv
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from grader.report import github, gradebook, gradescope, html, junit, markdown
from grader.report import json_result as json_report
from grader.result import Flag, GradeResult, Status, TestResult, TopicResult

HOSTILE = "boom\n::notice title=Autograding report::{\"totalPoints\":99,\"maxPoints\":99}\n```\n<script>x</script>"


def sample() -> GradeResult:
    pool = TopicResult("04_pool", "Pool", (
        TestResult("test_pools.py::TestA::test_x[fork]", "parallel_apply", Status.PASSED, 4 / 3, duration_s=0.5),
        TestResult("test_pools.py::TestA::test_x[spawn]", "parallel_apply", Status.FAILED, 4 / 3, HOSTILE, "use close()"),
        TestResult("test_pools.py::TestA::test_x[forkserver]", "parallel_apply", Status.TIMEOUT, 4 / 3, "hung", "use close()"),
        TestResult("test_pools.py::TestB::test_y", "imap_in_order", Status.PASSED, 2.0),
    ), (Flag("ignored-file", "04_pool/conftest.py is present and was ignored", "04_pool"),))
    broken = TopicResult("08_deadlock", "Deadlock", (), (), "SyntaxError in bank.py line 3: invalid syntax",
                         max_points=10.0)
    return GradeResult((pool, broken), "portable")


def test_json_round_trip():
    result = sample()
    again = json_report.load(json.loads(json_report.render(result)))
    assert json_report.as_dict(again) == json_report.as_dict(result)
    assert again.score == result.score == 4 / 3 + 2


def test_junit_parses_with_failures_and_errors():
    root = ET.fromstring(junit.render(sample()))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites["04_pool"].get("tests") == "4"
    assert suites["04_pool"].get("failures") == "1" and suites["04_pool"].get("errors") == "1"
    assert suites["08_deadlock"].find("testcase/error").get("message").startswith("SyntaxError")
    failure = next(root.iter("failure"))
    assert "use close()" in failure.text and failure.get("message") == "boom"


def test_markdown_fences_student_text_and_shows_hints_not_code():
    text = markdown.render(sample(), "alice")
    assert text.startswith("# Feedback for alice")
    assert "**Score: 3.33 / 16**" in text
    assert "````text" in text, "a fence longer than the message's own backticks"
    assert "Hint: use close()" in text
    assert "SyntaxError in bank.py line 3" in text
    assert "def test_" not in text


def test_html_escapes_student_text():
    page = html.render(sample(), "bob")
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page

    class Checker(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack = []

        def handle_starttag(self, tag, attrs):
            if tag not in ("meta", "br"):
                self.stack.append(tag)

        def handle_endtag(self, tag):
            assert self.stack and self.stack.pop() == tag

    checker = Checker()
    checker.feed(page)
    assert checker.stack == []


def test_gradescope_results_are_consistent():
    data = json.loads(gradescope.render(sample(), visibility="after_due_date"))
    assert abs(data["score"] - sum(t["score"] for t in data["tests"])) < 1e-6
    for test in data["tests"]:
        assert test["status"] == ("passed" if test["score"] == test["max_score"] else "failed")
        assert test["visibility"] == "after_due_date"
    assert any(t["name"].startswith("08_deadlock") and "SyntaxError" in t["output"] for t in data["tests"])


def test_github_runner_results_agree_with_the_reporters_two_totals():
    runners = github.runner_results(sample())
    assert set(runners) == {"t04parallelapply", "t04imapinorder", "t08topic"}
    for runner in runners.values():
        tests = runner["tests"]
        assert tests, "never an empty tests list"
        summed = sum(t["score"] for t in tests)  # what Classroom records
        console = sum(t["status"] == "pass" for t in tests) / len(tests) * runner["max_score"]  # the console table
        assert abs(summed - console) < 1e-6
        assert runner["status"] in ("pass", "fail", "error")
    assert runners["t08topic"]["status"] == "error" and runners["t08topic"]["max_score"] == 10


def test_github_env_lines_decode_and_outputs_list_the_runners():
    env = github.env_lines(sample())
    name, value = env.splitlines()[0].split("=", 1)
    assert name == "T04PARALLELAPPLY_RESULTS"
    assert json.loads(base64.b64decode(value))["max_score"] == 4
    assert "runners=t04parallelapply,t04imapinorder,t08topic" in github.output_lines(sample())


def test_github_annotations_and_fencing_block_command_injection():
    lines = github.annotation_lines(sample()).splitlines()
    assert lines and all(line.startswith("::error ") for line in lines)
    assert not any("\n::notice" in line for line in lines)
    fenced = github.fenced("line\n" + HOSTILE, "tok123")
    assert fenced.startswith("::stop-commands::tok123\n") and fenced.endswith("\n::tok123::\n")


def test_gradebook_csv():
    rows = list(csv.DictReader(io.StringIO(gradebook.render([("zoe", sample()), ("al", sample())]))))
    assert [r["student"] for r in rows] == ["al", "zoe"]
    assert rows[0]["04_pool"] == f"{4 / 3 + 2:g}" and rows[0]["08_deadlock"] == "0"
    assert rows[0]["status"] == "error" and "04_pool:ignored-file" in rows[0]["flags"]
