"""Never calls monkey.patch_all() and makes sleep_sort work anyway with gevent.sleep: the output
is sorted, but time.sleep (in sleep_sort's spec, and in crawl's blocking fetch) still blocks the
whole process.

Loses: sleep_sort, crawl

(As an overlay: put the original blocking functions back, as in forgets_patch_all.)
"""

import importlib as _importlib

import gevent
from gevent import monkey as _monkey

for _name in ("time", "socket", "select", "selectors", "ssl"):
    _module = _importlib.import_module(_name)
    for _attr, _original in _monkey.saved.pop(_name, {}).items():
        setattr(_module, _attr, _original)


def sleep_sort(numbers, unit=0.02) -> list:
    finished = []

    def sleeper(n):
        gevent.sleep(n * unit)
        finished.append(n)

    gevent.joinall([gevent.spawn(sleeper, n) for n in numbers])
    return finished
