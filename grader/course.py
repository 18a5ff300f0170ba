"""``course.yml``: the typed, frozen model of the course and its loader.

List order is course order. Every field has an explicit default, documented here. Loading a
broken file raises ``CourseError`` whose message is one line naming the file, the key and what
is wrong (``course.yml: topics[1].exercises[0].points: must be an integer (got 'four')``).
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, ValidationError, field_validator, model_validator
from pydantic_core import core_schema

from grader.errors import CourseError
from grader.yaml_load import safe_load

FORMAT_VERSION = 1
_NAME = r"^[a-z][a-z0-9_]*$"
_TOPIC_ID = r"^[0-9]{2}[a-z]?_[a-z][a-z0-9_]*$"
"""``04_pool``; a letter after the digits (``12b_event_loop``) slots a topic in without renumbering."""
_CONCEPT = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$"
"""A concept key: a name or a dotted name (``GIL``, ``threading.Lock``, ``asyncio.TaskGroup``)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Defaults(_Frozen):
    timeout: Annotated[float, Field(gt=0, le=600)] = 20
    """Seconds one test may run before it is stopped and scored ``timeout``."""
    points: Annotated[int, Field(ge=0)] = 1
    """Points of an exercise that does not give its own."""


class When(_Frozen):
    """When a hint fits a failure: every key given must match (at least one is required)."""

    message: str = ""
    """A regular expression searched in the failure message (``Pool is still running``)."""
    test: str = ""
    """A glob on the test's name within its file (``TestRunSquares::test_drains*``)."""

    @field_validator("message")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        return pattern

    @model_validator(mode="after")
    def _something(self) -> When:
        if not (self.message or self.test):
            raise ValueError("when: needs message (a regex) or test (a glob)")
        return self

    def matches(self, test_name: str, message: str) -> bool:
        return ((not self.message or re.search(self.message, message[:4000], re.MULTILINE) is not None)
                and (not self.test or fnmatch.fnmatchcase(test_name, self.test)))


class Hint(str):
    """One hint: its text (a ``Hint`` is the ``str`` it shows, so it prints and compares as text)
    and ``when``, the failures it fits (``None``: a plain hint).

    In course.yml a hint is either a plain string or a mapping ``{text: ..., when: {message: REGEX,
    test: GLOB}, zh-CN: ...}`` (``zh-CN``: the hint in Chinese). ``grader hint`` shows every hint in
    order. A failure in a report gets the first hint whose ``when`` matches it
    (``grading.diagnose.hint_for``), never a plain hint: a plain hint says nothing about which
    mistake it is for, so it could point at the wrong one.
    """

    when: When | None = None
    translations: dict[str, str] = {}
    """The hint in other languages: ``{"zh-CN": ...}`` from the mapping's ``zh-CN:`` key (``grader.i18n``)."""

    def __new__(cls, text: str, when: When | None = None, translations: dict[str, str] | None = None) -> Hint:
        hint = super().__new__(cls, text)
        hint.when = when
        hint.translations = dict(translations or {})
        return hint

    def in_language(self, lang: str) -> str:
        """The hint in ``lang``: its translation, or the English when it has none."""
        return self.translations.get(lang) or str(self)

    def fits(self, test_name: str, message: str) -> bool:
        return self.when is not None and self.when.matches(test_name, message)

    @classmethod
    def parse(cls, raw: Any) -> Hint:
        if isinstance(raw, Hint):
            return raw
        if isinstance(raw, str):
            return cls(raw)
        return cls(*_HintSpec.model_validate(raw).parts())

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(cls.parse)


class _HintSpec(_Frozen):
    """A hint written as a mapping (validated here, then kept as a ``Hint``)."""

    text: Annotated[str, Field(min_length=1)]
    when: When | None = None
    zh_cn: str = Field("", alias="zh-CN")
    """The hint in Chinese (``grader --lang zh-CN``, a zh locale, ``grader release --lang zh-CN``)."""

    def parts(self) -> tuple[str, When | None, dict[str, str]]:
        return self.text, self.when, ({"zh-CN": self.zh_cn} if self.zh_cn else {})


