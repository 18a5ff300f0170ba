"""IPC: talk to child processes through a Pipe and a multiprocessing Queue.

Exercises:
* ``add_up`` + ``pipe_sum``: stream numbers to a child over a duplex Pipe; the child answers with their sum.
* ``put_items`` + ``fan_in``: many producer processes, ONE ``ctx.Queue``, drained by sentinel
  before any ``join()``.
* ``pong`` + ``ping_pong``: parent and child take turns over one duplex Pipe.
* ``collect_results``: fix this program: workers that send large results, joined too early.
* ``offer`` + ``drain``: hand items to a queue without ever blocking, and take what it holds
  without trusting ``empty()``.

Rules for every function here that starts processes: take ``ctx=None``, use
``ctx = ctx or multiprocessing.get_context()`` and then only ``ctx.Process`` / ``ctx.Queue`` /
``ctx.Pipe``; targets are module-level functions; pass every Queue or Pipe end to the child as an
argument (never through a global).
"""

from __future__ import annotations

import multiprocessing
import queue

#: seconds any blocking wait in this module may take before it gives up
TIMEOUT = 10.0


def add_up(conn) -> None:
    """Child side of ``pipe_sum``: receive numbers on ``conn`` until ``None``, then send back their sum.

    Each message before ``None`` is one number; ``None`` means "no more numbers". Answer with
    exactly one message, the sum as an ``int`` (0 when ``None`` came first), then close ``conn``.
    """
    ### BEGIN SOLUTION
    total = 0
    while True:
        number = conn.recv()
        if number is None:
            break
        total += number
    conn.send(total)
    conn.close()
    ### END SOLUTION


def pipe_sum(numbers, ctx=None) -> int:
    """Add up ``numbers`` in a child process, talking to it over one duplex Pipe; return the sum.

    * The child runs ``add_up``; the process and the Pipe come from ``ctx`` (see the module's
      rules). The child talks on its end of the Pipe, the parent on the other end only.
    * The parent sends each number as a message of its own, in order, then one ``None`` (what
      ``add_up`` expects), and receives exactly one message back: the sum.
    * By the time ``pipe_sum`` returns, the child has been joined.
    * If the child dies before answering, raise instead of waiting forever: ``EOFError`` once the
      child is gone, or ``TimeoutError`` when no answer has come within ``TIMEOUT`` seconds. (A
      dead child means end of file only when no other process, the parent included, still holds
      a copy of the child's end.)

    >>> pipe_sum([1, 2, 3])
    6
    """
    ### BEGIN SOLUTION
    ctx = ctx or multiprocessing.get_context()
    parent_conn, child_conn = ctx.Pipe()
    proc = ctx.Process(target=add_up, args=(child_conn,))
    proc.start()
    child_conn.close()  # the child has its own copy; the parent talks on parent_conn only
    try:
        for number in numbers:
            parent_conn.send(number)
        parent_conn.send(None)
        if not parent_conn.poll(TIMEOUT):
            raise TimeoutError(f"the child sent no sum within {TIMEOUT:g} s")
        total = parent_conn.recv()
    finally:
        proc.join(TIMEOUT)
        parent_conn.close()
    return total
    ### END SOLUTION


def put_items(produce, i, out_q) -> None:
    """Child side of ``fan_in``: put every item of ``produce(i)`` on ``out_q``, then ``None``.

    ``produce(i)`` returns an iterable of items (never ``None``). Put them one by one with
    ``out_q.put(item)``; the final ``out_q.put(None)`` tells the parent this worker is done.
    """
    ### BEGIN SOLUTION
    for item in produce(i):
        out_q.put(item)
    out_q.put(None)  # sentinel: this worker has no more items
    ### END SOLUTION


def fan_in(produce, n_workers, ctx=None) -> list:
    """Run ``produce(i)`` for ``i`` in ``range(n_workers)``, one process each; return all items sorted.

    * Every worker runs ``put_items`` and they all run at the same time, all sending to ONE queue;
      the processes and the queue come from ``ctx`` (see the module's rules). ``put_items`` ends
      each worker's items with a ``None``.
    * Return every item of every worker, sorted, without the ``None`` sentinels, also when some
      workers start or finish late: a queue that is empty for a moment does not mean the workers
      are done.
    * Items may be large (1 MB): a child cannot exit while data it put on the queue has not been
      read. No process may be joined (not even with a timeout) before every worker's ``None`` has
      been taken off the queue; every process is joined before ``fan_in`` returns or raises.
    * A worker whose ``produce`` raised dies without its ``None``: then raise ``queue.Empty`` once
      ``TIMEOUT`` seconds have passed without an item. Never wait without a timeout.

    ``produce`` is a picklable module-level callable; its items are sortable and never ``None``.
    """
    ### BEGIN SOLUTION
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    procs = [ctx.Process(target=put_items, args=(produce, i, queue)) for i in range(n_workers)]
    for proc in procs:
        proc.start()
    items = []
    finished = 0
    try:
        while finished < n_workers:
            item = queue.get(timeout=TIMEOUT)
            if item is None:
                finished += 1
            else:
                items.append(item)
    finally:
        for proc in procs:  # every item is off the queue now, so the children can exit
            proc.join(TIMEOUT)
    return sorted(items)
    ### END SOLUTION


