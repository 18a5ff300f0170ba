"""Reads everything until the client closes, then echoes it: nothing comes back while the client waits for its line.

Loses: echo_server
"""

import asyncio


async def handle_echo(reader, writer):
    try:
        data = await reader.read()
        writer.write(data)
        await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except ConnectionError:
            pass
