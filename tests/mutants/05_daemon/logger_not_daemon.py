"""The logger thread is not a daemon, so it keeps the interpreter from exiting.

Loses: start_daemon_logger
"""

import threading


def start_daemon_logger(event: threading.Event, log_path) -> threading.Thread:
    thread = threading.Thread(target=log_events, args=(event, log_path), name="daemon-logger")
    thread.start()
    return thread
