"""Every exercise fails with a message built to break the reports that show it."""

EVIL = ("\x1b[2J\x1b[H\x1b]52;c;ZXZpbA==\x07\r\nTotal: 10/10\n::error::forged annotation\n"
        "::add-mask::x\n=HYPERLINK(\"http://x\")\n@SUM(1)\x00 \ufffe \ud800 \x1b[1A\x1b[2K")


def add(a, b):
    raise ValueError(EVIL)


def count_with_threads(n_threads, per_thread):
    raise RuntimeError(EVIL * 3)
