"""echo reads the whole stream until the client closes, and only then sends it back: a client
waiting for its echo waits forever.

Loses: serve_echo
"""


def echo(sock, address) -> None:
    with sock.makefile("rb") as reader:
        data = reader.read()
    sock.sendall(data)
