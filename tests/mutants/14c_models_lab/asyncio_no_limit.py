"""run_asyncio gathers every call at once and ignores `limit`.

Loses: io_runners
"""


def run_asyncio(afn, items, limit):
    async def main():
        return await asyncio.gather(*(afn(x) for x in items))

    return asyncio.run(main())
