"""call_in_thread catches only Exception in the thread, so a SystemExit (sys.exit() in fn) is swallowed and the caller gets None.

Loses: call_in_thread
"""

import threading


def call_in_thread(fn, *args):
    outcome = {}

    def target():
        try:
            outcome["result"] = fn(*args)
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")
