"""Sets thread.daemon = True after thread.start(): RuntimeError.

Loses: start_daemon_logger
"""

import threading


def start_daemon_logger(event: threading.Event, log_path) -> threading.Thread:
    thread = threading.Thread(target=log_events, args=(event, log_path), name="daemon-logger")
    thread.start()
    thread.daemon = True
    return thread
