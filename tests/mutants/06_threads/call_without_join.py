"""call_in_thread starts the thread but does not join it, so it returns before fn has finished.

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
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")
