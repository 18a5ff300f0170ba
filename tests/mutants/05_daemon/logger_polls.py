"""log_events polls is_set() in a busy loop with no sleep and clears before writing.

Loses: start_daemon_logger
"""


def log_events(event, log_path):
    while True:
        if event.is_set():
            event.clear()
            with open(log_path, "a") as fh:
                fh.write("event\n")
