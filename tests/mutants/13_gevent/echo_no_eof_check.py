"""echo loops forever and only skips empty reads: after a client closes, recv() returns b''
at once, again and again, and that greenlet never yields to the others (the server freezes).

Loses: serve_echo
"""


def echo(sock, address) -> None:
    while True:
        data = sock.recv(4096)
        if data:
            sock.sendall(data)
