"""Shared state between processes: Manager dict/list, Value with its lock, SharedMemory.

Exercises:
* ``count_words`` + ``parallel_word_count``: worker processes add their counts into one
  ``Manager().dict()``, each update under a ``Manager().Lock()``.
* ``append_id`` + ``collect_ids``: workers append to a list kept INSIDE a Manager dict (the
  nested-mutation pitfall).
* ``increment`` + ``shared_counter``: one ``ctx.Value('i')`` incremented by many processes,
  each increment under ``get_lock()``.
* ``sum_slice`` + ``shm_total``: the parent puts numbers in a SharedMemory block, children sum
  slices of it in place; the parent, which created the block, unlinks it.
* ``tally_batch`` + ``tally_by_key``: fix this program. Workers tally keys into two Manager
  dicts, one of them holding plain lists, and lose appends and increments.

Rules for every function here: take ``ctx=None``, use ``ctx = ctx or multiprocessing.get_context()``
and then only ``ctx.*`` (``ctx.Process``, ``ctx.Manager``, ``ctx.Value``); targets are
module-level functions; pass every shared object to the child as an argument.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from multiprocessing.shared_memory import SharedMemory

#: seconds any blocking wait in this module may take before it gives up
TIMEOUT = 10.0

#: bytes per number in shm_total's block: signed 64-bit integers, memoryview/struct format "q"
ITEM_SIZE = 8


def count_words(chunk, counts, lock) -> None:
    """Child side of ``parallel_word_count``: add the words of ``chunk`` into the shared ``counts``.

    Words are ``chunk.split()``. Count them locally first (``collections.Counter``), then for each
    word add its count to ``counts`` (a Manager dict proxy) while holding ``lock``:
    ``counts[word] = counts.get(word, 0) + n`` reads, adds and writes back in three steps, and
    without the lock another process can write in between and its update is lost.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def parallel_word_count(chunks, ctx=None) -> dict[str, int]:
    """Count the words of all ``chunks`` (strings) with one process per chunk; return a plain dict.

    * ``with ctx.Manager() as manager:`` make ``counts = manager.dict()`` and
      ``lock = manager.Lock()``.
    * Start ``ctx.Process(target=count_words, args=(chunk, counts, lock))`` for EVERY chunk before
      you join any (they run at the same time), then join them all.
    * Return ``dict(counts)``, a plain ``dict`` copied while the manager is still running (the
      proxy stops working once the manager shuts down).

    >>> parallel_word_count(["a b a", "b c"])
    {'a': 2, 'b': 2, 'c': 1}
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def append_id(shared, i) -> None:
    """Child side of ``collect_ids``: append ``i`` to the list ``shared['ids']``.

    ``shared`` is a Manager dict whose ``'ids'`` entry is a ``manager.list()`` proxy, so
    ``shared['ids']`` gives you that proxy and ``.append(i)`` changes the list in the manager.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def collect_ids(n, ctx=None) -> list[int]:
    """Start ``n`` processes; process ``i`` appends ``i`` to ``shared['ids']``; return the ids sorted.

    * ``with ctx.Manager() as manager:`` make ``shared = manager.dict()`` and store a NESTED proxy in
      it: ``shared['ids'] = manager.list()``. (If ``shared['ids']`` were a plain ``[]``, reading
      it would return a COPY, and appending to the copy changes nothing in the manager.)
    * Start ``ctx.Process(target=append_id, args=(shared, i))`` for every ``i`` in ``range(n)``,
      then join them all.
    * Return ``sorted(shared['ids'])`` (a plain list), before the manager shuts down.

    >>> collect_ids(3)
    [0, 1, 2]
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def increment(counter, n_incr) -> None:
    """Child side of ``shared_counter``: add 1 to ``counter.value`` ``n_incr`` times, safely.

    ``counter`` is a ``ctx.Value('i', 0)``. ``counter.value += 1`` reads and then writes, taking
    the Value's lock separately for each step, so two processes can read the same number. Hold
    ``counter.get_lock()`` around each whole increment: ``with counter.get_lock(): counter.value += 1``.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def shared_counter(n_procs, n_incr, ctx=None) -> int:
    """Have ``n_procs`` processes each add 1 to one shared counter ``n_incr`` times; return the total.

    * ``counter = ctx.Value('i', 0)`` (a C int in shared memory, with its own lock).
    * Start ``ctx.Process(target=increment, args=(counter, n_incr))`` ``n_procs`` times, all
      before joining any; join them all; return ``counter.value``, which must be exactly
      ``n_procs * n_incr``.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def sum_slice(name, start, stop, slot) -> None:
    """Child side of ``shm_total``: sum numbers ``start``..``stop - 1`` of block ``name`` into ``slot``.

    Attach with ``SharedMemory(name=name)`` (no ``create``). View the bytes as 64-bit ints with
    ``shm.buf.cast('q')``, add up items ``start`` to ``stop - 1`` and store the sum at index
    ``slot``. Release the view (``with shm.buf.cast('q') as view:`` does it), then ``shm.close()``.
    Never ``unlink()`` here: the block belongs to the parent, which created it.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def shm_total(values, n_procs=2, ctx=None) -> int:
    """Sum ``values`` (a non-empty list of ints that fit in 64 bits) in ``n_procs`` child processes.

    * Create ONE block: ``SharedMemory(create=True, size=ITEM_SIZE * (len(values) + n_procs))``:
      ``len(values)`` slots for the numbers, then one result slot per worker.
    * Write the numbers into the first ``len(values)`` slots (``shm.buf.cast('q')``).
    * Worker ``k`` (``k`` in ``range(n_procs)``) runs
      ``ctx.Process(target=sum_slice, args=(shm.name, start, stop, len(values) + k))`` with
      ``start = k * len(values) // n_procs`` and ``stop = (k + 1) * len(values) // n_procs``.
      Pass the block's NAME; each child attaches by name.
    * Start them all, join them all, add up the ``n_procs`` result slots and return the total.
    * If a worker failed (its ``exitcode`` is not 0, e.g. its sum did not fit in 64 bits), raise
      ``RuntimeError`` instead of returning a total.
    * Whatever happens, the parent then calls ``shm.close()`` AND ``shm.unlink()`` (a ``finally``
      block): ``close()`` only drops this process's mapping, ``unlink()`` frees the block itself.
      After ``shm_total`` returns, ``SharedMemory(name=...)`` must raise ``FileNotFoundError``.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def tally_batch(index, batch, counts, seen_in, lock) -> None:
    """Child side of ``tally_by_key``: tally the keys of batch number ``index``.

    For every ``key`` in ``batch``: add 1 to ``counts[key]``, and make sure ``index`` is in the
    list ``seen_in[key]`` (once, however often the key occurs in the batch). ``counts`` and
    ``seen_in`` are Manager dict proxies that every worker shares, and ``lock`` is the one
    ``manager.Lock()`` they all share.
    """
    for key in batch:
        counts[key] = counts.get(key, 0) + 1   # one line: done before anyone can interfere
        with lock:                              # the list is the delicate part: lock it
            seen = seen_in.setdefault(key, [])
            if index not in seen:
                seen.append(index)


def tally_by_key(batches, ctx=None) -> dict:
    """Fix this program: tally keys from several batches in parallel, one process per batch.

    ``batches`` is a list of lists of keys (strings). Return a plain ``dict`` that maps every key
    that occurs in some batch to a tuple ``(count, batch_numbers)``: ``count`` is how many times
    the key occurs in all the batches together, and ``batch_numbers`` is the sorted list of the
    indexes (in ``batches``) of the batches that contain it, each index once.

    >>> tally_by_key([["a", "b", "a"], ["b", "c"]])
    {'a': (2, [0]), 'b': (2, [0, 1]), 'c': (1, [1])}

    The workers run at the same time and share ``counts`` and ``seen_in``, two ``manager.dict()``
    proxies. Keep the rules of this topic: ``ctx = ctx or multiprocessing.get_context()``, the
    manager made with ``ctx.Manager()``, every shared object passed to the workers as an argument.

    As shipped, ``tally_batch`` never records a batch number, and counts come out too low when
    several processes tally the same key at the same moment. Fix it.
    """
    ctx = ctx or multiprocessing.get_context()
    with ctx.Manager() as mgr:
        counts, seen_in, lock = mgr.dict(), mgr.dict(), mgr.Lock()
        workers = [
            ctx.Process(target=tally_batch, args=(index, batch, counts, seen_in, lock))
            for index, batch in enumerate(batches)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        return {key: (counts[key], sorted(seen_in[key])) for key in counts.keys()}
