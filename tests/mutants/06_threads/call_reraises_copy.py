"""call_in_thread raises a new exception of the same type (type(exc)(*exc.args)) instead of the very exception object fn raised.

Loses: call_in_thread
"""

import threading


def call_in_thread(fn, *args):
    outcome = {}

    def target():
        try:
            outcome["result"] = fn(*args)
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        exc = outcome["error"]
        raise type(exc)(*exc.args)
    return outcome["result"]
