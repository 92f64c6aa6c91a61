"""``why401`` (the wheel's console script) and ``python -m why401``: the CLI shipped in the wheel."""

import os
import subprocess
import sys

from ._process import find_binary


def main() -> int:
    try:
        exe = find_binary()
    except Exception as e:  # no binary: say so, as the CLI would
        print(e, file=sys.stderr)
        return 2
    argv = [exe] + sys.argv[1:]
    if os.name != "nt":
        os.execv(exe, argv)
    return subprocess.call(argv)


if __name__ == "__main__":
    sys.exit(main())
