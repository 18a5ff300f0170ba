"""stop_worker() sleeps the whole grace period after terminate() instead of join(grace).

Loses: stop_worker
"""

import time


def stop_worker(proc, grace):
    proc.terminate()
    time.sleep(grace)
    if proc.is_alive():
        proc.kill()
    proc.join()
    return proc.exitcode
