"""Fixes the cycle in User.leave_all() by walking self.rooms without the user's lock (broadcast left as shipped).

Loses: room_broadcast
"""


def broadcast(self, text):
    with self.lock:
        for user in self.members:
            user.deliver(self, text)


def leave_all(self):
    for room in self.rooms:
        room.remove(self)
    with self.lock:
        self.rooms.clear()


Room.broadcast = broadcast
User.leave_all = leave_all
