"""log_events clears the event before writing the line, so whoever sees it cleared may not find the line yet.

Loses: start_daemon_logger
"""


def log_events(event, log_path) -> None:
    while True:
        event.wait()
        event.clear()
        with open(log_path, "a") as fh:
            fh.write("event\n")
