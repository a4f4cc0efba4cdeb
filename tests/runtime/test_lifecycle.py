"""Scripts without a ``__main__`` guard fail as DSK201 says, and guarded ones work.

Each script runs in a fresh interpreter with the installed Dask (never the linter's
process); the tests check the exception raised, never durations. Each script is also
linted, tying the runtime fact to the rule that claims it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from programs import default_codes, run_program

pytestmark = pytest.mark.dask_runtime


SCRIPTS = {
    "processes": """
        import dask

        def square(x):
            return x * x

        tasks = [dask.delayed(square)(i) for i in range(4)]
        print("RESULT", sum(dask.compute(*tasks, scheduler="processes", chunksize=1)))
    """,
    "bag": """
        import dask.bag as db

        print("RESULT", db.from_sequence([1, 2, 3, 4], npartitions=4).sum().compute())
    """,
    "client": """
        from dask.distributed import Client

        client = Client(n_workers=1, threads_per_worker=1, dashboard_address=":0")
        print("RESULT", client.submit(sum, [1, 2]).result())
        client.close()
    """,
}
FAILURES = {
    "processes": "BrokenProcessPool",
    "bag": "BrokenProcessPool",
    "client": "RuntimeError: Nanny failed to start",
}


def _guarded(source: str) -> str:
    lines = textwrap.dedent(source).strip().splitlines()
    body = [line for line in lines if not line.startswith(("import", "from"))]
    imports = [line for line in lines if line.startswith(("import", "from"))]
    # Function definitions stay at module level: worker processes import them.
    defs: list[str] = []
    rest: list[str] = []
    in_def = False
    for line in body:
        if line.startswith("def "):
            in_def = True
        elif line and not line.startswith(" "):
            in_def = False
        (defs if in_def else rest).append(line)
    guarded = ["if __name__ == '__main__':", *("    " + line for line in rest if line)]
    return "\n".join([*imports, *defs, *guarded]) + "\n"


@pytest.mark.parametrize("kind", sorted(SCRIPTS))
def test_unguarded_script_fails(kind: str, tmp_path: Path) -> None:
    source = textwrap.dedent(SCRIPTS[kind]).strip() + "\n"
    # Explicit processes computations are reported by DSK101 (DSK201 leaves them to it).
    assert ("DSK101" if kind == "processes" else "DSK201") in default_codes(source, "script.py")
    completed = run_program(tmp_path, source, "script")
    assert completed.returncode != 0
    assert FAILURES[kind] in completed.stderr
    assert "RESULT" not in completed.stdout


@pytest.mark.parametrize("kind", sorted(SCRIPTS))
def test_guarded_script_works(kind: str, tmp_path: Path) -> None:
    source = _guarded(SCRIPTS[kind])
    assert "DSK201" not in default_codes(source, "script.py")
    completed = run_program(tmp_path, source, "script")
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "RESULT" in completed.stdout
