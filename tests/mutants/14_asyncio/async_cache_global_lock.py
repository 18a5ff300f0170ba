"""AsyncCache holds ONE asyncio.Lock for the whole cache across the fetch: no key is fetched twice,
but a slow fetch of one key holds up every other key.

Loses: async_cache
"""

import asyncio


class AsyncCache:
    def __init__(self, fetch):
        self.fetch = fetch
        self.values = {}
        self.lock = asyncio.Lock()

    async def get(self, key):
        async with self.lock:
            if key not in self.values:
                self.values[key] = await self.fetch(key)
            return self.values[key]
