"""Does not expect a client to vanish: the ConnectionResetError of a reset escapes the handler.

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
    finally:
        writer.close()
        await writer.wait_closed()
