"""stop_worker() reads exitcode right after kill(), before the join() that waits for the process to die.

Loses: stop_worker
"""


def stop_worker(proc, grace):
    proc.terminate()
    proc.join(grace)
    if proc.is_alive():
        proc.kill()
        code = proc.exitcode
        proc.join()
        return code
    return proc.exitcode
