"""Run a program of ``real/`` as the script it is, under the probe.

The programs of ``real/`` are shaped like public Dask code (tutorials without a main
guard, notebook exports, library functions with a driver) and know nothing of the
benchmark: they print their results and a ``checksum: ...`` line. This harness runs one
with :func:`runpy.run_path` under ``__name__ == "__main__"``, as ``python program.py``
would (worker processes started with ``spawn`` re-import the program file itself, not
this harness), and prints the probe's JSON line last. A program that raises exits
non-zero with its traceback, like the script would.

    python _harness.py program.py [args...]
"""

from __future__ import annotations

import json
import runpy
import sys

from _probe import Probe


def main() -> None:
    program = sys.argv[1]
    sys.argv = sys.argv[1:]
    with Probe() as probe:
        runpy.run_path(program, run_name="__main__")
    line = {"evidence": probe.evidence(), "seconds": probe.seconds}
    print(json.dumps(line, sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
