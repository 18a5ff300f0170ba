"""call_in_thread keeps the outcome in one module-level dict, so calls from several threads at once overwrite each other's results.

Loses: call_in_thread
"""

import threading

_outcome = {}


def _run_and_store(fn, args):
    _outcome.clear()
    try:
        _outcome["result"] = fn(*args)
    except BaseException as exc:
        _outcome["error"] = exc


def call_in_thread(fn, *args):
    thread = threading.Thread(target=_run_and_store, args=(fn, args))
    thread.start()
    thread.join()
    if "error" in _outcome:
        raise _outcome["error"]
    return _outcome.get("result")
