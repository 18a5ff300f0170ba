"""IPC: talk to child processes through a Pipe and a multiprocessing Queue.

Exercises:
* ``add_up`` + ``pipe_sum``: stream numbers to a child over a duplex Pipe; the child answers with their sum.
* ``put_items`` + ``fan_in``: many producer processes, ONE ``ctx.Queue``, drained by sentinel
  before any ``join()``.
* ``pong`` + ``ping_pong``: parent and child take turns over one duplex Pipe.
* ``collect_results``: fix this program: workers that send large results, joined too early.

Rules for every function here: take ``ctx=None``, use ``ctx = ctx or multiprocessing.get_context()``
and then only ``ctx.Process`` / ``ctx.Queue`` / ``ctx.Pipe``; targets are module-level functions;
pass every Queue or Pipe end to the child as an argument (never through a global).
"""

from __future__ import annotations

import multiprocessing

#: seconds any blocking wait in this module may take before it gives up
TIMEOUT = 10.0


def add_up(conn) -> None:
    """Child side of ``pipe_sum``: receive numbers on ``conn`` until ``None``, then send back their sum.

    Call ``conn.recv()`` in a loop and add up what arrives; ``None`` means "no more numbers".
    Then ``conn.send(total)`` (an ``int``; 0 when no number came) and ``conn.close()``.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def pipe_sum(numbers, ctx=None) -> int:
    """Add up ``numbers`` in a child process, talking to it over one duplex Pipe; return the sum.

    * ``parent_conn, child_conn = ctx.Pipe()`` (duplex: each end can send AND receive; what you
      send on one end comes out of the OTHER end).
    * Start ``ctx.Process(target=add_up, args=(child_conn,))``. The child uses ``child_conn``;
      the parent uses only ``parent_conn`` from now on (close its copy of ``child_conn``).
    * Send each number on its own with ``parent_conn.send(x)``, in order, then send ``None``.
    * Receive the total on ``parent_conn`` (wait at most ``TIMEOUT`` seconds: ``poll(TIMEOUT)``
      tells you whether something arrived), ``join()`` the child, and return the total.
    * If the child dies before answering, raise instead of waiting forever: ``recv()`` raises
      ``EOFError`` once no process holds the child's end any more (hence closing the parent's
      copy), and raise ``TimeoutError`` when ``poll(TIMEOUT)`` says nothing came.

    >>> pipe_sum([1, 2, 3])
    6
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def put_items(produce, i, out_q) -> None:
    """Child side of ``fan_in``: put every item of ``produce(i)`` on ``out_q``, then ``None``.

    ``produce(i)`` returns an iterable of items (never ``None``). Put them one by one with
    ``out_q.put(item)``; the final ``out_q.put(None)`` tells the parent this worker is done.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def fan_in(produce, n_workers, ctx=None) -> list:
    """Run ``produce(i)`` for ``i`` in ``range(n_workers)``, one process each; return all items sorted.

    * Make ONE ``ctx.Queue()`` and start ``ctx.Process(target=put_items, args=(produce, i, queue))``
      for every ``i`` (start them all before you wait for anything). Pass the queue as an
      argument: a ``queue.Queue`` or a module-level queue does not reach spawned children.
    * Drain BEFORE you join: ``get(timeout=TIMEOUT)`` until you have seen one ``None`` per worker,
      keeping every other item. A child that has put data nobody has read yet cannot exit, so
      joining first can wait forever (large items make that certain).
    * Do not use ``empty()`` or ``qsize()`` to decide you are done: a worker may not have put its
      items yet (and ``qsize()`` raises NotImplementedError on macOS).
    * Then ``join()`` every process and return ``sorted(items)``.
    * A worker whose ``produce`` raised dies without its ``None``: the ``get`` then raises
      ``queue.Empty`` after ``TIMEOUT`` seconds; join the processes and let it propagate.

    ``produce`` is a picklable module-level callable; its items are sortable and never ``None``.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def pong(conn, rounds) -> None:
    """Child side of ``ping_pong``: ``rounds`` times, receive ``'ping'`` on ``conn`` and answer ``'pong'``.

    Answer each message as soon as it arrives (``conn.recv()`` then ``conn.send('pong')``), then
    ``conn.close()``.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def ping_pong(rounds, ctx=None) -> list[str]:
    """Play ``rounds`` rounds of ping-pong with a child over one duplex Pipe; return the transcript.

    * ``parent_conn, child_conn = ctx.Pipe()``; start ``ctx.Process(target=pong, args=(child_conn, rounds))``.
      The parent uses only ``parent_conn`` (close its copy of ``child_conn``).
    * Each round: ``parent_conn.send('ping')``, then wait for the answer (``poll(TIMEOUT)``) and
      ``parent_conn.recv()`` it, BEFORE the next ping: strict turns, never two pings in a row.
    * Record every message in the order it crossed the pipe: the ping you sent, then the reply
      you received. ``join()`` the child and return the list, e.g.
      ``['ping', 'pong', 'ping', 'pong']`` for 2 rounds (``[]`` for 0 rounds).
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def payload(i, size) -> bytes:
    """Worker ``i``'s result for ``collect_results``: ``size`` bytes, each of them ``i % 256``."""
    return bytes([i % 256]) * size


def make_result(i, size, out_q) -> None:
    """Child side of ``collect_results``: put the tuple ``(i, payload(i, size))`` on ``out_q``."""
    out_q.put((i, payload(i, size)))


def collect_results(n, size, ctx=None) -> list[bytes]:
    """Fix this program: ``n`` workers each send one result of ``size`` bytes; return them in worker order.

    * Worker ``i`` is ``ctx.Process(target=make_result, args=(i, size, queue))``, all on ONE
      ``ctx.Queue()``; start them all before you wait for anything.
    * Return ``[payload(0, size), ..., payload(n - 1, size)]``: the results ordered by worker
      index, whatever order they arrive in (``[]`` when ``n`` is 0).
    * Take all ``n`` results off the queue first, each with ``get(timeout=TIMEOUT)``, and only
      then ``join()`` the workers: every worker is joined before ``collect_results`` returns.
    * If a worker dies without sending its result, that ``get`` raises ``queue.Empty`` after
      ``TIMEOUT`` seconds: join the workers and let it propagate.

    As shipped, it works for small results and hangs as soon as ``size`` is more than a pipe
    holds (about 64 KiB). Fix it.
    """
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    workers = [ctx.Process(target=make_result, args=(i, size, queue)) for i in range(n)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()  # wait until every worker has finished...
    results = [queue.get(timeout=TIMEOUT) for _ in workers]  # ...then collect what they sent
    return [data for _, data in sorted(results)]
