"""asyncio: coroutines, tasks, gather, wait, cancellation, Semaphore, TaskGroup and timeouts.

* ``slow_square``     await a delay without blocking the event loop.
* ``bounded_gather``  run many fetches concurrently, at most ``limit`` at a time, results in order.
* ``first_done``      the first result wins: ``asyncio.wait(FIRST_COMPLETED)``, cancel the rest.
* ``all_or_nothing``  all results, or none: one failure or the deadline cancels everything.
* ``queue_pipeline``  a producer and N consumers on an ``asyncio.Queue``, with a clean shutdown.
* ``handle_echo``, ``echo_server``  a line echo server on asyncio streams that stops cleanly.

Every function here is an ``async def``: call it with ``await`` from another coroutine, or run it
with ``asyncio.run(...)``. ``fetch`` arguments are async functions: ``await fetch(x)``.
Nothing may block the event loop: no ``time.sleep``, no ``loop.run_until_complete`` inside a
coroutine. Everything works on Python 3.10 to 3.14.
"""

from __future__ import annotations

import asyncio


async def slow_square(x, delay=0.02):
    """Return ``x * x`` after waiting ``delay`` seconds, without blocking the event loop.

    Wait with ``await asyncio.sleep(delay)``. ``time.sleep(delay)`` would freeze every other task
    for the whole delay, and ``asyncio.sleep(delay)`` without ``await`` does not wait at all (it
    only creates a coroutine object that never runs).
    """
    # YOUR CODE HERE
    raise NotImplementedError()


async def bounded_gather(fetch, items, limit):
    """Await ``fetch(x)`` for every item concurrently, at most ``limit`` at a time; return the
    results in the order of ``items``.

    * Create ONE ``asyncio.Semaphore(limit)`` in this call and hold it (``async with``) around
      each ``await fetch(x)``, so at most ``limit`` fetches are running at any moment.
    * Start them all at once (``asyncio.gather`` or ``asyncio.create_task``): a waiting fetch
      starts as soon as ANY running one finishes, not when a whole batch of ``limit`` has
      finished.
    * If a fetch raises, ``bounded_gather`` raises that exception (as ``asyncio.gather`` does).
      A fetch that raises frees its slot all the same (``async with`` does that), so no other
      fetch stays blocked waiting for it.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


async def first_done(fetch, items, timeout):
    """Run ``fetch(x)`` for every item concurrently; return the result of the first one to
    finish, after cancelling the others.

    * Wrap each call in a task (``asyncio.create_task``) and wait with
      ``asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)``.
      Pass tasks, not coroutines: ``asyncio.wait`` rejects bare coroutines since Python 3.11.
    * Before returning, ``cancel()`` every task that has not finished AND wait until they have
      all finished cancelling (for example ``await asyncio.gather(*tasks,
      return_exceptions=True)``): no task may outlive the call, however it ends (a result, an
      error, the timeout, or the caller cancelling ``first_done`` while it waits: clean up in a
      ``finally`` block, then let the exception or the cancellation propagate).
    * If the first task to finish raised, raise its exception (``task.result()`` does that).
    * If none has finished after ``timeout`` seconds, cancel them all the same way and raise
      ``TimeoutError``.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


async def all_or_nothing(fetch, items, timeout):
    """Run ``fetch(x)`` for every item concurrently and return all the results in the order of
    ``items``, or none of them.

    * If any fetch raises, cancel the others, wait until they have finished cancelling, and
      raise. Raising the exception itself, or an ``ExceptionGroup`` holding it (what
      ``asyncio.TaskGroup`` raises), are both fine.
    * If the fetches have not all finished after ``timeout`` seconds, cancel them all the same
      way and raise ``TimeoutError`` (on 3.10, ``asyncio.wait_for`` raises
      ``asyncio.TimeoutError``, a different class there: that is fine too).
    * No task may outlive the call, however it ends: that includes the caller cancelling
      ``all_or_nothing`` while it waits (a ``TaskGroup`` or a ``finally`` block handles it; the
      ``CancelledError`` then propagates).

    On Python 3.11+ this is ``asyncio.TaskGroup`` inside ``asyncio.timeout(timeout)``. A way
    that works on 3.10 too: ``create_task`` for each, ``await asyncio.wait_for(
    asyncio.gather(*tasks), timeout)``, and in a ``finally`` cancel every task and await them.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


async def queue_pipeline(items, work, consumers, maxsize=1):
    """Pass every item of ``items`` through an ``asyncio.Queue(maxsize)`` to ``consumers``
    consumer tasks that each ``await work(item)``; return the results in the order of ``items``.

    * Exactly ``consumers`` consumer tasks share the work: with enough items, ``consumers`` calls
      of ``work`` run at the same time. ``consumers < 1`` raises ``ValueError``.
    * The producer (``queue_pipeline`` itself) takes items from ``items`` only as the queue has
      room (``await queue.put(...)`` on a queue of ``maxsize``): ``items`` may be a long iterator,
      and it is never read far ahead of the consumers.
    * If ``work(item)`` raises an ``Exception``, the result at that item's place is the exception
      object, and that consumer goes on with the next item: one failing item neither stops nor
      hangs the pipeline.
    * ``queue_pipeline`` returns once every item has been processed (``queue.join()``, which
      needs one ``task_done()`` per item taken), and by then every consumer has stopped: a
      sentinel per consumer, or ``queue.shutdown()`` on 3.13+. No task may outlive the call,
      however it ends: a result, an exception raised while reading ``items`` (raise it), or
      the caller cancelling ``queue_pipeline`` (let the cancellation propagate).
    """
    # YOUR CODE HERE
    raise NotImplementedError()


async def handle_echo(reader, writer):
    """Serve one client of ``asyncio.start_server``: send back every line it sends, as soon as the
    line has arrived, until the client closes its side; then close the connection.

    * A line ends with ``b"\\n"``. Echo each line once it has arrived, without waiting for more.
    * ``reader.readline()`` returns ``b""`` when the client has closed its side. A last line with
      no ``b"\\n"`` (the client closed mid-line) is echoed as it is before that.
    * A client may also vanish at any moment (a reset: ``ConnectionError`` from reading, writing
      or closing). The handler then ends quietly: no exception may escape it.
    * However it ends, close the connection and wait until it is closed
      (``writer.close()``, then ``await writer.wait_closed()``) before returning. If the task is
      cancelled, close the same way and let the cancellation propagate.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


async def echo_server(ready, stop, host="127.0.0.1", port=0):
    """Run a line echo server on ``(host, port)`` with ``asyncio.start_server`` and ``handle_echo``
    until ``stop`` (an ``asyncio.Event``) is set; then shut it down cleanly and return.

    * Once the server accepts connections, call ``ready(p)`` (a plain function) with the port it
      listens on: with ``port=0`` the OS picks a free one, read it from
      ``server.sockets[0].getsockname()[1]``.
    * Serve every client at the same time: one client waiting does not hold up the others.
    * When ``stop`` is set: stop accepting, close every connection still open (their handlers
      end), wait until the server is closed and every handler has finished, and return. Nothing
      may be left behind: no handler task, no open connection, no listening socket.
    * The same clean-up happens if the caller cancels ``echo_server`` (then let the
      ``CancelledError`` propagate).
    """
    # YOUR CODE HERE
    raise NotImplementedError()
