"""Room.broadcast() copies self.members without taking the room's lock, then delivers.

Loses: room_broadcast
"""


def broadcast(self, text):
    for user in list(self.members):
        user.deliver(self, text)


Room.broadcast = broadcast
