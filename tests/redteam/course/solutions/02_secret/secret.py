"""The reference answer (red-team canary 7f3a)."""


def answer():
    return 42
