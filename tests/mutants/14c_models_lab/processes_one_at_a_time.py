"""run_processes submits each call and waits for its result before submitting the next: one process works at a time.

Loses: cpu_runner
"""


def run_processes(fn, items, workers):
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        return [pool.submit(fn, x).result() for x in items]
