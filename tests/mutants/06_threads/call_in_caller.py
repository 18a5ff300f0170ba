"""call_in_thread calls thread.run() instead of start(), so fn runs in the caller's thread.

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
    thread.run()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
