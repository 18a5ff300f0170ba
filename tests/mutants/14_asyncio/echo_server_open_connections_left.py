"""On stop, closes the server but not the connections still open: their handlers go on waiting.

Loses: echo_server
"""

import asyncio


async def echo_server(ready, stop, host="127.0.0.1", port=0):
    server = await asyncio.start_server(handle_echo, host, port)
    try:
        ready(server.sockets[0].getsockname()[1])
        await stop.wait()
    finally:
        server.close()
        await server.wait_closed()
