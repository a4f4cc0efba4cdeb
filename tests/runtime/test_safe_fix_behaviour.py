"""Safe fixes keep what programs do, run with the installed dask and distributed.

Each program is run as written and after ``dasklint``'s safe fixes (one rule selected),
each in a fresh interpreter, and prints its results. A safe fix must leave the printed
output the same. Where a fix is offered, the test also checks that it still changed the
source, so the comparison is not between two copies of the same program. The traps are
programs where a plausible rewrite changes the output: a persisted module global or
closure name turned into a local (UnboundLocalError), two computes inside ``try`` merged
(a result lost, or NameError), a loop variable named like a keyword that
``map_blocks``/``map_partitions`` fill in themselves bound as a default argument, and a
parameter defaulting to ``chunksize=-1`` overwritten (the caller's value ignored).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import ROOT
from programs import run_program

from dasklint.config.settings import Selection, Settings
from dasklint.engine.fix.loop import fix_source

pytestmark = pytest.mark.dask_runtime


def safe_fixed(source: str, code: str) -> str:
    """``source`` after the safe fixes of rule ``code`` alone."""
    settings = Settings(root=ROOT, layers=(Selection(select=(code,)),)).for_file(
        ROOT / "program.py"
    )
    outcome = fix_source(source.encode(), str(ROOT / "program.py"), settings)
    assert outcome.result.error is None, outcome.result.error
    return outcome.source.decode()


def run(tmp_path: Path, source: str, name: str = "program") -> str:
    """What ``source`` prints when run as a script (its last line names any exception)."""
    proc = run_program(tmp_path, source, name)
    if proc.returncode != 0:
        last = proc.stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        return proc.stdout + "raised " + last[0].split(":")[0] + "\n"
    return proc.stdout


def program(head: str, body: str) -> str:
    """The imports and setup in ``head``, then the (indented in the test) ``body``."""
    return textwrap.dedent(head) + textwrap.dedent(body)


def same_output(tmp_path: Path, source: str, code: str, fixed_expected: bool) -> str:
    """Runs ``source`` and its safe fix; they print the same. Returns the output."""
    fixed = safe_fixed(source, code)
    before = run(tmp_path, source, "original")
    after = run(tmp_path, fixed, "fixed")
    assert after == before, f"the safe fix changed the output\n--- fixed:\n{fixed}"
    assert (fixed != source) is fixed_expected, fixed
    return before


# -- DSK803: `x.persist()` -> `x = x.persist()` ---------------------------------------------

FRAME = """
import dask.dataframe as dd
import pandas as pd

