"""Notice when code in the run replaced a piece of the test machinery (stdlib only; runs in the sandbox).

Student code shares the interpreter with pytest, the reporter, the probes and the hidden tests, so it
can reach them (through ``sys.modules``, ``gc``, frames) and, say, make a failure report as a pass or
blind the lock-order recorder. Nothing in one process can prevent that, but it can be noticed: after
collection (the hidden tests load the student's module lazily, so no student code has run yet) every
function, class, descriptor and submodule that pytest, pluggy, pytest-timeout, the grader's modules and
the hidden-test modules define is remembered by identity, together with every registered hook
implementation. After each test (fixtures torn down, so every legitimate ``monkeypatch`` is undone)
the reporter asks what differs; anything that does means the results from then on cannot be trusted.

Data (counters, caches, module state) is not compared: it changes legitimately while tests run.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from types import FunctionType, ModuleType
from typing import Any

WATCHED_PREFIXES = ("_pytest", "pytest", "pluggy", "pytest_timeout", "grader", "builtins")
MAX_NAMES = 10


def _watched(name: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in WATCHED_PREFIXES)


def _is_machinery(value: Any) -> bool:
    return isinstance(value, (FunctionType, type, ModuleType, staticmethod, classmethod, property)) or (
        callable(value) and not isinstance(value, (int, float, str, bytes)))


class Snapshot:
    """What the machinery is made of, by identity, at one moment."""

    def __init__(self, extra_modules: Iterable[ModuleType] = (), hooks: Any = None) -> None:
        self._hooks = hooks
        modules = [m for name, m in list(sys.modules.items()) if isinstance(m, ModuleType) and _watched(name)]
        modules += [m for m in extra_modules if isinstance(m, ModuleType)]
        self._entries: dict[tuple[int, str], tuple[Any, Any]] = {}
        self._classes: dict[type, frozenset[str]] = {}
        for module in modules:
            self._remember(module, module.__name__)
        self._impls = self._hook_impls()

    def _remember(self, owner: Any, label: str) -> None:
        try:
            items = list(vars(owner).items())
        except TypeError:
            return
        for attr, value in items:
            if not _is_machinery(value):
                continue
            self._entries[(id(owner), attr)] = (owner, value)
            # Classes defined here: their methods and descriptors too (TestReport, Reporter, LockGraph ...).
            if isinstance(value, type) and getattr(value, "__module__", None) == getattr(owner, "__name__", None):
                # A method added to a subclass overrides its base's: additions count for classes.
                self._classes[value] = frozenset(vars(value))
                self._remember(value, f"{label}.{attr}")

    def _hook_impls(self) -> dict[str, tuple[Any, ...]]:
        if self._hooks is None:
            return {}
        found = {}
        for name in dir(self._hooks):
            caller = getattr(self._hooks, name, None)
            get = getattr(caller, "get_hookimpls", None)
            if callable(get):
                found[name] = tuple(impl.function for impl in get())
        return found

    def changed(self) -> list[str]:
        """Names of what was replaced, added to the hooks or removed since the snapshot (a few)."""
        names: list[str] = []
        for (_, attr), (owner, value) in self._entries.items():
            current = vars(owner).get(attr, _MISSING)
            if current is not value:
                names.append(f"{getattr(owner, '__qualname__', getattr(owner, '__name__', '?'))}.{attr}")
                if len(names) >= MAX_NAMES:
                    return names
        for cls, known in self._classes.items():
            for attr in vars(cls).keys() - known:
                if _is_machinery(vars(cls)[attr]):
                    names.append(f"{cls.__qualname__}.{attr}")
                    if len(names) >= MAX_NAMES:
                        return names
        for name, impls in self._hook_impls().items():
            if impls != self._impls.get(name, impls):
                names.append(f"hook {name}")
                if len(names) >= MAX_NAMES:
                    break
        return names


_MISSING = object()
