"""parallel_word_count guards the Manager dict with a threading.Lock, which no other process shares.

Under spawn and forkserver the lock cannot even be pickled; under fork each child locks its own copy.

Loses: parallel_word_count
"""

import multiprocessing
import threading


def parallel_word_count(chunks, ctx=None) -> dict[str, int]:
    ctx = ctx or multiprocessing.get_context()
    with ctx.Manager() as manager:
        counts = manager.dict()
        lock = threading.Lock()
        procs = [ctx.Process(target=count_words, args=(chunk, counts, lock)) for chunk in chunks]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(TIMEOUT)
        return dict(counts)
