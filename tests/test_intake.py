"""Intake never follows a link and never reads anything but a small regular file (fast: no grading)."""

from __future__ import annotations

import os
import threading

import pytest

from grader.course import load
from grader.errors import GraderError
from grader.grading.intake import intake, submission_root
from tests.conftest import MINI

COURSE = load(MINI / "course.yml")
TOPIC = COURSE.topic("01_basics")
SOLUTION = MINI / "solutions" / "01_basics"


def test_a_plain_submission_is_copied(tmp_path):
    (tmp_path / "sub/01_basics").mkdir(parents=True)
    (tmp_path / "sub/01_basics/basics.py").write_text("x = 1\n")
    taken = intake(submission_root(tmp_path / "sub"), TOPIC, tmp_path / "work")
    assert taken.copied == ("basics.py",) and not taken.missing and not taken.refused
    assert (tmp_path / "work/basics.py").read_text() == "x = 1\n"


@pytest.mark.parametrize("layout", ["module", "topic_folder", "exercises"])
def test_a_link_anywhere_on_the_way_is_refused_and_named(tmp_path, layout):
    sub = tmp_path / "sub"
    sub.mkdir()
    if layout == "module":
        (sub / "01_basics").mkdir()
        (sub / "01_basics/basics.py").symlink_to(SOLUTION / "basics.py")
        named = "01_basics/basics.py"
    elif layout == "topic_folder":
        (sub / "01_basics").symlink_to(SOLUTION, target_is_directory=True)
        named = "01_basics"
    else:
        (sub / "exercises").symlink_to(SOLUTION.parent, target_is_directory=True)
        named = "exercises"
    taken = intake(submission_root(sub), TOPIC, tmp_path / "work")
    assert taken.copied == () and taken.missing
    assert any(note.startswith(f"{named} is a symbolic link") for note in taken.refused), taken.refused
    assert not (tmp_path / "work/basics.py").exists()


def test_a_linked_submission_folder_is_refused(tmp_path):
    (tmp_path / "alice").symlink_to(SOLUTION.parent, target_is_directory=True)
    with pytest.raises(GraderError, match="symbolic link"):
        submission_root(tmp_path / "alice")


def test_a_fifo_in_place_of_the_module_is_refused_without_blocking(tmp_path):
    (tmp_path / "sub/01_basics").mkdir(parents=True)
    os.mkfifo(tmp_path / "sub/01_basics/basics.py")
    done: list = []
    worker = threading.Thread(target=lambda: done.append(intake(tmp_path / "sub", TOPIC, tmp_path / "work")),
                              daemon=True)
    worker.start()
    worker.join(10)
    assert done, "intake blocked on a FIFO"
    assert "not a regular file" in done[0].missing


def test_an_oversized_module_is_refused(tmp_path):
    (tmp_path / "sub/01_basics").mkdir(parents=True)
    (tmp_path / "sub/01_basics/basics.py").write_bytes(b"#" * (300 << 10))
    taken = intake(tmp_path / "sub", TOPIC, tmp_path / "work")
    assert "the limit is" in taken.missing and taken.copied == ()
