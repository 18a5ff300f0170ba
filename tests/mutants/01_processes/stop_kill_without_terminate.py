"""stop_worker() goes straight to kill(): a worker that would end on SIGTERM, or clean up, is never asked.

Loses: stop_worker
"""


def stop_worker(proc, grace):
    proc.kill()
    proc.join()
    return proc.exitcode
