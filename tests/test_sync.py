"""Stubs are generated from the solutions' markers, and the repository's stubs are in sync."""

import pytest

from grader.authoring.sync import strip_markers, stub_from_solution
from grader.errors import GraderError
from tests.conftest import run_grader

SOLUTION = '''import os


def f(x):
    """Square x."""
    ### BEGIN SOLUTION
    y = x * x
    return y
    ### END SOLUTION


class C:
    def run(self):
        ### BEGIN SOLUTION
        return os.getpid()
        ### END SOLUTION
'''


def test_marked_regions_become_nbgrader_style_stubs_at_their_indentation():
    stub = stub_from_solution(SOLUTION)
    assert "x * x" not in stub and "os.getpid()" not in stub
    assert '    """Square x."""\n    # YOUR CODE HERE\n    raise NotImplementedError()\n' in stub
    assert "        # YOUR CODE HERE\n        raise NotImplementedError()\n" in stub
    compile(stub, "stub.py", "exec")


def test_module_level_region_leaves_an_importable_stub():
    stub = stub_from_solution("X = 1\n### BEGIN SOLUTION\nY = 2\n### END SOLUTION\n")
    assert stub == "X = 1\n# YOUR CODE HERE\n"


def test_strip_markers_gives_the_plain_solution():
    plain = strip_markers(SOLUTION)
    assert "### " not in plain and "y = x * x" in plain


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("### BEGIN SOLUTION\nx\n", "never closed"),
        ("x\n### END SOLUTION\n", "without a ### BEGIN SOLUTION"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n", "inside the region opened at line 1"),
    ],
)
def test_unbalanced_markers_are_reported_with_the_line(text, problem):
    with pytest.raises(GraderError, match=problem):
        stub_from_solution(text, "sol.py")


def test_repository_stubs_match_their_solutions():
    proc = run_grader("sync", "--check")
    assert proc.returncode == 0, proc.stderr


def test_sync_check_reports_drift(tmp_path):
    import shutil

    from tests.conftest import MINI

    course = tmp_path / "mini"
    shutil.copytree(MINI, course)
    stub = course / "exercises/02_other/other.py"
    stub.write_text(stub.read_text() + "\n# edited by hand\n")
    proc = run_grader("--course", str(course / "course.yml"), "sync", "--check")
    assert proc.returncode == 1
    assert "other.py: differs" in proc.stderr
    assert run_grader("--course", str(course / "course.yml"), "sync").returncode == 0
    assert run_grader("--course", str(course / "course.yml"), "sync", "--check").returncode == 0


FIX_THIS = '''class Booth:
    def book(self):
        """Book one seat."""
        ### BEGIN STUB
        # if self.free > 0:
        #     self.free -= 1
        #
        #     return True  # booked
        # return False
        ### END STUB
        ### BEGIN SOLUTION
        with self.lock:
            if self.free > 0:
                self.free -= 1
                return True
            return False
        ### END SOLUTION
'''


def test_a_stub_region_ships_its_uncommented_program_instead_of_the_solution():
    stub = stub_from_solution(FIX_THIS)
    assert "with self.lock" not in stub and "YOUR CODE HERE" not in stub and "###" not in stub
    assert ('        """Book one seat."""\n        if self.free > 0:\n            self.free -= 1\n\n'
            "            return True  # booked\n        return False\n") in stub
    compile(stub, "stub.py", "exec")
    plain = strip_markers(FIX_THIS)
    assert "###" not in plain and "if self.free > 0:\n" in plain and "# if self.free" not in plain


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("### BEGIN STUB\n# x = 1\n", "never closed by ### END STUB"),
        ("### END STUB\n", "without a ### BEGIN STUB"),
        ("### BEGIN STUB\nx = 1\n### END STUB\n### BEGIN SOLUTION\n### END SOLUTION\n", "must be commented out"),
        ("### BEGIN STUB\n# x = 1\n### END STUB\ny = 2\n", "followed at once by ### BEGIN SOLUTION"),
        ("### BEGIN STUB\n# x = 1\n### END STUB\n", "followed at once by ### BEGIN SOLUTION"),
        ("### BEGIN SOLUTION\n### BEGIN STUB\n", "inside the region opened at line 1"),
    ],
)
def test_misplaced_stub_markers_are_reported_with_the_line(text, problem):
    with pytest.raises(GraderError, match=problem):
        stub_from_solution(text, "sol.py")
