"""run_processes uses a ThreadPoolExecutor: everything runs in this process, under one GIL.

Loses: cpu_runner
"""


def run_processes(fn, items, workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items))