"""


def test_dsk803_persist_of_a_module_global_in_a_function(tmp_path: Path) -> None:
    """`ddf = ddf.persist()` would make `ddf` local to `total`: UnboundLocalError."""
    output = same_output(
        tmp_path,
        program(
            FRAME,
            """
        ddf = dd.from_pandas(pd.DataFrame({"a": [1, 2, 3]}), npartitions=1)

        def total():
            ddf.persist()
            return int(ddf.a.sum().compute())

        print("total:", total())
        """,
        ),
        "DSK803",
        fixed_expected=False,
    )
    assert output == "total: 6\n"


def test_dsk803_persist_of_a_closure_name(tmp_path: Path) -> None:
    output = same_output(
        tmp_path,
        program(
            FRAME,
            """
        def outer():
            ddf = dd.from_pandas(pd.DataFrame({"a": [1, 2, 3]}), npartitions=1)

            def inner():
                ddf.persist()
                return int(ddf.a.max().compute())

            return inner()

        print("max:", outer())
        """,
        ),
        "DSK803",
        fixed_expected=False,
    )
    assert output == "max: 3\n"


def test_dsk803_persist_of_a_class_body_reading_a_global(tmp_path: Path) -> None:
    """In a class body the assignment would add a class attribute the original lacks."""
    output = same_output(
        tmp_path,
        program(
            FRAME,
            """
        ddf = dd.from_pandas(pd.DataFrame({"a": [1, 2, 3]}), npartitions=1)

        class Holder:
            ddf.persist()

        print("has attribute:", hasattr(Holder, "ddf"))
        """,
        ),
        "DSK803",
        fixed_expected=False,
    )
    assert output == "has attribute: False\n"


@pytest.mark.parametrize(
    "body",
    [
        # a local of the function
        """
        def total():
            ddf = dd.from_pandas(pd.DataFrame({"a": [1, 2, 3]}), npartitions=1)
            ddf.persist()
            return int(ddf.a.sum().compute())
        """,
        # a module global the function declares `global`
        """
        ddf = dd.from_pandas(pd.DataFrame({"a": [1, 2, 3]}), npartitions=1)

        def total():
            global ddf
            ddf.persist()
            return int(ddf.a.sum().compute())
        """,
        # a local of the enclosing function, declared `nonlocal`
        """
        def total():
            ddf = dd.from_pandas(pd.DataFrame({"a": [1, 2, 3]}), npartitions=1)

            def warm():
                nonlocal ddf
                ddf.persist()

            warm()
            return int(ddf.a.sum().compute())
        """,
    ],
    ids=["local", "declared-global", "declared-nonlocal"],
)
def test_dsk803_fix_kept_where_the_name_is_already_bound_there(tmp_path: Path, body: str) -> None:
    output = same_output(
        tmp_path,
        FRAME + textwrap.dedent(body) + '\nprint("total:", total())\n',
        "DSK803",
        fixed_expected=True,
    )
    assert output == "total: 6\n"


# -- DSK304: consecutive computes merged into one `dask.compute` -----------------------------

TWO_COMPUTES = """
import dask
import dask.array as da


def fail():
    raise ValueError("bad input")


x = da.ones(3, chunks=1)
bad = dask.delayed(fail)()
"""


def test_dsk304_no_merge_inside_try_keeps_the_first_result(tmp_path: Path) -> None:
    """Merged, the first result is lost when the second computation raises."""
    output = same_output(
        tmp_path,
        program(
            TWO_COMPUTES,
            """
        rows = None
        try:
            rows = x.sum().compute()
            other = bad.compute()
        except ValueError:
            pass
        print("rows:", rows)
        """,
        ),
        "DSK304",
        fixed_expected=False,
    )
    assert output == "rows: 3.0\n"


def test_dsk304_no_merge_inside_try_in_a_function_keeps_the_error(tmp_path: Path) -> None:
    """Merged, the handler's read of the first result would raise NameError."""
    output = same_output(
        tmp_path,
        program(
            TWO_COMPUTES,
            """
        def summary():
            try:
                rows = x.sum().compute()
                other = bad.compute()
            except ValueError:
                return f"failed after {rows} rows"
            return "done"

        print(summary())
        """,
        ),
        "DSK304",
        fixed_expected=False,
    )
    assert output == "failed after 3.0 rows\n"


def test_dsk304_no_merge_of_global_names_a_caller_sees_after_an_error(tmp_path: Path) -> None:
    output = same_output(
        tmp_path,
        program(
            TWO_COMPUTES,
            """
        rows = None

        def load():
            global rows, other
            rows = x.sum().compute()
            other = bad.compute()

        try:
            load()
        except ValueError:
            pass
        print("rows:", rows)
        """,
        ),
        "DSK304",
        fixed_expected=False,
    )
    assert output == "rows: 3.0\n"


def test_dsk304_merge_kept_outside_try(tmp_path: Path) -> None:
    output = same_output(
        tmp_path,
        program(
            TWO_COMPUTES,
            """
        def summary():
            rows = x.sum().compute()
            top = x.max().compute()
            return float(rows), float(top)

        print(summary())
        """,
        ),
        "DSK304",
        fixed_expected=True,
    )
    assert output == "(3.0, 1.0)\n"


# -- DSK314: loop variables bound as a lambda's default argument -----------------------------

