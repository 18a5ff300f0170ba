"""The test ids of each hidden-test file, collected once per file version and shared by every job."""

from __future__ import annotations

import threading
from pathlib import Path

from grader.grading.runner import TopicRunner

Manifest = tuple[list[str], str]
"""(ids, why they could not be listed: empty when they could)."""


class Manifests:
    def __init__(self, runner: TopicRunner) -> None:
        self.runner = runner
        self._known: dict[tuple[str, int, int], Manifest] = {}
        self._lock = threading.Lock()

    def prefetch(self, test_files: list[Path], work: Path) -> None:
        """List every file not yet known in one collection run (one pytest start-up for all)."""
        missing = []
        for path in dict.fromkeys(test_files):
            key = _key(path)
            with self._lock:
                if key is not None and key not in self._known:
                    missing.append(path)
        if len(missing) < 2:
            return  # one file: the per-topic collection costs the same
        for path, found in self.runner.collect_many(missing, work).items():
            key = _key(path)
            if key is not None and not found[1]:
                with self._lock:
                    self._known[key] = found

    def get(self, test_file: Path, work: Path) -> Manifest:
        key = _key(test_file)
        if key is None:
            return [], f"test file {test_file} not found"
        with self._lock:
            if key in self._known:
                return self._known[key]
        found = self.runner.collect(test_file, work)
        with self._lock:
            self._known[key] = found
        return found


def _key(test_file: Path) -> tuple[str, int, int] | None:
    """A manifest is valid for one version of its file."""
    try:
        info = test_file.stat()
    except FileNotFoundError:
        return None
    return (str(test_file), info.st_mtime_ns, info.st_size)
