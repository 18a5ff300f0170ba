"""Shuts down after stop.wait() but not in a finally: cancelling echo_server leaves the server and its clients open.

Loses: echo_server
"""

import asyncio


async def echo_server(ready, stop, host="127.0.0.1", port=0):
    handlers, writers = set(), set()

    async def serve(reader, writer):
        task = asyncio.current_task()
        handlers.add(task)
        writers.add(writer)
        try:
            await handle_echo(reader, writer)
        finally:
            handlers.discard(task)
            writers.discard(writer)

    server = await asyncio.start_server(serve, host, port)
    ready(server.sockets[0].getsockname()[1])
    await stop.wait()
    server.close()
    for writer in list(writers):
        writer.close()
    await asyncio.gather(*handlers, return_exceptions=True)
    await server.wait_closed()
