"""Sizes beyond which dasklint refuses work instead of exhausting the machine.

libcst's tree of a module takes several hundred bytes of memory per byte of source, and
the rules' work grows with it: a 3.7 MB module (``distributed/scheduler.py`` eleven
times) took 1.3 GB and 20 s, a 20 MB one minutes and 15 GB. Hand-written modules are far
smaller (``distributed/scheduler.py`` has 340 kB; pandas' ``frame.py`` 730 kB), so a
module above the limit is reported as DSK002 and neither parsed, linted, fixed nor
indexed. The README documents the limit.
"""

from __future__ import annotations

MAX_SOURCE_BYTES = 4 * 1024 * 1024  # 4 MiB of Python source (a notebook: of its code cells)
