"""Reads lines with readuntil(b"\n"): a last line without a newline raises IncompleteReadError.

Loses: echo_server
"""

import asyncio


async def handle_echo(reader, writer):
    try:
        while True:
            try:
                line = await reader.readuntil(b"\n")
            except ConnectionError:
                break
            writer.write(line)
            await writer.drain()
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except ConnectionError:
            pass
