"""handle_client returns when the client has closed its side but never closes the socket: the client never sees the end of the echo.

Loses: echo_server
"""


def handle_client(sock):
    while True:
        yield ("read", sock)
        data = sock.recv(65536)
        if not data:
            return
        while data:
            yield ("write", sock)
            try:
                sent = sock.send(data)
            except BlockingIOError:
                continue
            data = data[sent:]