class Exercise(_Frozen):
    name: Annotated[str, Field(pattern=_NAME)]
    """Identifier used in commands (``grader hint NAME``) and in mutants' ``Loses:`` lines."""
    points: Annotated[int, Field(ge=0)] | None = None
    """Points for the exercise, shared equally by its hidden tests (default: ``defaults.points``)."""
    tests: str = ""
    """Test class or function, in the topic's visible and hidden files (default: Test<CamelName>)."""
    hints: tuple[Hint, ...] = ()
    """Hints, weakest first: plain strings (shown by ``grader hint``), or ``{text, when}`` mappings that a
    report also attaches to a failure they match (``Hint`` above)."""

    @model_validator(mode="after")
    def _default_tests(self) -> Exercise:
        if not self.tests:
            camel = "Test" + "".join(part.capitalize() for part in self.name.split("_"))
            object.__setattr__(self, "tests", camel)
        return self

    def selects(self, test_name: str) -> bool:
        """Whether a test id relative to its file (``TestX::test_y[spawn]``) belongs here."""
        return test_name == self.tests or test_name.startswith((self.tests + "::", self.tests + "["))


class Topic(_Frozen):
    id: Annotated[str, Field(pattern=_TOPIC_ID)]
    """``NN_name`` or ``NNx_name``: names the folders (course.yml's list order is the course order)."""
    title: Annotated[str, Field(min_length=1)]
    module: Annotated[str, Field(pattern=_NAME)]
    """The student's module: ``exercises/<folder>/<module>.py``."""
    folder: str = ""
    """Folder under exercises/, solutions/, tests/hidden/ and tests/mutants/ (default: ``id``)."""
    visible: str = ""
    """Visible tests, relative to course.yml (default: ``exercises/<folder>/test_<module>.py``)."""
    hidden: str = ""
    """Hidden tests, relative to course.yml (default: ``tests/hidden/<folder>/test_<module>.py``)."""
    timeout: Annotated[float, Field(gt=0, le=600)] | None = None
    """Per-test timeout for this topic (default: ``defaults.timeout``)."""
    files: tuple[str, ...] = ()
    """Extra files of the submission the tests may use, besides ``<module>.py``."""
    requires: tuple[Annotated[str, Field(pattern=_TOPIC_ID)], ...] = ()
    """Ids of the topics this one builds on; each must come EARLIER in the course (course lint)."""
    teaches: tuple[Annotated[str, Field(pattern=_CONCEPT)], ...] = ()
    """Concept keys this topic's lesson explains (``threading.Lock``, ``GIL``, ``Pool``)."""
    uses: tuple[Annotated[str, Field(pattern=_CONCEPT)], ...] = ()
    """Concept keys its lesson and exercises rely on; each must be taught by an earlier topic or
    this one (course lint: ``grader.grading.lint.order_problem``)."""
    exercises: Annotated[tuple[Exercise, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _defaults(self) -> Topic:
        folder = self.folder or self.id
        object.__setattr__(self, "folder", folder)
        if not self.visible:
            object.__setattr__(self, "visible", f"exercises/{folder}/test_{self.module}.py")
        if not self.hidden:
            object.__setattr__(self, "hidden", f"tests/hidden/{folder}/test_{self.module}.py")
        names = [e.name for e in self.exercises]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"exercise names must be unique within a topic (repeated: {', '.join(dupes)})")
        for key in ("requires", "teaches", "uses"):
            values = getattr(self, key)
            repeated = sorted({v for v in values if values.count(v) > 1})
            if repeated:
                raise ValueError(f"{key} lists {', '.join(repeated)} more than once")
        if self.id in self.requires:
            raise ValueError(f"topic {self.id} requires itself")
        return self

    @field_validator("files")
    @classmethod
    def _plain_file_names(cls, files: tuple[str, ...]) -> tuple[str, ...]:
        for name in files:
            if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", name) or name in {"conftest.py", "sitecustomize.py"}:
                raise ValueError(f"{name!r} is not an allowed submission file name")
        return files

    @property
    def module_file(self) -> str:
        return f"{self.module}.py"

    def exercise_for(self, test_name: str) -> Exercise | None:
        return next((e for e in self.exercises if e.selects(test_name)), None)


class Course(_Frozen):
    format_version: int
    """Version of this file's format; the grader refuses a newer one than it knows."""
    title: Annotated[str, Field(min_length=1)]
    defaults: Defaults = Defaults()
    topics: Annotated[tuple[Topic, ...], Field(min_length=1)]
    root: Path = Path(".")
    """Folder holding course.yml (set by ``load``; paths in the file are relative to it)."""

    @field_validator("format_version")
    @classmethod
    def _known_version(cls, version: int) -> int:
        if version != FORMAT_VERSION:
            raise ValueError(f"this grader reads format_version {FORMAT_VERSION}, not {version}")
        return version

    @model_validator(mode="after")
    def _unique(self) -> Course:
        for attr in ("id", "folder", "module"):
            values = [getattr(t, attr) for t in self.topics]
            dupes = sorted({v for v in values if values.count(v) > 1})
            if dupes:
                raise ValueError(f"topic {attr}s must be unique (repeated: {', '.join(dupes)})")
        return self

    def topic(self, topic_id: str) -> Topic:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        known = ", ".join(t.id for t in self.topics)
        raise CourseError(f"no topic {topic_id!r} in course.yml (topics: {known})")

    def points(self, exercise: Exercise) -> int:
        return self.defaults.points if exercise.points is None else exercise.points

    def timeout(self, topic: Topic) -> float:
        return self.defaults.timeout if topic.timeout is None else topic.timeout

    def select(self, topic_ids: list[str] | None) -> list[Topic]:
        """The topics named (an unknown id is a one-line error), or every topic, in course order."""
        return [self.topic(t) for t in topic_ids] if topic_ids else list(self.topics)

    # -- where things are: every path below is built here and nowhere else -------------------

    def path(self, relative: str) -> Path:
        return self.root / relative

    @property
    def course_file(self) -> Path:
        return self.root / "course.yml"

    @property
    def exercises_dir(self) -> Path:
        return self.root / "exercises"

    @property
    def state_file(self) -> Path:
        """The student's progress between runs (``grader check``, ``grader hint``)."""
        return self.root / ".grader" / "state.json"

    @property
    def durations_file(self) -> Path:
        """Recorded run time of each topic's hidden tests: the scheduler starts the longest first."""
        return self.root / "tests" / "hidden" / "durations.json"

    def solution(self, topic: Topic) -> Path:
        return self.root / "solutions" / topic.folder / topic.module_file

    def stub(self, topic: Topic) -> Path:
        return self.exercises_dir / topic.folder / topic.module_file

    def lesson(self, topic: Topic) -> Path:
        return self.exercises_dir / topic.folder / "README.md"

    def visible_tests(self, topic: Topic) -> Path:
        return self.root / topic.visible

    def hidden_tests(self, topic: Topic) -> Path:
        return self.root / topic.hidden

    def mutants_dir(self, topic: Topic) -> Path:
        return self.root / "tests" / "mutants" / topic.folder


def find(explicit: Path | None) -> Path:
    """``explicit``, or the nearest course.yml in the working folder or above."""
    if explicit is not None:
        return explicit
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "course.yml").is_file():
            return folder / "course.yml"
    raise CourseError("no course.yml here or in any parent folder (run inside the course, or pass --course)")


