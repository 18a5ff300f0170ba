"""handle_client echoes with sock.sendall(data): on a non-blocking socket with a full buffer it raises BlockingIOError, and the connection dies.

Loses: echo_server
"""


def handle_client(sock):
    try:
        while True:
            yield ("read", sock)
            data = sock.recv(65536)
            if not data:
                return
            sock.sendall(data)
    finally:
        sock.close()
