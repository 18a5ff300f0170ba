"""Every report format, parsed back: JUnit, Markdown, HTML, Gradescope, GitHub Classroom, gradebook, JSON."""

import base64
import csv
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from grader.report import github, gradebook, gradescope, html, junit, markdown, table
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
    assert rows[0]["04_pool"] == "3.33" and rows[0]["08_deadlock"] == "0"
    assert rows[0]["status"] == "error" and "04_pool:ignored-file" in rows[0]["flags"]


# Hostile text (issue 13): what a student controls in a message, a flag or a folder name.
CLEAR, OSC52, UP = "\x1b[2J\x1b[H", "\x1b]52;c;ZWNobyBwd25lZA==\x07", "\x1b[3A\r"
NASTY = (f"boom{CLEAR}{OSC52}{UP}Total: 10/10   (sandbox: linux)\x00\x07\x08\x9b2J\ufffe\uffff\ud800\udfff"
         "\u202eevil\r::error::x\n  ::warning file=a.py::w\n::set-output name=score::99\n\u200b::add-mask::x\n"
         "ok ##[error]legacy\n```\n<script>x</script>")
NAME = "=HYPERLINK(\"http://x\")\n# Hi [x](http://evil) <b>\x1b[2J\ud800"


def hostile(message: str = NASTY) -> GradeResult:
    failing = TopicResult("01_basics", "Basics", (
        TestResult("test_basics.py::test_add", "add", Status.FAILED, 3.0, message, "Return a + b."),
        TestResult("test_basics.py::test_sub", "add", Status.PASSED, 3.0),
    ), (Flag("suspicious-code", message, "01_basics"),), "")
    broken = TopicResult("02_other", "Other", (), (), message, max_points=2.0)
    return GradeResult((failing, broken), "portable", (Flag("sandbox", "-: no cgroup " + message),))


def test_table_strips_escapes_and_controls_so_no_fake_total_is_drawn():
    text = table.render(hostile(), color=False)
    assert not any(c in text for c in "\x1b\x00\x07\x08\r\x9b\ufffe\uffff\u202e")
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    text.encode("utf-8")  # strict: would raise on a lone surrogate
    totals = [line for line in text.splitlines() if line.startswith("Total:")]
    assert totals == ["Total: 3/8   (sandbox: portable)"], "the only Total: at the margin is the grader's own"
    assert all(line.startswith(" " * 9) for line in text.splitlines() if "Total: 10/10" in line)
    colored = table.render(hostile(), color=True)
    assert "\x1b]52" not in colored and "\x1b[2J" not in colored and "\x1b[3A" not in colored


def test_table_wraps_student_text_with_a_hanging_indent():
    text = table.render(hostile("x" * 95 + " Total: 10/10   (sandbox: linux)"), width=100)
    assert not any(line.startswith("Total: 10/10") for line in text.splitlines())


def test_junit_is_well_formed_for_hostile_messages_and_names():
    xml = junit.render(hostile(), name=NAME)
    root = ET.fromstring(xml.encode("utf-8"))
    failure = next(root.iter("failure"))
    assert "boom" in failure.get("message") and "Return a + b." in failure.text
    assert "\x1b" not in xml and "\x00" not in xml and "\ufffe" not in xml
    assert root.get("name").startswith("=HYPERLINK")
    # every control character and non-character, one at a time, still parses
    for bad in ["\x00", "\x1b", "\x0c", "\ufffe", "\uffff", "\ud800", "\udc80", "\x7f", "\x85"]:
        ET.fromstring(junit.render(hostile(f"a{bad}b"), name=f"n{bad}").encode("utf-8"))


def test_runner_results_neutralise_workflow_commands_in_messages():
    runners = github.runner_results(hostile())
    texts = [entry[key] for runner in runners.values() for entry in runner["tests"] for key in ("name", "message")]
    assert texts and any("::error::x" in t for t in texts)
    for text in texts:
        for line in text.splitlines():
            assert not line.strip().startswith("::"), line
            assert "##[" not in line
            assert "\u200b" not in line and "\r" not in line
        text.encode("utf-8")
    assert "> ::error::x" in runners["t01add"]["tests"][0]["message"]
    env = github.env_lines(hostile())
    decoded = json.loads(base64.b64decode(env.splitlines()[0].split("=", 1)[1]))
    assert "> ::set-output name=score::99" in decoded["tests"][0]["message"]
    single = github.runner_results(hostile("::error::x"))["t01add"]["tests"][0]["message"]
    assert single.startswith("> ::error::x")