def load(path: str | Path = "course.yml") -> Course:
    """Read and validate ``path``; any problem is a one-line ``CourseError``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CourseError(f"{path}: file not found (run the grader from the course folder or pass --course)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CourseError(f"{path}: cannot read: {exc}") from None
    try:
        data = safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CourseError(f"{path}{where}: invalid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise CourseError(f"{path}: expected a mapping with format_version, title and topics at the top")
    try:
        return Course.model_validate({**data, "root": path.resolve().parent})
    except ValidationError as exc:
        raise CourseError(f"{path}: {_first_error(exc)}") from None


def _first_error(exc: ValidationError) -> str:
    """The first validation error as ``key.path: what is wrong (got X)``."""
    errors = exc.errors(include_url=False)
    # A misspelt key shows up as "unknown key" plus "required key is missing": name the typo.
    err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    key = ""
    for loc in err["loc"]:
        key += f"[{loc}]" if isinstance(loc, int) else (f".{loc}" if key else str(loc))
    key = key or "(top level)"
    if err["type"] == "missing":
        return f"{key}: required key is missing"
    if err["type"] == "extra_forbidden":
        return f"{key}: unknown key (check the spelling; grader/course.py lists the fields)"
    got = f" (got {err['input']!r})" if "input" in err and not isinstance(err["input"], (dict, list)) else ""
    return f"{key}: {_plain(err)}{got}"


def _plain(err: Any) -> str:
    msg = str(err["msg"])
    msg = msg.removeprefix("Value error, ").replace("Tuple should", "List should").replace("tuple", "list")
    if err["type"] == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        return {
            _NAME: "must be a lower-case identifier like parallel_apply",
            _TOPIC_ID: "must look like 04_pool or 12b_event_loop (two digits, an optional letter, underscore, lower-case name)",
            _CONCEPT: "must be a concept key like threading.Lock or GIL (a name or a dotted name)",
        }.get(pattern, msg)
    return msg[0].lower() + msg[1:] if msg else msg
