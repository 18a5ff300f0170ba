"""handle_client waits until the socket is writable and calls send(data) once, ignoring how many bytes it actually sent.

Loses: echo_server
"""


def handle_client(sock):
    try:
        while True:
            yield ("read", sock)
            data = sock.recv(65536)
            if not data:
                return
            yield ("write", sock)
            sock.send(data)
    finally:
        sock.close()
