"""tally_by_key makes its manager with multiprocessing.Manager(), not the ctx it was given.

Loses: tally_by_key
"""


def tally_by_key(batches, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    with multiprocessing.Manager() as manager:
        counts = manager.dict()
        seen_in = manager.dict()
        lock = manager.Lock()
        procs = [
            ctx.Process(target=tally_batch, args=(index, batch, counts, seen_in, lock))
            for index, batch in enumerate(batches)
        ]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join()
        return {key: (counts[key], sorted(seen_in[key])) for key in counts.keys()}
