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
    ### BEGIN SOLUTION
    await asyncio.sleep(delay)
    return x * x
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    semaphore = asyncio.Semaphore(limit)

    async def one(x):
        async with semaphore:
            return await fetch(x)

    return await asyncio.gather(*(one(x) for x in items))
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    tasks = [asyncio.create_task(fetch(x)) for x in items]
    try:
        done, _pending = await asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()  # does nothing to a task that has already finished
        await asyncio.gather(*tasks, return_exceptions=True)
    if not done:
        raise TimeoutError(f"no fetch finished within {timeout} s")
    return next(iter(done)).result()
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    if hasattr(asyncio, "TaskGroup"):  # Python 3.11+
        async with asyncio.timeout(timeout):
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(fetch(x)) for x in items]
        return [task.result() for task in tasks]
    tasks = [asyncio.create_task(fetch(x)) for x in items]
    try:
        return await asyncio.wait_for(asyncio.gather(*tasks), timeout)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    if consumers < 1:
        raise ValueError(f"consumers must be at least 1, got {consumers}")
    queue = asyncio.Queue(maxsize)
    results = {}
    done = object()  # the sentinel: one per consumer

    async def consume():
        while True:
            try:
                entry = await queue.get()
            except getattr(asyncio, "QueueShutDown", ()):  # 3.13+: shutdown() and the queue is empty
                return
            try:
                if entry is done:
                    return
                index, item = entry
                try:
                    results[index] = await work(item)
                except Exception as exc:  # noqa: BLE001 - the failure is the item's result
                    results[index] = exc
            finally:
                queue.task_done()

    tasks = [asyncio.create_task(consume()) for _ in range(consumers)]
    try:
        count = 0
        for count, item in enumerate(items, 1):
            await queue.put((count - 1, item))
        await queue.join()  # every item taken has been marked task_done()
        if hasattr(queue, "shutdown"):  # Python 3.13+
            queue.shutdown()
        else:
            for _ in tasks:
                await queue.put(done)
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()  # nothing left to do on the normal path; the clean-up on an error
        await asyncio.gather(*tasks, return_exceptions=True)
    return [results[i] for i in range(count)]
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    try:
        while True:
            line = await reader.readline()  # a partial last line at EOF, then b""
            if not line:
                break
            writer.write(line)
            await writer.drain()
    except ConnectionError:
        pass  # the client vanished: nothing left to echo
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except ConnectionError:
            pass
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    handlers, writers = set(), set()

    async def serve(reader, writer):
        task = asyncio.current_task()
        handlers.add(task)
        writers.add(writer)
        try:
            await handle_echo(reader, writer)
        finally:
            handlers.discard(task)
            writers.discard(writer)

    server = await asyncio.start_server(serve, host, port)
    try:
        ready(server.sockets[0].getsockname()[1])
        await stop.wait()
    finally:
        server.close()  # stop accepting
        for writer in list(writers):
            writer.close()  # the handler's readline() then returns b"" and the handler ends
        await asyncio.gather(*handlers, return_exceptions=True)
        await server.wait_closed()  # on 3.12.1+ this also waits for every connection to close
    ### END SOLUTION
