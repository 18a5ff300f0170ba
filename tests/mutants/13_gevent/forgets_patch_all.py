"""Forgets `monkey.patch_all()`: time.sleep and sockets keep blocking the whole process, so
greenlets never overlap while they wait.

Loses: sleep_sort, crawl, serve_echo

(An overlay is appended after the solution, which has already patched; so this puts the
original blocking functions back, leaving the module as if it had never called patch_all().)
"""

import importlib as _importlib

from gevent import monkey as _monkey

for _name in ("time", "socket", "select", "selectors", "ssl"):
    _module = _importlib.import_module(_name)
    for _attr, _original in _monkey.saved.pop(_name, {}).items():
        setattr(_module, _attr, _original)
