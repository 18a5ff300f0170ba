"""asyncio: coroutines, tasks, gather, wait, cancellation, Semaphore, TaskGroup and timeouts.

* ``slow_square``     await a delay without blocking the event loop.
* ``bounded_gather``  run many fetches concurrently, at most ``limit`` at a time, results in order.
* ``first_done``      the first result wins: ``asyncio.wait(FIRST_COMPLETED)``, cancel the rest.
* ``all_or_nothing``  all results, or none: one failure or the deadline cancels everything.
* ``queue_pipeline``  a producer and N consumers on an ``asyncio.Queue``, with a clean shutdown.
* ``handle_echo``, ``echo_server``  a line echo server on asyncio streams that stops cleanly.
* ``AsyncCache``      fix this program: an async memo cache that fetches the same key twice.
* ``worker``, ``shutdown``  fix this program: workers that ignore their cancellation, and a
  shutdown that does not wait for them.
* ``with_timeout``    await a coroutine for at most ``timeout`` seconds, its clean-up included.
* ``Service``         a ready signal: tasks wait, with a timeout, until a start has finished.
* ``serve_until_terminated``  a service that stops gracefully on SIGTERM: the job in progress
  finishes, no new one starts, the clean-up runs and the previous SIGTERM handler is back.

Every function here is an ``async def``: call it with ``await`` from another coroutine, or run it
with ``asyncio.run(...)``. ``fetch`` arguments are async functions: ``await fetch(x)``.
Nothing may block the event loop: no ``time.sleep``, no ``loop.run_until_complete`` inside a
coroutine. Everything works on Python 3.10 to 3.14.
"""

from __future__ import annotations

import asyncio
import signal


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

    * Never more than ``limit`` fetches are running at any moment, and as many as that are (all of
      them when there are fewer items). Each call of ``bounded_gather`` has a limit of its own.
    * A waiting fetch starts as soon as ANY running one finishes, not when a whole batch of
      ``limit`` has finished.
    * If a fetch raises, ``bounded_gather`` raises that exception. A fetch that raises frees its
      slot all the same: no other fetch stays blocked waiting for it.
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


class AsyncCache:
    """Fix this program: a memo cache in front of a slow async ``fetch``.

    * ``AsyncCache(fetch)``: ``fetch`` is an async function; ``self.values`` holds the values
      fetched so far, by key.
    * ``await cache.get(key)``: the value of ``await fetch(key)``, fetched once and remembered:
      a later ``get(key)`` returns it without fetching again.

    However many tasks call ``get`` at once:

    * ``fetch`` runs at most once per key: while the fetch of a key is in flight, the other
      callers of ``get`` for that key wait for it and get its value, instead of fetching too.
    * A fetch of one key never holds up a fetch of another: different keys are fetched at the
      same time.
    * If ``fetch(key)`` raises, the exception reaches the caller whose fetch it was, and nothing is
      remembered: a later ``get(key)`` fetches again. A caller that was waiting for that fetch
      gets the same exception, or fetches in its turn (still one fetch of a key at a time); it
      never waits for ever.

    As shipped, two tasks that ask for the same missing key both fetch it. Fix it.
    """

    def __init__(self, fetch):
        self.fetch = fetch
        self.values = {}

    async def get(self, key):
        if key in self.values:
            return self.values[key]
        value = await self.fetch(key)
        self.values[key] = value
        return value


async def worker(name, jobs, handle, log):
    """Fix this program (with ``shutdown`` below): one worker of a pool.

    * Log ``f"{name} started"`` (``log`` is a list: append to it), then forever: take the next
      job from ``jobs`` (an ``asyncio.Queue``), ``await handle(job)``, then ``jobs.task_done()``.
    * A job whose ``handle`` raises an ``Exception`` is logged as ``f"{name} failed {job!r}"``, and
      the worker goes on with the next job: one bad job does not stop it.
    * The worker runs until it is cancelled, wherever it waits: for a job, or inside
      ``handle(job)``. Then it logs ``f"{name} stopped"`` (last) and ends cancelled: the
      ``CancelledError`` propagates, so whoever cancelled it sees it stop.
    """
    log.append(f"{name} started")
    try:
        while True:
            job = await jobs.get()
            try:
                await handle(job)
            except:  # a failing job must not stop the worker
                log.append(f"{name} failed {job!r}")
            finally:
                jobs.task_done()
    finally:
        log.append(f"{name} stopped")


