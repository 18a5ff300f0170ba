"""handle_echo calls writer.close() but does not await writer.wait_closed(): it returns before the connection is closed.

Loses: echo_server
"""

import asyncio


async def handle_echo(reader, writer):
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            writer.write(line)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()
