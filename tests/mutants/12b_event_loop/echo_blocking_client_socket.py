"""The accepted socket is left blocking (setblocking(False) forgotten): a client that does not read stalls every other client.

Loses: echo_server
"""


def echo_server(loop, listener):
    while True:
        yield ("read", listener)
        try:
            client, _address = listener.accept()
        except BlockingIOError:
            continue
        loop.spawn(handle_client(client))
