"""find_blocking_call takes the last "at <file>:<line>" of the repr: for a task and most callbacks that is where it was CREATED, not where it ran.

Loses: find_blocking_call
"""


def find_blocking_call(log):
    steps = []
    for match in re.finditer(r"Executing <(?:Task \w+ name='[^']*' coro=<|(?:Timer)?Handle (?:when=\S+ )?)([\w.<>]+)\(.*"
                             r" at (\S+):(\d+)> took ([0-9.]+) seconds", log):
        steps.append((match.group(1), match.group(2), int(match.group(3)), float(match.group(4))))
    return steps
