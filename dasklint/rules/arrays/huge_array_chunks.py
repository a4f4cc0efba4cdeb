"""DSK902 huge-array-chunks."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule, RuleOption
from dasklint.rules._common import source_of
from dasklint.semantic.arraychunks import chunk_layout, format_bytes


class HugeArrayChunks(Rule):
    """
    ## What it does
    Checks for Dask Arrays whose literal shape, `chunks=` and dtype make chunks larger
    than `max-chunk-bytes` (1 GB by default). It reads the same calls as
    `tiny-array-chunks` (DSK901): the `da` creators, `da.from_array` of a NumPy creator
    and `rechunk`, with literal shapes and chunks only.

    ## Why is this bad?
    Each chunk is one NumPy array held in one worker's memory, and Dask keeps several
    chunks per thread in memory at once (often twice as many as there are threads,
    plus intermediates). Chunks of gigabytes make a computation run out of memory or
    spill to disk, and leave cores idle because there are few tasks. The Dask docs put
    common chunk sizes between 10 MB and 1 GB, and `chunks="auto"` targets 128 MiB.

    ## Example
    ```python
    import dask.array as da

    x = da.random.random((100_000, 100_000), chunks=(50_000, 50_000))
    print(x.mean().compute())
    ```

    Use instead:
    ```python
    import dask.array as da

    x = da.random.random((100_000, 100_000), chunks=(5_000, 5_000))
    print(x.mean().compute())
    ```

    ## Fix safety
    No fix is offered: the right size depends on the memory of the workers and on the
    computation.

    ## Options
    - `max-chunk-bytes` (int, default `1000000000`, 1 GB): report chunks larger than
      this.

    ## References
    - [Dask: Best practices, avoid very large partitions](https://docs.dask.org/en/stable/best-practices.html#avoid-very-large-partitions)
    - [Dask: Array chunks (10 MB to 1 GB are common)](https://docs.dask.org/en/stable/array-chunks.html)
    """

    code = "DSK902"
    name = "huge-array-chunks"
    deliberate_in_tests = True
    summary = "Literal array chunks are larger than 1 GB each"
    severity = Severity.INFO
    fix_summary = "none"
    options = (RuleOption("max-chunk-bytes", 1_000_000_000, "Report chunks larger than this."),)

    def visit_Call(self, node: cst.Call) -> None:
        layout = chunk_layout(self.model, node)
        if layout is None or layout.chunk_bytes is None:
            return
        limit = self.option("max-chunk-bytes")
        assert isinstance(limit, int)
        if layout.chunk_bytes <= limit:
            return
        shape = ", ".join(str(v) for v in layout.chunk_shape)
        self.report(
            node,
            f"`{source_of(node.func)}(...)` makes chunks of "
            f"{format_bytes(layout.chunk_bytes)} each",
            help='use chunks of about 100 MB (`chunks="auto"` targets 128 MiB)',
            notes=[
                f"chunks of ({shape}) {layout.dtype}: Dask holds several chunks per thread in "
                "memory at once"
            ],
        )
