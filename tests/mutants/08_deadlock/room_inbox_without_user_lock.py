"""Room.broadcast() appends to each member's inbox directly under the room's lock, skipping the user's lock.

Loses: room_broadcast
"""


def broadcast(self, text):
    with self.lock:
        for user in self.members:
            user.inbox.append((self.name, text))


Room.broadcast = broadcast
