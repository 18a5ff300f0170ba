"""Echoes only complete lines: the text after the last newline is dropped when the client closes.

Loses: echo_server
"""

import asyncio


async def handle_echo(reader, writer):
    try:
        while True:
            line = await reader.readline()
            if not line.endswith(b"\n"):
                break
            writer.write(line)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except ConnectionError:
            pass