MAP_BLOCKS = """
import dask
import dask.array as da
import dask.dataframe as dd
import pandas as pd

x = da.ones(4, chunks=2, dtype=int)
frame = dd.from_pandas(pd.DataFrame({"a": [1, 1]}), npartitions=1)
"""


@pytest.mark.parametrize(
    ("loop", "reserved"),
    [
        ("parts = [x.map_blocks(lambda b: b * block_id) for block_id in (10, 20)]", True),
        (
            "parts = [frame.map_partitions(lambda df: df.a * partition_info)"
            " for partition_info in (10, 20)]",
            True,
        ),
        ("parts = [x.map_blocks(lambda b: b * scale) for scale in (10, 20)]", False),
    ],
    ids=["block_id", "partition_info", "plain-name"],
)
def test_dsk314_fix_never_binds_names_dask_fills_in(
    tmp_path: Path, loop: str, reserved: bool
) -> None:
    """The fix promises each task its own iteration's value: [10, 20] times the ones.
    A default named `block_id` or `partition_info` is filled in by Dask instead, so the
    fix is not offered for those names (the program keeps its late-binding output)."""
    source = MAP_BLOCKS + loop + "\nprint([int(p.sum().compute()) for p in parts])\n"
    fixed = safe_fixed(source, "DSK314")
    promised = "[" + ", ".join(str(k * (4 if "map_blocks" in loop else 2)) for k in (10, 20))
    if reserved:
        assert run(tmp_path, fixed, "fixed") == run(tmp_path, source, "original")
        assert fixed == source, fixed
    else:
        assert fixed != source
        assert run(tmp_path, fixed) == promised + "]\n"


@pytest.mark.parametrize(
    "call",
    [
        "x.map_blocks(lambda b, block_id=block_id: b * 0 + (block_id in (10, 20)), dtype=int)",
        "x.map_blocks(lambda b, block_info=block_info: b * 0 + (block_info in (10, 20)), "
        "dtype=int)",
        "frame.map_partitions(lambda df, partition_info=partition_info: "
        "df.a * 0 + (partition_info in (10, 20)))",
    ],
    ids=["block_id", "block_info", "partition_info"],
)
def test_dask_fills_in_these_defaults_itself(tmp_path: Path, call: str) -> None:
    """Why the names are reserved: a default of that name is replaced by Dask's value
    (a block index, a dict), so the loop's own values (10, 20) never reach the task:
    every element is 0 where the bound default would give 1."""
    name = call.split(", ")[1].split("=")[0]
    source = (
        MAP_BLOCKS
        + f"parts = [{call} for {name} in (10, 20)]\n"
        + "print([int(p.sum().compute()) for p in parts])\n"
    )
    assert run(tmp_path, source) == "[0, 0]\n"


# -- DSK103: `chunksize=-1` -----------------------------------------------------------------


def test_dsk103_parameter_defaulting_to_minus_one_keeps_the_callers_value(
    tmp_path: Path,
) -> None:
    output = same_output(
        tmp_path,
        program(
            "",
            """
        import dask

        def configure(chunksize=-1):
            dask.config.set(scheduler="processes", chunksize=chunksize)

        configure(chunksize=6)
        print("chunksize:", dask.config.get("chunksize"))
        """,
        ),
        "DSK103",
        fixed_expected=False,
    )
    assert output == "chunksize: 6\n"


def test_dsk103_literal_minus_one_is_still_fixed(tmp_path: Path) -> None:
    """The literal is rewritten; run in a fresh interpreter, the program computes the
    same values with `chunksize=1` (with `-1` this graph can also fail, see DSK103)."""
    source = textwrap.dedent(
        """
        import dask

        if __name__ == "__main__":
            jobs = [dask.delayed(abs)(-i) for i in range(4)]
            print(dask.compute(*jobs, scheduler="processes", chunksize=-1))
        """
    )
    fixed = safe_fixed(source, "DSK103")
    assert "chunksize=1)" in fixed
    assert run(tmp_path, fixed) == "(0, 1, 2, 3)\n"
