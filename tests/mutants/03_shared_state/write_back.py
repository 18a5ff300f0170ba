"""collect_ids works around the copy by reading the list, appending and writing it back, without a lock.

Loses: collect_ids
"""

import multiprocessing


def append_id(shared, i) -> None:
    ids = shared["ids"]
    ids.append(i)
    shared["ids"] = ids


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
