"""The server serves each client itself (yield from handle_client) instead of spawning a task: the next client waits until the previous one has left.

Loses: echo_server
"""


def echo_server(loop, listener):
    while True:
        yield ("read", listener)
        try:
            client, _address = listener.accept()
        except BlockingIOError:
            continue
        client.setblocking(False)
        yield from handle_client(client)
