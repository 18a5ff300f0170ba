"""Guards handle_echo with one asyncio.Lock "to be safe": clients are served one after the other.

Loses: echo_server
"""

import asyncio


async def echo_server(ready, stop, host="127.0.0.1", port=0):
    handlers, writers = set(), set()
    lock = asyncio.Lock()

    async def serve(reader, writer):
        task = asyncio.current_task()
        handlers.add(task)
        writers.add(writer)
        try:
            async with lock:
                await handle_echo(reader, writer)
        finally:
            handlers.discard(task)
            writers.discard(writer)

    server = await asyncio.start_server(serve, host, port)
    try:
        ready(server.sockets[0].getsockname()[1])
        await stop.wait()
    finally:
        server.close()
        for writer in list(writers):
            writer.close()
        await asyncio.gather(*handlers, return_exceptions=True)
        await server.wait_closed()
