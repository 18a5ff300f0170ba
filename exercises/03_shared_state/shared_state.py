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

    Words are ``chunk.split()``. When ``count_words`` returns, ``counts[word]`` has grown by the
    number of times ``word`` occurs in ``chunk``. ``counts`` is a Manager dict proxy and ``lock`` a
    Lock of the same manager, both shared by every worker, and other workers update the same words
    at the same moment: no update, theirs or this one's, may be lost. Every read and update of
    ``counts`` therefore happens while holding ``lock``.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def parallel_word_count(chunks, ctx=None) -> dict[str, int]:
    """Count the words of all ``chunks`` (strings) with one process per chunk; return a plain dict.

    * Each chunk is counted by its own child process running ``count_words``. All of them run at
      the same time (every one is started before any is joined), and every one has been joined
      before ``parallel_word_count`` returns.
    * The children share a dict proxy and a Lock of ONE manager made with ``ctx.Manager()`` (the
      ``counts`` and ``lock`` of ``count_words``). When several chunks hold the same word, its
      count must still be exact.
    * Return a plain ``dict`` (not a proxy) that maps each word to how often it occurs in all the
      chunks together.

    >>> parallel_word_count(["a b a", "b c"])
    {'a': 2, 'b': 2, 'c': 1}
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def append_id(shared, i) -> None:
    """Child side of ``collect_ids``: append ``i`` to the list ``shared['ids']``.

    ``shared`` is a Manager dict whose ``'ids'`` entry is a ``manager.list()`` proxy, shared by every
    worker. When ``append_id`` returns, ``i`` is in the list the manager holds, and an append that
    another worker makes at the same moment is not lost.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def collect_ids(n, ctx=None) -> list[int]:
    """Start ``n`` processes; process ``i`` appends ``i`` to ``shared['ids']``; return the ids sorted.

    * ``shared`` is a dict of one manager made with ``ctx.Manager()``, and its ``'ids'`` entry is the
      list ``append_id`` expects: one that lives in the manager, so that the children's appends
      reach it.
    * Process ``i`` (``i`` in ``range(n)``) runs ``append_id``. All of them run at the same time
      (every one is started before any is joined), and every one has been joined before
      ``collect_ids`` returns.
    * Return a plain ``list`` holding every id exactly once, sorted, built while the manager is
      still running: no append may be lost.

    >>> collect_ids(3)
    [0, 1, 2]
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def increment(counter, n_incr) -> None:
    """Child side of ``shared_counter``: add 1 to ``counter.value`` ``n_incr`` times, safely.

    ``counter`` is a ``ctx.Value('i', 0)`` that other processes increment at the same time. When
    ``increment`` returns, this process has added exactly ``n_incr`` to it, and no increment, this
    process's or another's, may be lost: each whole increment, from its read to its write, holds the
    Value's own lock (``counter.get_lock()``).
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def shared_counter(n_procs, n_incr, ctx=None) -> int:
    """Have ``n_procs`` processes each add 1 to one shared counter ``n_incr`` times; return the total.

    * The counter is one ``ctx.Value('i', 0)`` (a C int in shared memory, with its own lock),
      passed to every process as an argument.
    * The ``n_procs`` children run ``increment``, all at the same time (every one is started before
      any is joined).
    * The total is read only once every child has ended (a ``join(timeout)`` that returns while the
      child is still running does not count), and it must be exactly ``n_procs * n_incr``.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def sum_slice(name, start, stop, slot) -> None:
    """Child side of ``shm_total``: sum numbers ``start``..``stop - 1`` of block ``name`` into ``slot``.

    ``name`` names a SharedMemory block that the parent created, read as 64-bit signed ints (format
    ``'q'``, ``ITEM_SIZE`` bytes each). Store the sum of items ``start`` to ``stop - 1`` (0 for an
    empty range) at index ``slot`` of that block. A sum that does not fit in 64 bits makes the child
    fail instead of storing a wrong number. Before it returns, the child has released every view
    of the block and closed it; it never unlinks the block, which belongs to the parent.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def shm_total(values, n_procs=2, ctx=None) -> int:
    """Sum ``values`` (a non-empty list of ints that fit in 64 bits) in ``n_procs`` child processes.

    * The numbers and the workers' sums travel through SharedMemory that the parent creates
      (``SharedMemory(create=True, ...)``), not through queues or pipes. Each of the ``n_procs``
      children runs ``sum_slice`` on its own slice of ``values``; every value is in exactly one
      slice, and a slice may be empty (more workers than values). A child is given the block's
      name, never the block itself.
    * All the children run at the same time (every one is started before any is joined), and every
      one has been joined before ``shm_total`` returns or raises.
    * Return the sum of ``values``. If a worker failed (its ``exitcode`` is not 0, e.g. its slice
      sum did not fit in 64 bits), raise ``RuntimeError`` instead of returning a total.
    * Whatever happens, the parent, which created the block, frees it once the workers are done:
      after ``shm_total`` returns or raises, ``SharedMemory(name=...)`` raises ``FileNotFoundError``.
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
