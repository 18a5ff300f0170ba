"""stop_worker() terminates and waits join(grace), but never kills a worker that ignores SIGTERM.

Loses: stop_worker
"""


def stop_worker(proc, grace):
    proc.terminate()
    proc.join(grace)
    return proc.exitcode
