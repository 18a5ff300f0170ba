"""collect_ids starts each process and joins it before starting the next: never two at once.

Loses: collect_ids
"""

import multiprocessing


def collect_ids(n, ctx=None) -> list[int]:
    ctx = ctx or multiprocessing.get_context()
    with ctx.Manager() as manager:
        shared = manager.dict()
        shared["ids"] = manager.list()
        for i in range(n):
            proc = ctx.Process(target=append_id, args=(shared, i))
            proc.start()
            proc.join()
        return sorted(shared["ids"])
