"""echo answers the first chunk and returns: a client that sends a second message gets no reply
(the server closes the connection after one echo).

Loses: serve_echo
"""


def echo(sock, address) -> None:
    data = sock.recv(4096)
    if data:
        sock.sendall(data)