def pong(conn, rounds) -> None:
    """Child side of ``ping_pong``: ``rounds`` times, receive ``'ping'`` on ``conn`` and answer ``'pong'``.

    Each ``'pong'`` answers a ``'ping'`` that has already been received, and goes out as soon as
    that ping has arrived: never a pong nobody asked for yet. Close ``conn`` after the last round.
    """
    ### BEGIN SOLUTION
    for _ in range(rounds):
        message = conn.recv()
        if message != "ping":
            raise ValueError(f"expected 'ping', got {message!r}")
        conn.send("pong")
    conn.close()
    ### END SOLUTION


def ping_pong(rounds, ctx=None) -> list[str]:
    """Play ``rounds`` rounds of ping-pong with a child over one duplex Pipe; return the transcript.

    * The child runs ``pong``; the process and the Pipe come from ``ctx`` (see the module's
      rules). The parent sends and receives on one end of that one Pipe, and keeps no copy of the
      child's end.
    * Strict turns: the parent sends ``'ping'`` and receives the child's ``'pong'`` before it
      sends the next ping; never two pings in a row. If an answer has not come within
      ``TIMEOUT`` seconds, raise ``TimeoutError``.
    * Return every message in the order it crossed the pipe, e.g.
      ``['ping', 'pong', 'ping', 'pong']`` for 2 rounds (``[]`` for 0 rounds). By the time
      ``ping_pong`` returns, the child has ended and been joined.
    """
    ### BEGIN SOLUTION
    ctx = ctx or multiprocessing.get_context()
    parent_conn, child_conn = ctx.Pipe()
    proc = ctx.Process(target=pong, args=(child_conn, rounds))
    proc.start()
    child_conn.close()
    transcript = []
    try:
        for _ in range(rounds):
            parent_conn.send("ping")
            transcript.append("ping")
            if not parent_conn.poll(TIMEOUT):
                raise TimeoutError(f"no answer from the child within {TIMEOUT:g} s")
            transcript.append(parent_conn.recv())
    finally:
        proc.join(TIMEOUT)
        parent_conn.close()
    return transcript
    ### END SOLUTION


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
    ### BEGIN STUB
    # for worker in workers:
    #     worker.join()  # wait until every worker has finished...
    # results = [queue.get(timeout=TIMEOUT) for _ in workers]  # ...then collect what they sent
    ### END STUB
    ### BEGIN SOLUTION
    try:
        results = [queue.get(timeout=TIMEOUT) for _ in workers]
    finally:
        for worker in workers:  # every result is off the queue (or none will come): they can all exit
            worker.join(TIMEOUT)
    ### END SOLUTION
    return [data for _, data in sorted(results)]


def offer(q, item) -> bool:
    """Put ``item`` on ``q`` (a ``multiprocessing`` queue, maybe bounded) without ever waiting;
    return whether it went in.

    * If ``q`` has room, ``item`` goes in and ``offer`` returns ``True``.
    * If ``q`` is full, ``offer`` returns ``False`` at once and the item is dropped. The caller is
      never blocked, not even for a moment, also when other processes put on the same queue at
      the same time (a queue that had room a moment ago may be full now).
    * Any other error propagates: a closed queue raises ``ValueError``, and that is a bug to
      report, not a full queue.
    * It works on every platform: ``qsize()`` raises ``NotImplementedError`` on macOS.
    """
    ### BEGIN SOLUTION
    try:
        q.put_nowait(item)  # never waits: raises queue.Full instead
    except queue.Full:  # only this: any other error is a real one
        return False
    return True
    ### END SOLUTION


def drain(q, wait=1.0) -> list:
    """Take every item ``q`` holds, in order, and return them as a list once no item has come for
    ``wait`` seconds.

    * An item someone has put (this process or another one) counts as held by ``q`` although it
      may still be on its way: ``put()`` returns before a feeder thread has written the item to
      the queue's pipe, so ``empty()`` can be ``True`` and ``get_nowait()`` can raise
      ``queue.Empty`` right after a ``put()``. ``drain`` must not miss such items.
    * Return once ``wait`` seconds have passed without a new item (``[]`` for a queue nobody puts
      on): never wait longer than that for an item that may never come.
    * An item that cannot be taken (``get`` raises anything but ``queue.Empty``, for instance an
      item that cannot be unpickled) raises that error: never return a list that silently lacks it.
    * It works on every platform: ``qsize()`` raises ``NotImplementedError`` on macOS.
    """
    ### BEGIN SOLUTION
    items = []
    while True:
        try:
            items.append(q.get(timeout=wait))  # waits for items still in a feeder thread
        except queue.Empty:  # nothing for `wait` seconds: that is all
            return items
    ### END SOLUTION