async def shutdown(tasks, timeout):
    """Fix this program (with ``worker`` above): stop ``tasks`` and wait until they have all
    finished; return the exceptions of those that failed.

    * Cancel every task, then wait until each one has finished, its clean-up (``finally``
      blocks) included: when ``shutdown`` returns, no task of ``tasks`` is still running.
    * A task that ended cancelled, or that returned, is fine. A task that ended with an
      exception (before the shutdown, or while it cleaned up) is reported: return the list of
      those exceptions, in the order of ``tasks``, instead of raising them. One failure must not
      stop ``shutdown`` from waiting for the others. ``tasks`` may be empty: return ``[]``.
    * Wait at most ``timeout`` seconds in all (``None``: no limit). If a task has still not
      finished by then (it ignores its cancellation), raise ``TimeoutError``: never return as if
      everything had stopped, and never wait for ever.

    As shipped, the workers ignore a cancellation that arrives while they handle a job, and
    ``shutdown`` returns while the tasks are still cleaning up. Fix both.
    """
    for task in tasks:
        task.cancel()
    return [task.exception() for task in tasks
            if task.done() and not task.cancelled() and task.exception() is not None]


async def with_timeout(coro, timeout):
    """Await ``coro`` (a coroutine) for at most ``timeout`` seconds; return its result.

    * ``timeout=None`` means no limit: wait for as long as ``coro`` takes.
    * If ``coro`` has not finished after ``timeout`` seconds, cancel it, wait until it has finished
      cancelling (its ``finally`` blocks have run: it may be closing a connection), then raise
      ``TimeoutError``. Raise the built-in ``TimeoutError`` on every version: on 3.10,
      ``asyncio.wait_for`` raises ``asyncio.TimeoutError``, a different class there.
    * An exception that ``coro`` raises propagates. If the caller cancels
      ``with_timeout`` while it waits, ``coro`` is cancelled too and the ``CancelledError``
      propagates.

    ``asyncio.wait_for(coro, timeout)`` does all of this (3.11+ also has ``async with
    asyncio.timeout(timeout):``); only the class of its timeout error needs care on 3.10.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


class Service:
    """A service that starts once while other tasks wait until it is ready.

    * ``Service()`` may be created anywhere, inside or outside a running event loop. Each
      ``Service`` has a state of its own, and is used from one event loop.
    * ``await service.start(init)``: await ``init()`` (an async function: the slow set-up) and
      return its result; the service is ready from then on. If ``init()`` raises, ``start``
      raises that exception and the service has failed. ``start`` is called once.
    * ``await service.ready(timeout=None)``: return (``None``) once the service is ready: at once
      if it is ready already, else as soon as ``start`` has finished, for every task waiting,
      however many. A waiting task is suspended until then: nothing polls on a timer.
    * If the start failed, before or while a task waits, ``ready`` raises the exception of
      ``init``: no task waits for ever for a service that will never be ready.
    * If the service is still not ready after ``timeout`` seconds (``None``: no limit), ``ready``
      raises the built-in ``TimeoutError``, also on 3.10. A task whose ``ready`` times out or is
      cancelled leaves no task of its own running, and changes nothing for ``start`` or for the
      other tasks waiting.
    """

    def __init__(self):
        # YOUR CODE HERE
        raise NotImplementedError()

    async def start(self, init):
        # YOUR CODE HERE
        raise NotImplementedError()

    async def ready(self, timeout=None):
        # YOUR CODE HERE
        raise NotImplementedError()


async def serve_until_terminated(jobs, handle, cleanup, on_ready=None):
    """Serve jobs from the ``asyncio.Queue`` ``jobs`` until SIGTERM asks the service to stop; then
    stop gracefully and return the jobs handled, in order.

    * Install a SIGTERM handler in the running event loop with ``loop.add_signal_handler`` (Unix
      only), then call ``on_ready()`` (a plain function, if given): the service is ready to be
      stopped from then on.
    * Take the jobs one at a time and ``await handle(job)`` for each; a job that ``handle`` has
      finished counts as handled.
    * When SIGTERM arrives, take no new job (jobs still queued stay in the queue), let the job in
      progress finish (it is never cancelled), and stop waiting for new jobs at once if there is
      none in progress. Then return the list of jobs handled: the process exits normally, with exit
      code 0, instead of being killed by the signal (exit code -15).
    * Whatever ends the service (SIGTERM, or an exception from ``handle``, which propagates; jobs
      after the failed one are not taken), ``await cleanup()`` runs once, and the SIGTERM
      handler is removed: the SIGTERM handler that was in place before the call is in place again
      when it returns or raises.
    """
    # YOUR CODE HERE
    raise NotImplementedError()
