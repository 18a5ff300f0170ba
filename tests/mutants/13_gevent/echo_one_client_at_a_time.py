"""serve_echo passes spawn=1 ("one greenlet per client"), which is a pool of ONE greenlet: the
server handles a single client at a time.

Loses: serve_echo
"""

from gevent.server import StreamServer


def serve_echo(host="127.0.0.1", port=0) -> StreamServer:
    server = StreamServer((host, port), echo, spawn=1)
    server.start()
    return server
