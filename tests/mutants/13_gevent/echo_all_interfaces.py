"""serve_echo binds to "" (every network interface) instead of the host it was given.

Loses: serve_echo
"""

from gevent.server import StreamServer


def serve_echo(host="127.0.0.1", port=0) -> StreamServer:
    server = StreamServer(("", port), echo)
    server.start()
    return server
