"""handle_echo returns at the client's EOF without closing the connection: the client never sees EOF.

Loses: echo_server
"""

import asyncio


async def handle_echo(reader, writer):
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            writer.write(line)
            await writer.drain()
    except ConnectionError:
        pass
