"""Visible tests for 11_gil. Run them with:  pytest exercises/11_gil

These tests never time your machine. They use monkeypatch to pretend the GIL is on or off,
to fake the CPU counts, and to replace the clocks with fake ones that only move when the
measured function says so. The grader's hidden tests check more cases in the same way.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

import gil


@pytest.fixture(autouse=True)
def keep_switch_interval():
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


class TestChooseExecutor:
    def test_io_uses_threads(self):
        assert gil.choose_executor("io") is ThreadPoolExecutor

    def test_cpu_with_and_without_the_gil(self, monkeypatch):
        monkeypatch.setattr(sys, "_is_gil_enabled", lambda: True, raising=False)
        assert gil.choose_executor("cpu") is ProcessPoolExecutor
        monkeypatch.setattr(sys, "_is_gil_enabled", lambda: False, raising=False)
        assert gil.choose_executor("cpu") is ThreadPoolExecutor, "the GIL is off: threads run in parallel"

    def test_unknown_kind(self):
        with pytest.raises(ValueError):
            gil.choose_executor("gpu")


class TestCpuWorkers:
    def test_affinity_not_the_whole_machine(self, monkeypatch):
        monkeypatch.delattr(os, "process_cpu_count", raising=False)  # as on Python 3.10-3.12
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
        monkeypatch.setattr(os, "cpu_count", lambda: 64)
        assert gil.cpu_workers(10) == 2, "this process may only run on 2 of the 64 CPUs"

    def test_capped_and_at_least_one(self):
        assert gil.cpu_workers(1) == 1
        assert gil.cpu_workers(0) == 1


class TestSwitchInterval:
    def test_set_and_restored(self):
        sys.setswitchinterval(0.002)
        with gil.switch_interval(0.0001):
            assert sys.getswitchinterval() == pytest.approx(0.0001)
        assert sys.getswitchinterval() == pytest.approx(0.002)

    def test_restored_after_an_exception(self):
        sys.setswitchinterval(0.002)
        with pytest.raises(KeyError):
            with gil.switch_interval(0.05):
                raise KeyError("boom")
        assert sys.getswitchinterval() == pytest.approx(0.002)


class TestCpuUtilisation:
    def test_with_fake_clocks(self, monkeypatch):
        clock = {"cpu": 10.0, "wall": 100.0}
        monkeypatch.setattr(time, "process_time", lambda: clock["cpu"])
        monkeypatch.setattr(time, "perf_counter", lambda: clock["wall"])

        def busy_half_the_time():
            clock["wall"] += 2.0
            clock["cpu"] += 1.0

        assert gil.cpu_utilisation(busy_half_the_time) == pytest.approx(0.5)

    def test_sleep_uses_no_cpu(self):
        assert gil.cpu_utilisation(time.sleep, 0.1) < 0.5
