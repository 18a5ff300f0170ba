"""main() ignores argv and always uses the default start method; the output is the same, so it looks fine.

Loses: main_guard
"""

import multiprocessing
import sys


def main(argv: list[str]) -> None:
    print(run_squares(range(5), multiprocessing.get_context()))


# An overlay is appended after the solution's own guard (which has already run the solution's
# main), so the mistaken main() is run from a guard of its own.
if __name__ == "__main__":
    main(sys.argv[1:])
