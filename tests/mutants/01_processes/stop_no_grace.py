"""stop_worker() sends SIGTERM and SIGKILL back to back: a worker gets no time to clean up.

Loses: stop_worker
"""


def stop_worker(proc, grace):
    proc.terminate()
    proc.join(0.01)
    if proc.is_alive():
        proc.kill()
        proc.join()
    return proc.exitcode
