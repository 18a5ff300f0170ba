"""gevent: greenlets on an event loop, monkey-patching, pools and a streaming server.

* ``sleep_sort``  spawn one greenlet per number and joinall: plain ``time.sleep`` calls overlap
                  because the standard library is monkey-patched.
* ``crawl``       run a blocking ``fetch`` over many URLs, at most ``concurrency`` at a time, with
                  a ``gevent.pool.Pool``.
* ``echo`` + ``serve_echo``  an echo handler, and a ``gevent.server.StreamServer`` running it,
                  started in the background (not served forever).
* ``fetch_pages`` fix this program: greenlets that should overlap, and an error nobody sees.

This module must call ``gevent.monkey.patch_all()`` as its FIRST statement, before importing
anything else: patching replaces blocking functions of the standard library (``time.sleep``,
``socket``, ``select``, ``threading``, ...) with cooperative ones, for the whole process. Code that
grabbed an original before the patch (``from time import sleep`` above it) keeps blocking.
"""

# 1. Patch the standard library first, before any other import (see the README).
### BEGIN SOLUTION
from gevent import monkey

monkey.patch_all()
### END SOLUTION

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
    ### BEGIN SOLUTION
    finished = []

    def sleeper(n):
        time.sleep(n * unit)
        finished.append(n)

    gevent.joinall([gevent.spawn(sleeper, n) for n in numbers])
    return finished
    ### END SOLUTION


def crawl(urls, fetch, concurrency) -> dict:
    """Call ``fetch(url)`` for every url, at most ``concurrency`` calls at a time; return
    ``{url: fetch(url)}``.

    * ``fetch`` is ordinary blocking code (it calls ``time.sleep``, sockets, ...): thanks to the
      monkey-patching, a fetch that blocks lets the others run.
    * ``fetch`` is called once per url, in greenlets. As many fetches run at the same time as
      ``concurrency`` allows (all of them when there are fewer urls), and never more.
    * Each url maps to the result of its own fetch, whatever order the fetches finish in.
    * If a fetch raises, ``crawl`` raises that exception.
    """
    ### BEGIN SOLUTION
    pool = gevent.pool.Pool(concurrency)
    return dict(zip(urls, pool.map(fetch, urls)))
    ### END SOLUTION


def echo(sock, address) -> None:
    """Connection handler: send back every chunk the client sends, as soon as it arrives, until
    the client closes its side.

    * Loop: ``data = sock.recv(4096)``; an empty ``data`` means the client has closed, so
      return; otherwise ``sock.sendall(data)`` right away (do not wait for more).
    * ``StreamServer`` calls ``echo(sock, address)`` in a new greenlet for every connection and
      closes the socket when ``echo`` returns.
    """
    ### BEGIN SOLUTION
    while True:
        data = sock.recv(4096)
        if not data:  # the client closed its side
            return
        sock.sendall(data)
    ### END SOLUTION


def serve_echo(host="127.0.0.1", port=0) -> StreamServer:
    """Start an echo server on ``(host, port)`` and return it, running in the background.

    * The server is a ``gevent.server.StreamServer`` that runs ``echo`` for each connection.
      ``serve_echo`` returns at once, with the server already listening and accepting: it goes on
      serving in the background until someone stops it.
    * Clients are served concurrently: a client that is slow or silent never holds up the others.
    * It listens on ``host`` as given: the default ``"127.0.0.1"`` accepts local clients only.
      With ``port=0`` the OS picks a free port, which the caller reads from ``server.server_port``
      (or ``server.address``).
    """
    ### BEGIN SOLUTION
    server = StreamServer((host, port), echo)
    server.start()
    return server
    ### END SOLUTION


def fetch_pages(urls, fetch) -> list:
    """Fix this program: run ``fetch(url)`` for every url in greenlets of its own, all at once.

    * Spawn one greenlet per url (``gevent.spawn``), ALL of them before waiting for any: while a
      fetch waits (for the network, a sleep, an event), the others run, so every fetch is in
      flight at the same time.
    * Wait until they have all finished, however long that takes (no timeout), and return the
      results in the order of ``urls`` (``[]`` for no urls).
    * If a fetch raises, ``fetch_pages`` raises that same exception as soon as it happens,
      without waiting for the other fetches: it first kills the greenlets still running
      (``gevent.killall``, which waits until they are dead), so none of its greenlets is left
      running when it returns or raises.

    ``fetch`` cooperates with gevent by itself here (it waits with gevent's own primitives), so
    this works whether or not the module is monkey-patched.

    As shipped, the fetches run one after another, and a failing fetch goes unnoticed: its
    result is None. Find out why and fix it.
    """
    ### BEGIN STUB
    # greenlets = []
    # for url in urls:
    #     greenlet = gevent.spawn(fetch, url)
    #     greenlet.join()
    #     greenlets.append(greenlet)
    # return [greenlet.value for greenlet in greenlets]
    ### END STUB
    ### BEGIN SOLUTION
    greenlets = [gevent.spawn(fetch, url) for url in urls]
    try:
        gevent.joinall(greenlets, raise_error=True)  # raises the first failure as it happens
    finally:
        gevent.killall(greenlets)  # the ones still running, if a fetch failed; no-op otherwise
    return [greenlet.value for greenlet in greenlets]
    ### END SOLUTION
