"""A topic's result in the student's language (``grader.i18n``): failure messages and hints.

In English nothing changes. In Chinese a failure message is translated line by line, each line whole
or not at all (the topic's ``tests/hidden/<folder>/messages.zh-CN.yml``, then the messages every
topic shares); a hint is the course hint's Chinese text, or a known mistake's explanation from the
grader's catalogue; anything without a translation stays English. Feedback (Markdown, HTML),
Gradescope, GitHub Classroom and the terminal all render the localised result.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

from grader import i18n
from grader.course import Course, Hint, Topic
from grader.result import TopicResult

MESSAGES = "messages.zh-CN.yml"


@functools.lru_cache(maxsize=64)
def _catalogue(path: Path, mtime: float) -> i18n.MessageCatalogue:
    try:
        return i18n.load_messages(path)
    except Exception:  # noqa: BLE001 - a broken catalogue is the course lint's to report; grading goes on in English
        return i18n.MessageCatalogue()


def catalogue(course: Course, topic: Topic) -> i18n.MessageCatalogue:
    """The topic's hidden-test messages, then the shared ones."""
    path = course.hidden_tests(topic).with_name(MESSAGES)
    try:
        own = _catalogue(path, path.stat().st_mtime)
    except OSError:
        own = i18n.MessageCatalogue()
    merged = i18n.MessageCatalogue()
    merged.entries = [*own.entries, *i18n.COMMON_MESSAGES.entries]
    return merged


def hint_text(hint: str, lang: str) -> str:
    """A hint in ``lang``: its own translation (course.yml), the catalogue's, or the hint as it is."""
    if isinstance(hint, Hint) and hint.translations.get(lang):
        return hint.in_language(lang)
    return i18n.CATALOGUE.get(lang, {}).get(str(hint), str(hint))


def localise(course: Course, topic: Topic, result: TopicResult) -> TopicResult:
    lang = i18n.language()
    if lang == i18n.ENGLISH:
        return result
    messages = catalogue(course, topic)
    hints = {str(h): h for e in topic.exercises for h in e.hints}
    tests = tuple(replace(t, message=messages.localise(t.message),
                          hint=hint_text(hints.get(t.hint, t.hint), lang) if t.hint else t.hint)
                  for t in result.tests)
    return replace(result, tests=tests, message=messages.localise(result.message))
