"""log_events waits with a timeout and ignores wait()'s result, so it also logs a line when the wait merely timed out.

Loses: start_daemon_logger
"""


def log_events(event, log_path) -> None:
    while True:
        event.wait(1.0)
        with open(log_path, "a") as fh:
            fh.write("event\n")
        event.clear()
