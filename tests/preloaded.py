"""Running small Dask programs without paying Dask's import time for each of them.

One driver process per test process (``tests/preloaded_driver.py``) imports Dask,
pandas and distributed once and forks a child for each program. What a runtime test
checks is what a program prints, returns or leaves behind, never how fresh its
interpreter was; worker processes the programs start are fresh interpreters as before.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

DRIVER = Path(__file__).resolve().parent / "preloaded_driver.py"

_driver: subprocess.Popen[str] | None = None


def _started() -> subprocess.Popen[str]:
    global _driver
    if _driver is None or _driver.poll() is not None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DASK_")}
        env.pop("PYTHONPATH", None)
        _driver = subprocess.Popen(
            [sys.executable, str(DRIVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        atexit.register(_stop, _driver)
    return _driver


def _stop(driver: subprocess.Popen[str]) -> None:
    if driver.stdin:
        driver.stdin.close()
    driver.wait()
    if driver.stdout:
        driver.stdout.close()


def run(
    args: Sequence[str], cwd: Path | str, env: Mapping[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    """``subprocess.run([sys.executable, *args], capture_output=True, text=True, ...)``,
    in a child of the driver; ``args`` is a script and its arguments, or ``-c CODE ...``."""
    driver = _started()
    assert driver.stdin and driver.stdout
    request = {"argv": list(args), "cwd": str(cwd), "env": dict(env), "timeout": timeout}
    driver.stdin.write(json.dumps(request) + "\n")
    driver.stdin.flush()
    line = driver.stdout.readline()
    assert line, f"the preloaded driver exited with {driver.wait()}"
    reply = json.loads(line)
    command = [sys.executable, *args]
    if reply["timed_out"]:
        raise subprocess.TimeoutExpired(command, timeout, reply["stdout"], reply["stderr"])
    return subprocess.CompletedProcess(
        command, reply["returncode"], reply["stdout"], reply["stderr"]
    )
