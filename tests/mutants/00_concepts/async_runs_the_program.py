"""Does not predict: runs the program with asyncio.run and captures what it prints.

Loses: async_output
"""

import asyncio
import contextlib
import io


def async_output(scripts):
    async def say(text):
        print(text)

    async def task(script):
        for op, arg in script:
            if op == "print":
                print(arg)
            elif op == "call":
                await say(arg)
            elif op == "sleep":
                await asyncio.sleep(arg / 1000)

    async def main():
        await asyncio.gather(*(task(script) for script in scripts))

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        asyncio.run(main())
    return out.getvalue().splitlines()
