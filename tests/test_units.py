"""Fast unit tests of the grading machinery with a fake sandbox: no subprocess, no real sandbox.

The scheduler's order, the record checks, scoring, the format registry, the CLI's exit codes
(``--fail-under``), the host/sandbox protocol, durations and the atomic write.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from grader import cli
from grader.course import load as load_course
from grader.fsutil import write_atomic
from grader.grading import durations, scheduler, scoring
from grader.grading.records import RecordStream, TestRun
from grader.report import formats
from grader.result import Flag, FlagCode, GradeResult, Status, TestResult, TopicResult
from grader.sandboxed.protocol import Event, TestOutcome, dump_header, encode, parse_header
from tests.conftest import MINI, ROOT

# -- the scheduler -------------------------------------------------------------------------------


def test_longest_topics_start_first_unknown_ones_count_as_long():
    units = [scheduler.Unit(t, lambda: None) for t in ("a", "b", "c", "d")]
    seconds = {"a": 1.0, "b": 9.0, "c": 4.0}
    assert scheduler.order(units, seconds) == [3, 1, 2, 0]


def test_groups_start_in_order_whatever_their_length():
    units = [scheduler.Unit("a", lambda: None, 0), scheduler.Unit("b", lambda: None, 0),
             scheduler.Unit("b", lambda: None, 1), scheduler.Unit("a", lambda: None, 1)]
    assert scheduler.order(units, {"a": 1.0, "b": 2.0}) == [1, 0, 2, 3]


class _FakeGrader:
    def __init__(self, course, jobs: int = 2) -> None:
        self.course = course
        self.jobs = jobs


def test_the_scheduler_returns_results_in_the_order_given(tmp_path):
    course = load_course(MINI / "course.yml")
    done = []
    units = [scheduler.Unit("01_basics", lambda: "first"), scheduler.Unit("02_other", lambda: "second")]
    results = scheduler.run(_FakeGrader(course), units, tmp_path, hidden=False,
                            on_done=lambda i, r: done.append((i, r)))
    assert results == ["first", "second"]
    assert sorted(done) == [(0, "first"), (1, "second")]


# -- durations -----------------------------------------------------------------------------------


def test_durations_are_recorded_only_where_the_course_keeps_the_file(tmp_path):
    path = tmp_path / "durations.json"
    durations.record(path, {"01_a": 3.21})
    assert not path.exists()
    path.write_text("{}")
    durations.record(path, {"01_a": 3.21})
    durations.record(path, {"02_b": 1.04})
    assert durations.load(path) == {"01_a": 3.2, "02_b": 1.0}
    path.write_text("not json")
    assert durations.load(path) == {}


def test_the_course_keeps_its_durations_with_the_hidden_tests():
    course = load_course(ROOT / "course.yml")
    recorded = durations.load(course.durations_file)
    assert set(recorded) <= {t.id for t in course.topics}


# -- records -------------------------------------------------------------------------------------


def _stream() -> RecordStream:
    return RecordStream(nonce="n0", expected={"t.py::test_a", "t.py::test_b"})


def test_records_without_the_nonce_or_outside_the_manifest_are_problems_not_passes():
    run = _stream()
    run.feed(encode("forged", Event.RESULT, id="t.py::test_a", outcome="passed"))
    run.feed(encode("n0", Event.RESULT, id="t.py::test_x", outcome="passed"))
    run.feed(b"{not json\n")
    assert run.results == {}
    assert [code for code, _ in run.problems] == [FlagCode.FORGED_RECORD, FlagCode.UNEXPECTED_TEST,
                                                  FlagCode.BAD_RECORD]


def test_a_test_reported_twice_is_an_error():
    run = _stream()
    for _ in range(2):
        run.feed(encode("n0", Event.RESULT, id="t.py::test_a", outcome="passed"))
    assert run.results["t.py::test_a"].outcome is TestOutcome.ERROR


def test_a_timeout_record_is_reworded_for_the_student():
    run = _stream()
    run.feed(encode("n0", Event.START, id="t.py::test_a"))
    run.feed(encode("n0", Event.RESULT, id="t.py::test_a", outcome="timeout",
                    message="Timeout (>3.0s) from pytest-timeout."))
    result = run.results["t.py::test_a"]
    assert result.outcome is TestOutcome.TIMEOUT
    assert result.message.startswith("did not finish within 3 s and was stopped")
    assert run.current is None


def test_an_unknown_outcome_is_an_error():
    run = _stream()
    run.feed(encode("n0", Event.RESULT, id="t.py::test_a", outcome="great"))
    assert run.results["t.py::test_a"].outcome is TestOutcome.ERROR


def test_the_deadline_follows_the_test_in_flight():
    run = _stream()
    run.feed(encode("n0", Event.START, id="t.py::test_a"))
    assert run.deadline(3, grace=0.5, idle_limit=60) == pytest.approx(run.current_since + 3.5)


# -- scoring -------------------------------------------------------------------------------------


def test_points_are_shared_by_an_exercises_tests_and_a_skip_earns_nothing():
    course = load_course(MINI / "course.yml")
    topic = course.topic("02_other")
    ids = ["test_other.py::TestDouble::test_a", "test_other.py::TestDouble::test_b"]
    outcomes = {ids[0]: TestRun(ids[0], TestOutcome.PASSED), ids[1]: TestRun(ids[1], TestOutcome.SKIPPED, "why")}
    result = scoring.score_topic(course, topic, ids, outcomes, [])
    assert [t.status for t in result.tests] == [Status.PASSED, Status.FAILED]
    assert result.score == 1.0 and result.max_score == 2.0
    assert "skipped tests earn no points" in result.tests[1].message


def test_a_test_of_no_exercise_is_flagged():
    course = load_course(MINI / "course.yml")
    result = scoring.score_topic(course, course.topic("02_other"), ["test_other.py::TestNothing::test_a"], {}, [])
    assert {f.code for f in result.flags} == {FlagCode.UNASSIGNED_TEST, FlagCode.EXERCISE_WITHOUT_TESTS}


# -- reports and the CLI -------------------------------------------------------------------------


def _result(score_all: bool) -> GradeResult:
    tests = (TestResult("t.py::TestAdd::test_a", "add", Status.PASSED, 2.0),
             TestResult("t.py::TestAdd::test_b", "add", Status.PASSED if score_all else Status.FAILED, 2.0, "no"))
    return GradeResult((TopicResult("01_basics", "Basics", tests),), "fake", (Flag(FlagCode.SANDBOX, "note"),))


def test_the_cli_offers_exactly_the_registered_formats():
    assert set(cli.FORMATS) == set(formats.FORMATS)
    for name in cli.FORMATS:
        assert formats.render(_result(True), name)


def test_flag_codes_are_written_as_text():
    data = json.loads(formats.render(_result(True), "json"))
    assert data["schema"] == "grader-result/1" and data["flags"][0]["code"] == "sandbox"


@pytest.mark.parametrize(("full_marks", "fail_under", "code"), [
    (True, "full", 0), (False, "full", 1), (False, "2", 0), (False, "2.5", 1), (False, None, 0)])
def test_fail_under_sets_the_exit_code(monkeypatch, tmp_path, capsys, full_marks, fail_under, code):
    import grader.grading.grader as grading

    class Grader:
        def __init__(self, course, jobs=None):
            pass

        def grade(self, submission, topics=None):
            return _result(full_marks)

    monkeypatch.setattr(grading, "Grader", Grader)
    extra = ["--fail-under", fail_under] if fail_under else []
    argv = ["--course", str(MINI / "course.yml"), "grade", str(tmp_path), "--format", "json", *extra]
    assert cli.main(argv) == code
    out, err = capsys.readouterr()
    assert json.loads(out)["score"] == (4.0 if full_marks else 2.0)  # the report is written either way
    assert ("below --fail-under" in err) == bool(code)


@pytest.mark.parametrize("bad", ["most", "-1", "nan"])
def test_fail_under_rejects_what_is_not_a_score(bad, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["grade", "x", "--fail-under", bad])
    assert exc.value.code == 2


def test_every_command_has_a_handler():
    import importlib

    for name, target in cli.COMMANDS.items():
        module, _, function = target.partition(":")
        assert callable(getattr(importlib.import_module(module), function)), name


# -- the protocol, the atomic write --------------------------------------------------------------


def test_a_dump_header_reads_back():
    line = dump_header(12, 1, "python3").decode()
    assert parse_header(line.strip()) == ("12", "1", "python3")
    assert parse_header("@@grader-forensics nonsense") is None


def test_the_atomic_write_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out.json"
    write_atomic(target, "one")
    write_atomic(target, "two")
    assert target.read_text() == "two" and [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_the_atomic_write_writes_through_a_device(tmp_path):
    write_atomic(Path("/dev/null"), "nothing")
    assert Path("/dev/null").exists() and not Path("/dev/null").is_file()


# -- the red-team corpus's case files ------------------------------------------------------------

CASE_KEYS = {"about", "covers", "base", "setup", "requires", "env", "expect", "portable", "linux"}
EXPECT_KEYS = {"score", "score_range", "status", "message", "topic_message", "flags", "no_flags", "flags_exact",
               "max_duration", "network", "canary", "note"}
TIER_KEYS = EXPECT_KEYS | {"note", "skip", "requires_root"}


@pytest.mark.parametrize("case", sorted(p.name for p in (ROOT / "tests/redteam/cases").iterdir()))
def test_red_team_case_files_are_strict(case):
    """Every key of case.yml is one tests/redteam/README.md documents; flags are real flag codes."""
    meta = yaml.safe_load((ROOT / "tests/redteam/cases" / case / "case.yml").read_text())
    assert set(meta) <= CASE_KEYS, set(meta) - CASE_KEYS
    assert {"about", "covers", "expect"} <= set(meta)
    assert meta.get("base", "solution") in ("solution", "stub")
    assert meta.get("setup") in (None, "symlink_to_solution", "pyc_shadow", "symlink_topic_folder", "symlink_exercises",
                                 "symlink_submission", "zip_encrypted", "zip_bad_method", "zip_undecodable_name")
    assert set(meta.get("requires") or []) <= {"tasks", "memory"}
    assert set(meta["expect"]) <= EXPECT_KEYS, set(meta["expect"]) - EXPECT_KEYS
    for tier in ("portable", "linux"):
        assert set(meta.get(tier) or {}) <= TIER_KEYS, set(meta.get(tier) or {}) - TIER_KEYS
    codes = {c.value for c in FlagCode}
    for section in (meta["expect"], meta.get("portable") or {}, meta.get("linux") or {}):
        for key in ("flags", "no_flags", "flags_exact"):
            assert set(section.get(key) or []) <= codes, set(section.get(key) or []) - codes


def test_flag_codes_read_as_text_in_every_renderer():
    result = _result(True)
    assert "flag [sandbox]" in formats.render(result, "table")
    from grader.report import gradebook

    row = gradebook.render([("al", result)]).splitlines()[1]
    assert row.endswith(",sandbox") and "-:" not in row


def test_a_record_event_may_be_named_by_its_text():
    """The reporter is reachable from the test process (the red-team case forge_private_channel
    calls it with plain strings): the protocol must not make that look harder than it is."""
    assert encode("n", "result", id="x") == encode("n", Event.RESULT, id="x")


# -- the visible suite: collected and run by one process -------------------------------------------


class _ScriptedSandbox:
    """Each run sends the next script's records (``(event, fields)`` pairs) and ends with its
    Outcome; the argv of every run is kept."""

    tier = "fake"

    def __init__(self, *scripts):
        self.scripts = list(scripts)
        self.argvs = []

    def channel(self, nonce):
        class Channel:
            args: list = []
            on_forensics = None

            def close(self):
                pass

        Channel.nonce = nonce
        return Channel()

    def run(self, argv, *, cwd, env, channel, on_record, deadline, readable=()):
        from grader.sandbox.base import Outcome

        self.argvs.append(list(argv))
        records, returncode = self.scripts.pop(0)
        for event, fields in records:
            on_record(encode(channel.nonce, event, **fields))
        return Outcome(returncode, False, "", False, False)


def _runner(sandbox):
    from grader.grading.runner import Timing, TopicRunner

    return TopicRunner(sandbox, timing=Timing(grace=0.1, idle_limit=1.0))


def test_the_visible_run_collects_and_runs_in_one_process_then_resumes_after_a_crash(tmp_path):
    ids = ["test_v.py::test_a", "test_v.py::test_b", "test_v.py::test_c"]
    sandbox = _ScriptedSandbox(
        ([(Event.COLLECTED, {"ids": ids}), (Event.START, {"id": ids[0]}),
          (Event.RESULT, {"id": ids[0], "outcome": "passed"}), (Event.START, {"id": ids[1]})], -9),
        ([(Event.COLLECTED, {"ids": ids[2:]}), (Event.START, {"id": ids[2]}),
          (Event.RESULT, {"id": ids[2], "outcome": "failed", "message": "assert 1 == 2"}),
          (Event.END, {"rc": 1})], 1),
    )
    test_file = tmp_path / "test_v.py"
    collected, report, error = _runner(sandbox).run_file(test_file, tmp_path, timeout=5)
    assert (collected, error) == (ids, "")
    assert [report.outcomes[i].outcome for i in ids] == ["passed", "error", "failed"]
    assert "killed by signal 9" in report.outcomes[ids[1]].message
    assert report.runs == 2
    assert sandbox.argvs[0][-1] == str(test_file), "the first run names the file: it collects"
    assert sandbox.argvs[1][-1:] == [f"{test_file}::test_c"], "the resumed run names what is left"
    assert not report.flags


def test_the_visible_run_reports_a_collection_error_as_one_message(tmp_path):
    sandbox = _ScriptedSandbox(([(Event.COLLECT_ERROR, {"id": "test_v.py", "message": "ImportError: no races"}),
                                 (Event.END, {"rc": 2})], 2))
    collected, report, error = _runner(sandbox).run_file(tmp_path / "test_v.py", tmp_path, timeout=5)
    assert collected == [] and not report.outcomes
    assert error == "collecting test_v.py failed: ImportError: no races"


def test_the_visible_run_still_refuses_results_for_tests_it_did_not_collect(tmp_path):
    sandbox = _ScriptedSandbox(([(Event.RESULT, {"id": "test_v.py::forged", "outcome": "passed"}),
                                 (Event.COLLECTED, {"ids": ["test_v.py::test_a"]}),
                                 (Event.RESULT, {"id": "test_v.py::test_b", "outcome": "passed"}),
                                 (Event.START, {"id": "test_v.py::test_a"}),
                                 (Event.RESULT, {"id": "test_v.py::test_a", "outcome": "passed"}),
                                 (Event.END, {"rc": 0})], 0))
    collected, report, _ = _runner(sandbox).run_file(tmp_path / "test_v.py", tmp_path, timeout=5)
    assert collected == ["test_v.py::test_a"] and report.outcomes["test_v.py::test_a"].outcome == "passed"
    unexpected = [f.message for f in report.flags if f.code == FlagCode.UNEXPECTED_TEST]
    assert len(unexpected) == 2 and "forged" in unexpected[0] and "test_b" in unexpected[1]


def test_a_students_check_takes_the_portable_tier_unless_one_is_named(monkeypatch):
    from grader.sandbox.choose import make_sandbox

    monkeypatch.delenv("GRADER_SANDBOX", raising=False)
    assert make_sandbox(practice=True).tier == "portable"
    monkeypatch.setenv("GRADER_SANDBOX", "basic")
    assert make_sandbox(practice=True).tier == "basic"


def test_validate_only_takes_a_name_or_a_shell_pattern():
    from grader.authoring.validate import chosen
    from grader.errors import GraderError

    course = load_course(MINI / "course.yml")
    topics = course.select(None)
    everything = [c.name for c in chosen(course, topics, None)]
    assert {"solution", "stub"} <= set(everything)
    assert [c.name for c in chosen(course, topics, "stub")] == ["stub"] * len(topics)
    mutant = next(n for n in everything if n not in ("solution", "stub"))
    by_pattern = {c.name for c in chosen(course, topics, mutant[:3] + "*")}
    assert mutant in by_pattern and not by_pattern & {"solution", "stub"}
    assert {c.name for c in chosen(course, topics, f"stub, {mutant}")} == {"stub", mutant}
    with pytest.raises(GraderError, match=r"--only nothing\*: no solution, stub or mutant"):
        chosen(course, topics, "nothing*")
