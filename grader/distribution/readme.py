"""The student repository's README.md, written by ``grader release``.

Its commands work as written on Linux, macOS and Windows: the venv is activated (or the command
called by its path) before ``grader`` is used, and the examples name the course's own first topic
and exercise. It names every student command; a test runs each ``grader`` line of it in a release.
"""

from __future__ import annotations

from grader.course import Course
from grader.student.repository import MARKER

SETUP_POSIX = "```bash\npython3 -m venv .venv\nsource .venv/bin/activate\npip install -e .\ngrader check\n```"
SETUP_WINDOWS = "```\npy -m venv .venv\n.venv\\Scripts\\activate\npip install -e .\ngrader check\n```"
"""The set-up commands of every student README, whatever its language (Linux and macOS; Windows)."""

TEMPLATE = """# {title}

## Set up (once)

Linux and macOS:

{setup_posix}

Windows (PowerShell or cmd):

{setup_windows}

That installs the course's `grader` command and checks every exercise against its visible tests
(all fail at first: the modules are stubs). In every new terminal, activate the venv again
(`source .venv/bin/activate`, or `.venv\\Scripts\\activate` on Windows), or call the command by its
path without activating: `.venv/bin/grader check` (Windows: `.venv\\Scripts\\grader check`).
If PowerShell refuses to run the activation script, run
`Set-ExecutionPolicy -Scope CurrentUser RemoteSigned` once.

## Commands

| command | what it does |
|---|---|
| `grader check` | run the visible tests of every topic: one line per topic, then what to do next |
| `grader check {topic}` | one topic: each failing exercise with its message and a hint |
| `grader check -v` | every topic's failures at once |
| `grader watch {topic}` | check the topic again every time you save a file (Ctrl-C to stop) |
| `grader hint {exercise}` | the next hint for an exercise, weakest first (`--all` for every one) |
| `grader status` | your progress, topic by topic, and the next exercise to do |

Plain pytest works too: `python -m pytest exercises/{folder}`. The visible tests give no points:
they tell you what works. Your grade comes from the course's hidden tests, which check more.
The instructor's commands (`grade`, `validate`, `batch`, ...) need the instructor's repository:
here they say so and stop (this repository is marked as a student copy by `{marker}`).

## How to work

1. Open `exercises/NN_topic/README.md`: the lesson, then the tasks.
2. Fill in `exercises/NN_topic/<module>.py` wherever it says `# YOUR CODE HERE`; keep the names.
3. Check the topic until its visible tests pass, e.g. `grader check {topic}`. Failures come with
   hints from the course; `grader hint {exercise}` gives the next one.
4. Commit and push. The workflow in `.github/workflows/classroom.yml` grades your work with the
   course's hidden tests, which check more than the visible ones: every multiprocessing start
   method (fork, spawn, forkserver), lock order, Pool close/join order, daemon behaviour at exit.

| topic | |
|---|---|
{rows}

## About the grading workflow

The workflow checks out the grader and the hidden tests from a repository your instructor
controls, using a read-only token stored as a secret, then grades your `exercises/` folder. You
have write access to this repository, so you could edit the workflow: it would change what *this*
repository's checks show, not your grade. Instructors grade the official submission themselves
with `grader batch` over the cloned repositories, with the real hidden tests.
"""


def student_readme(course: Course) -> str:
    first = course.topics[0]
    rows = "\n".join(f"| `{t.id}` | {t.title} |" for t in course.topics)
    return TEMPLATE.format(title=course.title, topic=first.id, folder=first.folder, exercise=first.exercises[0].name,
                           marker=MARKER, rows=rows, setup_posix=SETUP_POSIX, setup_windows=SETUP_WINDOWS)