def test_annotations_and_summary_survive_hostile_text():
    lines = github.annotation_lines(hostile()).splitlines()
    assert lines and all(line.startswith("::error ") for line in lines)
    assert "\x1b" not in "".join(lines)
    github.summary(hostile()).encode("utf-8")


def test_csv_cells_never_start_a_formula():
    evil = {"=1+1": hostile(), "+cmd": hostile(), "-2": hostile(), "@SUM(A1)": hostile(), "\tx": hostile(),
            "\r=y": hostile(), "\uff1dfull": hostile(), NAME: hostile()}
    text = gradebook.render(list(evil.items()))
    text.encode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + len(evil), "one line per student: no newline from a name splits a row"
    assert len(text.splitlines()) == 1 + len(evil)
    for row in rows[1:]:
        for value in row:
            assert value[:1] not in ("=", "+", "-", "@", "\t", "\r", "\uff1d"), row
    flags = {row[0]: row[-1] for row in rows[1:]}
    assert flags["'=1+1"] == "sandbox; 01_basics:suspicious-code", "no '-:' of the grader's own"
    assert all(name.startswith("'") for name in flags)


def test_gradebook_flags_column_has_no_leading_dash():
    rows = list(csv.DictReader(io.StringIO(gradebook.render([("al", hostile())]))))
    assert rows[0]["flags"].startswith("sandbox")


def test_markdown_and_html_titles_escape_a_hostile_folder_name():
    text = markdown.render(hostile(), NAME)
    title, rest = text.split("\n", 1)
    assert title.startswith("# Feedback for ") and "\n# Hi" not in text
    assert "[x](http" not in text and "\\[x\\]\\(http" in title and "<b>" not in title
    assert "\x1b" not in text and "\ufffe" not in text
    text.encode("utf-8")
    page = html.render(hostile(), NAME)
    page.encode("utf-8")
    assert "<b>" not in page and "\x1b" not in page and "<script>" not in page
    assert "&lt;b&gt;" in page


def test_lone_surrogates_never_crash_a_renderer():
    result = hostile("\ud800 alone \udfff")
    for text in (table.render(result), junit.render(result, name="\udc80"), markdown.render(result, "\udc80"),
                 html.render(result, "\udc80"), gradebook.render([("\udc80", result)]), github.env_lines(result),
                 github.summary(result), github.annotation_lines(result), json_report.render(result),
                 gradescope.render(result)):
        text.encode("utf-8")


def test_flags_are_capped_per_code_with_a_count_and_messages_are_capped():
    from grader.result import MAX_FLAG_MESSAGE, MAX_FLAGS_PER_CODE

    flags = tuple(Flag("suspicious-code", f"target.py:{i}: gc walk", "01_basics") for i in range(1999))
    flags += (Flag("ignored-file", "x" * 100_000, "01_basics"),)
    result = GradeResult((TopicResult("01_basics", "Basics", (), flags, "", max_points=1.0),), "linux")
    capped = result.all_flags
    codes = [f.code for f in capped]
    assert codes.count("suspicious-code") == MAX_FLAGS_PER_CODE + 1
    assert capped[-1].message == f"{1999 - MAX_FLAGS_PER_CODE} more suspicious-code flags not shown"
    assert all(len(f.message) <= MAX_FLAG_MESSAGE for f in capped)
    again = json_report.load(json.loads(json_report.render(result)))
    assert again.all_flags == capped, "capping what was read back changes nothing"
    assert table.render(result).count("flag [suspicious-code]") == MAX_FLAGS_PER_CODE + 1


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_sanitisers_stay_linear_on_1_mb_hostile_inputs():
    """No pattern backtracks: a megabyte of unterminated escapes, command prefixes or formula
    characters goes through every sanitiser (a catastrophic pattern would hit the timeout)."""
    from grader.report import safe

    for text in ("\x1b[" * 500_000, "\x1b]" * 500_000, "\x9d" * 1_000_000, "\n ::" * 250_000, "#" * 999_999 + "[",
                 "\u200b" * 1_000_000, "=" * 1_000_000, "\ud800" * 1_000_000):
        for clean in (safe.plain, safe.one_line, safe.cell, safe.markdown_inline, safe.workflow_safe):
            clean(text).encode("utf-8")
