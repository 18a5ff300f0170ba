"""Visible tests for 00_concepts. Run them with:  pytest exercises/00_concepts

A few of the cases the grader checks. The hidden tests ask about other programs and other
numbers, and compare your predictions with what the programs really do, so a table of the
answers below will not pass them: compute each answer from the rules of the lesson.
"""

from __future__ import annotations

import pytest

from concepts import Workload, async_output, choose_model, elapsed, lost_update_finals, thread_outputs


class TestChooseModel:
    def test_pure_python_number_crunching(self):
        assert choose_model(Workload(cpu_seconds=4.0, wait_seconds=0.1)) == ("cpu", "processes")

    def test_downloads_with_a_blocking_library(self):
        assert choose_model(Workload(cpu_seconds=0.01, wait_seconds=2.0)) == ("io", "threads")


class TestElapsed:
    def test_serial(self):
        assert elapsed("serial", 3, 1.0, 2.0, cores=4) == pytest.approx(9.0)

    def test_threads_overlap_their_waits(self):
        assert elapsed("threads", 3, 1.0, 2.0, cores=4) == pytest.approx(5.0)

    def test_unknown_model(self):
        with pytest.raises(ValueError):
            elapsed("greenlets", 3, 1.0, 2.0, cores=4)


class TestThreadOutputs:
    def test_two_threads_one_item_each(self):
        assert thread_outputs([[["a"]], [["b"]]]) == {("a", "b"), ("b", "a")}

    def test_a_locked_block_is_never_split(self):
        outputs = thread_outputs([[["a1", "a2"]], [["b"]]])
        assert outputs == {("a1", "a2", "b"), ("b", "a1", "a2")}


class TestLostUpdateFinals:
    def test_one_thread_loses_nothing(self):
        assert lost_update_finals(1, 5) == {5}

    def test_two_threads_one_increment_each(self):
        assert lost_update_finals(2, 1) == {1, 2}


class TestAsyncOutput:
    def test_the_lesson_example(self):
        worker = [("print", "{} 1"), ("call", "{} 2"), ("sleep", 0), ("print", "{} 3")]
        scripts = [[(op, arg.format(name) if isinstance(arg, str) else arg) for op, arg in worker] for name in "ab"]
        assert async_output(scripts) == ["a 1", "a 2", "b 1", "b 2", "a 3", "b 3"]

    def test_timed_sleeps_end_in_order_of_time(self):
        scripts = [[("sleep", 2), ("print", "slow")], [("sleep", 1), ("print", "fast")]]
        assert async_output(scripts) == ["fast", "slow"]
