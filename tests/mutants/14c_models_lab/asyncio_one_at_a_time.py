"""run_asyncio awaits each call in a for loop: correct results, but no two calls ever overlap.

Loses: io_runners
"""


def run_asyncio(afn, items, limit):
    async def main():
        return [await afn(x) for x in items]

    return asyncio.run(main())
