"""The server makes the listener blocking and calls accept() without waiting for ("read", listener): the loop is stuck in accept().

Loses: echo_server
"""


def echo_server(loop, listener):
    listener.setblocking(True)
    while True:
        client, _address = listener.accept()
        client.setblocking(False)
        loop.spawn(handle_client(client))
        yield
