"""stop_worker() returns -SIGKILL or -SIGTERM by which signal it sent last, not the process's exitcode.

Loses: stop_worker
"""

import signal


def stop_worker(proc, grace):
    proc.terminate()
    proc.join(grace)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return -signal.SIGKILL
    return -signal.SIGTERM
