"""stop_worker() kills a worker still alive after join(grace) but returns without joining it again.

Loses: stop_worker
"""


def stop_worker(proc, grace):
    proc.terminate()
    proc.join(grace)
    if proc.is_alive():
        proc.kill()
    return proc.exitcode
