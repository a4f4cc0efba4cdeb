"""DSK901 tiny-array-chunks."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import unsafe
from dasklint.rule import Rule, RuleOption
from dasklint.rules._common import source_of
from dasklint.rules._edits import string_like
from dasklint.semantic.arraychunks import ChunkLayout, chunk_layout, format_bytes


class TinyArrayChunks(Rule):
    """
    ## What it does
    Checks for Dask Arrays whose literal shape and `chunks=` make many small chunks:
    at least `min-chunks` chunks of less than `min-chunk-bytes` each, or more than
    `max-chunks` chunks of any size. It reads `da.ones`/`zeros`/`empty`/`full`/`eye`/
    `linspace`, the `da.random` creators, `da.from_array` of a NumPy creator (written in
    the call or bound to a name: `np.random.uniform(-1, 1, N)`, `np.random.rand(n, m)`,
    `np.zeros(...)`), and `rechunk` of any of these, when the shape, the chunks and the
    dtype are written as literals or names bound to them (a missing `dtype` is the
    creator's default, `float64` for most).

    Arrays whose shape or chunks are not literals are never reported, and neither are
    arrays of fewer than `min-chunks` chunks (a teaching array split in four) or small
    arrays of less than `min-array-bytes` in all (a 100 x 100 demo array), which
    tutorials chunk finely to show how chunks work.

    ## Why is this bad?
    Every chunk is a task in every operation on the array, and every task costs about
    1 ms of scheduling overhead (`array-chunks.rst`; "between 200us and 1ms",
    `best-practices.rst`); the Dask docs ask for tasks that take longer than 100 ms, and
    note that it is rare to see chunks below 100 MB. A chunk of a few kilobytes takes
    microseconds of NumPy work, so 100 of them spend about 0.1 s per operation in the
    scheduler for work NumPy does in a millisecond, and an array of a million 800-byte
    chunks spends all its time there. Note that `chunks=` is the shape of one chunk, not
    the number of chunks: `chunks=1` makes one chunk per element.

    ## Example
    ```python
    import dask.array as da

    x = da.ones((10_000, 10_000), chunks=(10, 10))
    print(x.sum().compute())
    ```

    Use instead:
    ```python
    import dask.array as da

    x = da.ones((10_000, 10_000), chunks="auto")
    print(x.sum().compute())
    ```

    ## Fix safety
    The fix replaces the chunks with `chunks="auto"`, which targets the configured
    `array.chunk-size` (128 MiB by default). It is unsafe: the values are the same, but
    memory use and speed change, and chunks chosen to line up with storage (HDF5, Zarr)
    or with later `map_blocks` calls no longer do. It is offered with every finding
    (the chunks are literal, so the `chunks=` argument written in the call is what is
    replaced); nothing about later uses of the chunk layout is checked.

    ## Options
    - `min-chunk-bytes` (int, default `1048576`, 1 MiB): chunks smaller than this are
      tiny.
    - `min-chunks` (int, default `100`): report tiny chunks only from this many chunks
      (about 0.1 s of overhead per operation at 1 ms per task).
    - `min-array-bytes` (int, default `102400`, 100 KiB): report tiny chunks only in
      arrays at least this large.
    - `max-chunks` (int, default `100000`): report arrays of more chunks than this,
      whatever their size.

    ## References
    - [Dask: Array best practices, select a good chunk size](https://docs.dask.org/en/stable/array-best-practices.html#select-a-good-chunk-size)
    - [Dask: Array chunks (1 ms per task, tasks longer than 100 ms, `chunks=1`, "auto")](https://docs.dask.org/en/stable/array-chunks.html)
    """

    code = "DSK901"
    name = "tiny-array-chunks"
    deliberate_in_tests = True
    summary = "Literal array chunks are tiny: scheduling overhead dominates the work"
    severity = Severity.WARNING
    fix_availability = FixAvailability.ALWAYS
    fix_summary = 'unsafe: replace the chunks with `chunks="auto"`'
    options = (
        RuleOption("min-chunk-bytes", 1_048_576, "Chunks smaller than this are tiny."),
        RuleOption("min-chunks", 100, "Report tiny chunks only from this many chunks."),
        RuleOption("min-array-bytes", 102_400, "Report tiny chunks only in arrays this large."),
        RuleOption("max-chunks", 100_000, "Report arrays of more chunks than this."),
    )

    def visit_Call(self, node: cst.Call) -> None:
        layout = chunk_layout(self.model, node)
        if layout is None:
            return
        reason = self._reason(layout)
        if reason is None:
            return
        chunks = layout.chunks_node
        fix = unsafe(
            'Use `chunks="auto"`',
            chunks,
            string_like(chunks, "auto"),
            "chunk boundaries, memory use and speed change",
        )
        self.report(
            node,
            f"`{source_of(node.func)}(...)` makes {reason}",
            fix=fix,
            help='use chunks of at least ~100 MB or `chunks="auto"`',
            notes=[
                f"shape {_dims(layout.shape)} in chunks {_dims(layout.chunk_shape)}: each chunk "
                "is a task with about 1 ms of scheduling overhead"
            ],
        )

    def _reason(self, layout: ChunkLayout) -> str | None:
        min_bytes, min_chunks, min_array, max_chunks = (
            self.option("min-chunk-bytes"),
            self.option("min-chunks"),
            self.option("min-array-bytes"),
            self.option("max-chunks"),
        )
        assert isinstance(min_bytes, int)
        assert isinstance(min_chunks, int)
        assert isinstance(min_array, int)
        assert isinstance(max_chunks, int)
        count = layout.chunk_count
        size = layout.chunk_bytes
        total = layout.total_bytes
        dtype = f" of {layout.dtype}" if layout.dtype else ""
        if (
            size is not None
            and total is not None
            and size < min_bytes
            and count >= min_chunks
            and total >= min_array
        ):
            return f"{count:,} chunks of {format_bytes(size)}{dtype}"
        if count > max_chunks:
            sized = f" of {format_bytes(size)}{dtype}" if size is not None else ""
            return f"{count:,} chunks{sized}"
        return None


def _dims(values: tuple[int, ...]) -> str:
    inner = ", ".join(str(v) for v in values)
    return f"({inner},)" if len(values) == 1 else f"({inner})"
