"""tally_by_key shares plain dicts instead of manager.dict() proxies: each worker fills its own copy.

Loses: tally_by_key
"""


def tally_by_key(batches, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    with ctx.Manager() as manager:
        counts = {}
        seen_in = {}
        lock = manager.Lock()
        procs = [
            ctx.Process(target=tally_batch, args=(index, batch, counts, seen_in, lock))
            for index, batch in enumerate(batches)
        ]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join()
        return {key: (counts[key], sorted(seen_in[key])) for key in counts}
