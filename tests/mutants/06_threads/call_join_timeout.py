"""call_in_thread joins the thread with a fixed timeout (5 s), so for a slower fn it returns None before fn has finished.

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

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(5)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")
