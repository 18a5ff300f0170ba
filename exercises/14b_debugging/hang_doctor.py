"""Diagnosing hangs yourself: read a faulthandler dump, arm a watchdog, read asyncio's debug log.

* ``deadlock_cause``      which threads of a hung program wait for which lock, from a
                          ``faulthandler`` dump and the program's source.
* ``install_watchdog``    dump every thread's stack if the program is still running after a while.
* ``find_blocking_call``  the steps asyncio's debug mode reports as slow, and where they are.

Only the standard library; everything works on Python 3.10 to 3.14.
"""

from __future__ import annotations

import faulthandler
import linecache
import os
import re


def deadlock_cause(dump, program):
    """The threads of ``dump`` that are stuck acquiring a lock in the file ``program``, as a list
    of ``(thread_id, lock)`` pairs in the order the threads appear in the dump.

    ``dump`` is the text ``faulthandler`` writes for all threads (``dump_traceback``,
    ``dump_traceback_later``, or ``register`` and a signal): one block per thread, a header line
    ``Thread 0x00007f... (most recent call first):`` (``Current thread 0x...`` for the thread that
    wrote it) and then its frames, innermost first, as ``  File "<path>", line <n> in <function>``.

    * ``thread_id`` is the number of the header as an ``int`` (it equals that thread's
      ``threading.get_ident()``).
    * A thread is stuck on a lock when its innermost frame is in ``program`` (the same path) and
      the source line there acquires a lock: ``with <lock>:`` or ``<lock>.acquire(...)``.
      ``lock`` is that expression as written (``ledger``, ``self.lock``). Threads whose innermost
      frame is elsewhere (the standard library: ``join``, ``queue.get``, ``time.sleep`` ...) are
      not reported, nor threads whose line does something else.
    * No thread stuck on a lock: return ``[]``.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def install_watchdog(seconds, file):
    """Arm a watchdog: if the program is still running ``seconds`` from now, write the stack of
    EVERY thread to ``file`` (an open file with a ``fileno()``, such as ``sys.stderr``), once.
    Return a function that disarms it (calling it after the dump, or twice, is harmless).

    * The dump must appear even when the program hangs inside C code that holds the GIL (a
      regular expression that backtracks for ever, a C extension's loop): a Python thread or
      ``signal.alarm`` handler never gets to run then.
    * The program keeps running after the dump (it is a diagnosis, not a kill), and a program
      that finishes before ``seconds`` exits at once, with no dump.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def find_blocking_call(log):
    """Every step that asyncio's debug mode reported as slow in ``log``, in order, as tuples
    ``(name, filename, lineno, seconds)``.

    With debug mode on (``asyncio.run(main(), debug=True)``, ``PYTHONASYNCIODEBUG=1`` or
    ``python -X dev``), the loop logs each callback or task step that ran longer than
    ``loop.slow_callback_duration`` (0.1 s) as one line
    ``Executing <...> took 0.153 seconds``. The ``<...>`` is the repr of what ran:

    * a task: ``<Task pending name='Task-2' coro=<fetch() running at /app/x.py:12> ...>`` or
      ``<Task finished name='...' coro=<fetch() done, defined at /app/x.py:8> ...>``:
      ``name`` is the coroutine's name (``fetch``, not the task's name), ``filename`` and
      ``lineno`` the place after ``running at`` or ``defined at``;
    * a callback: ``<Handle on_data(...) at /app/x.py:20 created at /app/x.py:41>`` or
      ``<TimerHandle when=... on_tick(...) at /app/x.py:30 created at ...>``: ``name`` is the
      callback's name (``on_data``), ``filename`` and ``lineno`` the place right after it (where
      the function is defined). A bound method's repr has no such place
      (``<Handle Worker.on_tick(3) created at /app/x.py:41>``): then take the place after
      ``created at`` (where it was scheduled).

    ``lineno`` is an ``int``, ``seconds`` a ``float``. Any other line of the log is ignored.
    """
    # YOUR CODE HERE
    raise NotImplementedError()
