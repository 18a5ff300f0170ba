"""collect_ids stores a plain list in the Manager dict: shared['ids'].append(i) appends to a copy.

Loses: collect_ids
"""

import multiprocessing


def collect_ids(n, ctx=None) -> list[int]:
    ctx = ctx or multiprocessing.get_context()
    with ctx.Manager() as manager:
        shared = manager.dict()
        shared["ids"] = []
        procs = [ctx.Process(target=append_id, args=(shared, i)) for i in range(n)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(TIMEOUT)
        return sorted(shared["ids"])
