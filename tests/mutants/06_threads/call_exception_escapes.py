"""call_in_thread lets fn's exception escape the worker thread, so the caller gets None instead of the error.

Loses: call_in_thread
"""

import threading


def call_in_thread(fn, *args):
    outcome = {}

    def target():
        outcome["result"] = fn(*args)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return outcome.get("result")
