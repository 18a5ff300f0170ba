"""gevent: greenlets on an event loop, monkey-patching, pools and a streaming server.

* ``sleep_sort``  spawn one greenlet per number and joinall: plain ``time.sleep`` calls overlap
                  because the standard library is monkey-patched.
* ``crawl``       run a blocking ``fetch`` over many URLs, at most ``concurrency`` at a time, with
                  a ``gevent.pool.Pool``.
* ``echo`` + ``serve_echo``  an echo handler, and a ``gevent.server.StreamServer`` running it,
                  started in the background (not served forever).

This module must call ``gevent.monkey.patch_all()`` as its FIRST statement, before importing
anything else: patching replaces blocking functions of the standard library (``time.sleep``,
``socket``, ``select``, ``threading``, ...) with cooperative ones, for the whole process. Code that
grabbed an original before the patch (``from time import sleep`` above it) keeps blocking.
"""

# 1. Patch the standard library first, before any other import (see the README).
# YOUR CODE HERE

# 2. Then the other imports.
import time

import gevent
import gevent.pool
from gevent.server import StreamServer


def sleep_sort(numbers, unit=0.02) -> list:
    """Sort non-negative numbers by sleeping: return them in the order their sleeps end.

    * Spawn one greenlet per number (``gevent.spawn``). Each one calls
      ``time.sleep(number * unit)`` (the standard library's sleep, made cooperative by
      ``monkey.patch_all()``; do not use ``gevent.sleep`` here) and then appends its number
      to a shared list.
    * Wait for all of them with ``gevent.joinall(...)``, however long the longest sleep takes
      (no fixed timeout), then return the list. All the sleeps overlap, so the list comes out
      sorted. If ``time.sleep`` were not patched, each sleep
      would block the whole program and the list would keep the input order.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def crawl(urls, fetch, concurrency) -> dict:
    """Call ``fetch(url)`` for every url, at most ``concurrency`` calls at a time; return
    ``{url: fetch(url)}``.

    * ``fetch`` is ordinary blocking code (it calls ``time.sleep``, sockets, ...): thanks to the
      monkey-patching, a fetch that blocks lets the others run.
    * Use ``gevent.pool.Pool(concurrency)``: its ``map(fetch, urls)`` runs the calls in
      greenlets, never more than ``concurrency`` at once, and returns the results in order.
    * Each url maps to the result of its own fetch, whatever order the fetches finish in.
    * If a fetch raises, ``crawl`` raises that exception.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def echo(sock, address) -> None:
    """Connection handler: send back every chunk the client sends, as soon as it arrives, until
    the client closes its side.

    * Loop: ``data = sock.recv(4096)``; an empty ``data`` means the client has closed, so
      return; otherwise ``sock.sendall(data)`` right away (do not wait for more).
    * ``StreamServer`` calls ``echo(sock, address)`` in a new greenlet for every connection and
      closes the socket when ``echo`` returns.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def serve_echo(host="127.0.0.1", port=0) -> StreamServer:
    """Start an echo server on ``(host, port)`` and return it, running in the background.

    * Create ``StreamServer((host, port), echo)`` and call its ``start()``: it binds, listens and
      accepts connections in the background, one new greenlet per client, and ``start()``
      returns at once. (``serve_forever()`` would never return.)
    * ``port=0`` lets the OS pick a free port: read it from ``server.server_port`` (or
      ``server.address``) after ``start()``.
    * Bind to ``host`` as given: the default ``"127.0.0.1"`` accepts local clients only.
    """
    # YOUR CODE HERE
    raise NotImplementedError()
