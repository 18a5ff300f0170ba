"""main() builds ctx from argv but forgets to pass it to run_squares (which then uses the default).

Loses: main_guard
"""

import multiprocessing
import sys


def main(argv: list[str]) -> None:
    ctx = multiprocessing.get_context(argv[0] if argv else None)
    print(run_squares(range(5)))


# An overlay is appended after the solution's own guard (which has already run the solution's
# main), so the mistaken main() is run from a guard of its own.
if __name__ == "__main__":
    main(sys.argv[1:])
