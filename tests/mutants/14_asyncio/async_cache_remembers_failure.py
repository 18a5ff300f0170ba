"""AsyncCache shares one task per key between its callers and keeps it for good, also when the
fetch failed: every later get() raises the old exception instead of fetching again.

Loses: async_cache
"""

import asyncio


class AsyncCache:
    def __init__(self, fetch):
        self.fetch = fetch
        self.values = {}
        self.tasks = {}

    async def get(self, key):
        if key not in self.tasks:
            self.tasks[key] = asyncio.ensure_future(self.fetch(key))
        return await asyncio.shield(self.tasks[key])
