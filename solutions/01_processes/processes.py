"""Processes: start a child, learn who it is, subclass Process, fan out and drain, guard __main__.

Exercises:
* ``send_identity`` + ``worker_identity``: one child process reports (pid, ppid) through a queue.
* ``SquareWorker``: a ``multiprocessing.Process`` subclass that does its work in ``run()``.
* ``put_square`` + ``run_squares``: one process per item, all running at once; drain, then join.
* ``main`` + the ``if __name__ == "__main__":`` block: a script that is safe under every start method.
* ``stop_worker``: fix this program: stop a process politely, then by force, and reap it.

Rules for every function here: take ``ctx=None``, use ``ctx = ctx or multiprocessing.get_context()``
and then only ``ctx.Process`` / ``ctx.Queue``; targets are module-level functions (no lambdas).
Run the script with ``python processes.py spawn`` (or ``fork`` / ``forkserver``).
"""

from __future__ import annotations

import multiprocessing
import os
import sys

#: seconds any blocking wait in this module may take before it gives up
TIMEOUT = 10.0


def send_identity(out_q) -> None:
    """Child side of ``worker_identity``: put the tuple ``(os.getpid(), os.getppid())`` on ``out_q``."""
    ### BEGIN SOLUTION
    out_q.put((os.getpid(), os.getppid()))
    ### END SOLUTION


def worker_identity(ctx=None) -> tuple[int, int]:
    """Start one child process and return the ``(pid, ppid)`` it reports about itself.

    * The child runs ``send_identity``, which reports through a queue; the process and the queue
      come from ``ctx`` (see the module's rules).
    * By the time ``worker_identity`` returns, the child has ended and been joined.
    * If the child dies without reporting, raise ``queue.Empty`` once ``TIMEOUT`` seconds have
      passed without an answer: never wait without a timeout.

    The result's pid is the child's (not ``os.getpid()``). Its ppid is ``os.getpid()`` under fork
    and spawn; under forkserver it is the fork server's pid, because the server forks the children.
    """
    ### BEGIN SOLUTION
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    proc = ctx.Process(target=send_identity, args=(queue,))
    proc.start()
    identity = queue.get(timeout=TIMEOUT)
    proc.join()
    return identity
    ### END SOLUTION


class SquareWorker(multiprocessing.Process):
    """A process that squares one number: ``SquareWorker(x, out_q)``.

    * ``__init__(self, x, out_q)`` calls ``super().__init__()`` first, then keeps ``x`` and ``out_q``.
    * ``run(self)`` runs in the child (``start()`` calls it there): it computes ``x * x`` there and
      puts the tuple ``(x, x * x, os.getpid())`` on ``out_q``.

    Anything the child stores on ``self`` stays in the child: the queue is the only way back.
    Being a ``multiprocessing.Process`` subclass, it uses the global default start method.
    """

    def __init__(self, x, out_q) -> None:
        ### BEGIN SOLUTION
        super().__init__()
        self.x = x
        self.out_q = out_q
        ### END SOLUTION

    def run(self) -> None:
        ### BEGIN SOLUTION
        self.out_q.put((self.x, self.x * self.x, os.getpid()))
        ### END SOLUTION


def put_square(x, out_q) -> None:
    """Child side of ``run_squares``: compute ``x * x`` here, in the child, and put it on ``out_q``.

    Put only the square (not ``x``, not a tuple).
    """
    ### BEGIN SOLUTION
    out_q.put(x * x)
    ### END SOLUTION


def run_squares(xs, ctx=None) -> list[int]:
    """Square every item of ``xs`` in its own process, all at the same time; return the squares sorted.

    * One child process per item, running ``put_square``; the processes and the queue that brings
      the squares back come from ``ctx`` (see the module's rules).
    * All the children run at the same time: none waits for another to finish before it starts.
    * A square may be large (hundreds of KB once pickled): ``run_squares`` must return all the
      same. A child cannot exit while data it put on a queue has not been read.
    * Return the squares sorted (``[]`` for an empty ``xs``). By the time ``run_squares``
      returns, every process it started has ended and been joined.
    * If a child dies without sending its square, raise ``queue.Empty`` once ``TIMEOUT`` seconds
      have passed without a result: never wait without a timeout.
    """
    ### BEGIN SOLUTION
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    procs = [ctx.Process(target=put_square, args=(x, queue)) for x in xs]
    for proc in procs:
        proc.start()
    squares = [queue.get(timeout=TIMEOUT) for _ in procs]
    for proc in procs:
        proc.join()
    return sorted(squares)
    ### END SOLUTION


def stop_worker(proc, grace) -> int:
    """Fix this program: stop the started process ``proc`` and return its exit code.

    * Ask first: ``proc.terminate()`` sends SIGTERM, which a worker may handle (clean up, then
      exit) or ignore.
    * Give it at most ``grace`` seconds to end, and return as soon as it has ended: a worker
      that stops at once must not cost you the whole grace period.
    * If it is still alive after ``grace`` seconds, ``proc.kill()`` it (SIGKILL can be neither
      handled nor ignored).
    * Always ``join()`` it before you return, also when it had finished before you were called:
      a child that has ended stays in the process table as a zombie until its parent reaps it.
    * Return its final ``exitcode``: ``-signal.SIGTERM`` (-15) when SIGTERM ended it,
      ``-signal.SIGKILL`` (-9) when it had to be killed, or the code it exited with by itself
      (0 after cleaning up on SIGTERM, 3 after ``sys.exit(3)``...).

    As shipped, it returns at once (``None``, the process has not ended yet), leaves a zombie
    behind, and a worker that ignores SIGTERM keeps running. Fix it.
    """
    ### BEGIN STUB
    # proc.terminate()
    # return proc.exitcode
    ### END STUB
    ### BEGIN SOLUTION
    proc.terminate()
    proc.join(grace)
    if proc.is_alive():  # it ignored SIGTERM, or is still cleaning up: force it
        proc.kill()
        proc.join()
    return proc.exitcode
    ### END SOLUTION


def main(argv: list[str]) -> None:
    """Print ``run_squares(range(5), ctx)``, i.e. ``[0, 1, 4, 9, 16]``.

    ``argv`` is ``sys.argv[1:]``: ``ctx = multiprocessing.get_context(argv[0] if argv else None)``,
    so ``python processes.py spawn`` uses spawn and ``python processes.py`` the default method.
    Do not call ``multiprocessing.set_start_method()`` anywhere in this module.
    """
    ### BEGIN SOLUTION
    ctx = multiprocessing.get_context(argv[0] if argv else None)
    print(run_squares(range(5), ctx))
    ### END SOLUTION


# Run as a script: call main(sys.argv[1:]) here, and only here. Under spawn and forkserver every
# child imports this file again (as "__mp_main__"), and the guard keeps it from running main() too.
if __name__ == "__main__":
    ### BEGIN SOLUTION
    main(sys.argv[1:])
    ### END SOLUTION
