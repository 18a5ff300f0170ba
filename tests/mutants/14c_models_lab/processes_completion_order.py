"""run_processes collects results with as_completed: in the order they finish.

Loses: cpu_runner
"""


def run_processes(fn, items, workers):
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(fn, x) for x in items]
        return [f.result() for f in concurrent.futures.as_completed(futures)]
