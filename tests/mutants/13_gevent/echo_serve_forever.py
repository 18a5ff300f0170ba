"""serve_echo calls serve_forever() instead of start(), so it never returns.

Loses: serve_echo
"""

from gevent.server import StreamServer


def serve_echo(host="127.0.0.1", port=0) -> StreamServer:
    server = StreamServer((host, port), echo)
    server.serve_forever()
    return server
