"""AsyncCache makes the other callers wait on an asyncio.Event that only a successful fetch sets:
when the fetch raises, they wait for ever.

Loses: async_cache
"""

import asyncio


class AsyncCache:
    def __init__(self, fetch):
        self.fetch = fetch
        self.values = {}
        self.events = {}

    async def get(self, key):
        if key in self.events:
            await self.events[key].wait()
            return self.values[key]
        self.events[key] = asyncio.Event()
        value = await self.fetch(key)
        self.values[key] = value
        self.events[key].set()
        return value
