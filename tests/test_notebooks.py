"""Notebooks (``.ipynb``): code cells linted as one module, findings per cell, IPython
syntax masked, fixes spliced into the JSON without touching anything else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import run
from conftest import FIXTURES
from markers import parse

from dasklint.config.settings import Selection, Settings
from dasklint.engine.fix.loop import fix_source
from dasklint.engine.lint.linter import lint_source
from dasklint.notebook.jsonmap import source_spans
from dasklint.output import FORMATTERS, OutputContext

NOTEBOOKS = sorted((FIXTURES / "notebooks").glob("*.ipynb"))
# The rules these fixtures were written for (others may be added to the project).
SELECT = ("DSK1", "DSK4", "DSK5", "DSK6")


def settings(path: Path, *, unsafe: bool = False, edits: bool = False) -> Settings:
    return Settings(
        root=path.parent,
        layers=(Selection(select=SELECT),),
        unsafe_fixes=unsafe,
        fix_edits=edits,
    )


def cell_sources(raw: bytes) -> list[tuple[int, str]]:
    data = json.loads(raw)
    out = []
    for index, cell in enumerate(data["cells"]):
        source = cell["source"]
        out.append((index + 1, source if isinstance(source, str) else "".join(source)))
    return out


def expected(raw: bytes) -> list[tuple[int, int, str]]:
    found = []
    for number, text in cell_sources(raw):
        expectations, _ = parse(text)
        found.extend((number, e.line, e.code) for e in expectations)
    return sorted(found)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_fixture(path: Path) -> None:
    raw = path.read_bytes()
    wanted = expected(raw)
    assert wanted, "a notebook fixture without markers checks nothing"
    result = lint_source(raw, str(path), settings(path).for_file(path))
    assert result.error is None
    actual = sorted((d.cell or 0, d.location.row, d.code) for d in result.diagnostics)
    assert actual == wanted
    for d in result.diagnostics:
        line = dict(cell_sources(raw))[d.cell or 0].splitlines()[d.location.row - 1]
        assert d.noqa_row == d.location.row
        assert line[d.location.column - 1 :].startswith(
            ("scheduler", "chunksize", '"', "-", "dask", "out")
        )


def test_notebooks_discovered_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "a.ipynb").write_bytes(
        (FIXTURES / "notebooks/processes_loop.ipynb").read_bytes()
    )
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "a-checkpoint.ipynb").write_text("{}", encoding="utf-8")
    result = run("check", "--show-files")
    assert result.stdout.splitlines() == ["nb/a.ipynb"]
    result = run("check", "--select", "DSK101")
    assert result.stdout.splitlines()[:2] == [
        "nb/a.ipynb:cell 3:3:42: DSK101 [*] " + result.stdout.splitlines()[0].split("[*] ", 1)[1],
        "nb/a.ipynb:cell 5:3:32: DSK101 [*] " + result.stdout.splitlines()[1].split("[*] ", 1)[1],
    ]


def test_precommit_hooks_include_jupyter() -> None:
    text = (FIXTURES.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert text.count("types_or: [python, pyi, jupyter]") == 2


PROCESSES_CALL = 'dask.compute(scheduler="processes")'


def code_cell(source: str | list[str]) -> dict[str, object]:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": source}  # fmt: skip


MAGICS = {
    "cells": [
        code_cell(["import dask\n", "!pip install dask\n", "%matplotlib inline\n",
                   f"%time {PROCESSES_CALL}"]),
        code_cell(["%%bash\n", f"{PROCESSES_CALL}\n", "this is not python"]),
        code_cell(
            "for i in range(2):\n    %time f(i)\nfiles = !ls\ndask.compute?\n"
            "t = %timeit -o dask.compute()"
        ),
        code_cell(["%%timeit -n 1\n", f"{PROCESSES_CALL}\n"]),
        {"cell_type": "markdown", "metadata": {}, "source": PROCESSES_CALL},
        {"cell_type": "raw", "metadata": {}, "source": PROCESSES_CALL},
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}  # fmt: skip


def lint_json(
    data: object, tmp_path: Path, text: str | None = None
) -> list[tuple[int | None, int, int, str, str]]:
    path = tmp_path / "nb.ipynb"
    raw = (text if text is not None else json.dumps(data, indent=1)).encode("utf-8")
    result = lint_source(raw, str(path), Settings(root=tmp_path).for_file(path))
    assert result.error is None
    return [(d.cell, d.location.row, d.location.column, d.code, d.text) for d in result.diagnostics]


def test_magics_are_masked_and_python_after_them_is_linted(tmp_path: Path) -> None:
    """Shell escapes, help, `%matplotlib` and a `%%bash` cell are masked; the statement
    after `%time` and the body of `%%timeit` are Python run in the kernel."""
    found = [
        (cell, row, column, code) for cell, row, column, code, _ in lint_json(MAGICS, tmp_path)
    ]
    quoted = PROCESSES_CALL.index('"') + 1
    assert found == [(1, 4, len("%time ") + quoted, "DSK101"), (4, 2, quoted, "DSK101")]


def test_syntax_error_is_reported_in_its_cell(tmp_path: Path) -> None:
    """Jupyter compiles each cell alone: one that does not parse is reported in its
    cell and row, and the cells after it are still linted."""
    data = json.loads(json.dumps(MAGICS))
    data["cells"][2]["source"] = "x = 1\ny = (\n"
    data["cells"].append(code_cell(["import dask\n", f"out = {PROCESSES_CALL}\n"]))
    found = [(cell, row, column, code) for cell, row, column, code, _ in lint_json(data, tmp_path)]
    quoted = PROCESSES_CALL.index('"') + 1
    assert found == [
        (1, 4, len("%time ") + quoted, "DSK101"),
        (3, 2, 5, "DSK001"),
        (4, 2, quoted, "DSK101"),
        (7, 2, len("out = ") + quoted, "DSK101"),
    ]


def test_every_cell_that_does_not_parse_is_reported(tmp_path: Path) -> None:
    data = {**MAGICS, "cells": [code_cell("import dask\nif x\n"), code_cell("def f(:\n    pass"),
                                code_cell(f"out = {PROCESSES_CALL}")]}  # fmt: skip
    found = [(cell, row, code) for cell, row, _, code, _ in lint_json(data, tmp_path)]
    assert found == [(1, 2, "DSK001"), (2, 1, "DSK001"), (3, 1, "DSK101")]


def test_fix_leaves_a_cell_that_does_not_parse_alone(tmp_path: Path) -> None:
    broken = code_cell(["import dask\n", "y = (\n"])
    fine = code_cell(["total = dask.delayed(sum)([1, 2])\n", LEGACY_CALL])
    data = {**MAGICS, "cells": [broken, fine]}
    text = json.dumps(data, indent=1) + "\n"
    path = tmp_path / "nb.ipynb"
    settings = Settings(root=tmp_path, layers=(Selection(select=("DSK105",)),)).for_file(path)
    outcome = fix_source(text.encode(), str(path), settings)
    assert outcome.changed
    new = outcome.source.decode("utf-8")
    assert spans_outside(new, {1}) == spans_outside(text, {1})
    sources = [cell["source"] for cell in json.loads(new)["cells"]]
    assert sources[1][1] == LEGACY_CALL.replace("multiprocessing", "processes")
    assert [(d.cell, d.location.row, d.code) for d in outcome.result.diagnostics] == [
        (1, 2, "DSK001")
    ]


def test_fix_inside_a_cut_magic_keeps_the_magic(tmp_path: Path) -> None:
    cell = code_cell(
        [
            "import dask\n",
            "total = dask.delayed(sum)([1])\n",
            f"%timeit -n 3 {LEGACY_CALL}\n",
            f"for i in range(2):\n    %time {LEGACY_CALL}",
        ]
    )
    data = {**MAGICS, "cells": [cell]}
    path = tmp_path / "nb.ipynb"
    settings = Settings(root=tmp_path, layers=(Selection(select=("DSK105",)),)).for_file(path)
    result = lint_source(json.dumps(data).encode(), str(path), settings)
    edits = [(d.location, d.fix.edits[0].location if d.fix and d.fix.edits else None)
             for d in result.diagnostics]  # fmt: skip
    assert [(where.row, where.column) for where, _ in edits] == [
        (3, len("%timeit -n 3 dask.compute(total, scheduler=") + 1),
        (5, len("    %time dask.compute(total, scheduler=") + 1),
    ]
    outcome = fix_source(json.dumps(data).encode(), str(path), settings)
    ((_, source),) = cell_sources(outcome.source)
    fixed = LEGACY_CALL.replace("multiprocessing", "processes")
    assert source.splitlines()[2:] == [f"%timeit -n 3 {fixed}", "for i in range(2):",
                                       f"    %time {fixed}"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"cells": [', "invalid JSON at line 1 column 12"),
        ('{"cells": [], "nbformat": 3, "metadata": {}}', "unsupported nbformat 3"),
        ('{"cells": {}, "nbformat": 4}', "no `cells` list"),
        ("[1, 2]", "no `cells` list"),
        ('{"cells": [{"cell_type": "code", "source": 7}], "nbformat": 4}', "cell 1 has a `source`"),
        (
            '{"cells": [{"cell_type": "code", "source": ["a", 1]}], "nbformat": 4}',
            "neither a string",
        ),
        ('{"cells": ["x"], "nbformat": 4}', "cell 1 is not an object"),
    ],
)
def test_broken_notebooks_are_a_diagnostic(tmp_path: Path, text: str, message: str) -> None:
    ((cell, row, column, code, text_out),) = lint_json(None, tmp_path, text)
    assert (cell, row, column, code) == (None, 1, 1, "DSK002")
    assert text_out.startswith("Cannot read notebook: ") and message in text_out


def test_broken_notebook_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.ipynb").write_text("{ not json", encoding="utf-8")
    result = run("check", "bad.ipynb")
    assert result.exit_code == 1
    assert result.stdout.startswith("bad.ipynb:1:1: DSK002 Cannot read notebook: invalid JSON")
    assert "Traceback" not in result.stdout + result.stderr
    fixed = run("check", "--fix", "bad.ipynb")
    assert fixed.exit_code == 1 and (tmp_path / "bad.ipynb").read_text() == "{ not json"


def render(fmt: str, path: Path) -> str:
    result = lint_source(path.read_bytes(), path.name, settings(path, edits=True).for_file(path))
    ctx = OutputContext(
        sorted(result.diagnostics, key=lambda d: d.sort_key()),
        cwd=path.parent,
        show_summary=False,
        read_source=lambda name: (path.parent / name).read_text(encoding="utf-8"),
    )
    return FORMATTERS[fmt](ctx)


def test_every_output_format_places_notebook_findings() -> None:
    path = FIXTURES / "notebooks" / "delayed_tutorial.ipynb"
    assert (
        render("concise", path)
        .splitlines()[0]
        .startswith("delayed_tutorial.ipynb:cell 5:5:21: DSK101 [*] ")
    )
    assert "  cell 7:9:25 DSK101" in render("grouped", path)
    full = render("full", path)
    assert full.startswith("DSK101 [*] ")
    assert full.split("\n")[1] == " --> delayed_tutorial.ipynb:cell 5:5:21"
    assert "{" not in full.split("\n")[2]  # no excerpt of the JSON text
    items = json.loads(render("json", path))
    assert [(i["cell"], i["location"]["row"], i["code"]) for i in items] == [
        (5, 5, "DSK101"), (7, 9, "DSK101"), (7, 9, "DSK103"),
    ]  # fmt: skip
    assert items[1]["notes"][-1].startswith("also DSK105 (")  # one finding for the alias
    dsk103 = items[2]
    assert dsk103["noqa_row"] == 9
    assert dsk103["fix"]["edits"] == [
        {
            "content": "",
            "location": {"row": 9, "column": 54},
            "end_location": {"row": 9, "column": 55},
        }
    ]
    for fmt in ("github", "gitlab", "sarif", "junit", "pylint", "rdjson", "azure", "lsp"):
        text = render(fmt, path)
        assert "cell 5:5:21: " in text, fmt
        assert "cell 7:9:54: " in text, fmt
    sarif = json.loads(render("sarif", path))
    for result in sarif["runs"][0]["results"]:
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
        assert "fixes" not in result
    (params,) = json.loads(render("lsp", path))
    assert all(
        d["data"] == {"fix": None, "noqa_edit": None, "confidence": "high"}
        for d in params["diagnostics"]
    )


def spans_outside(text: str, changed: set[int]) -> list[str]:
    """The notebook text cut at the `source` values of the changed cells."""
    spans = source_spans(text)
    pieces, last = [], 0
    for index in sorted(changed):
        start, end = spans[index]
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return pieces


def test_fix_writes_back_only_the_changed_cells(tmp_path: Path) -> None:
    original = (FIXTURES / "notebooks" / "delayed_tutorial.ipynb").read_bytes()
    # Another writer's style: two-space indentation, sorted keys, ASCII escapes.
    data = json.loads(original)
    text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    path = tmp_path / "nb.ipynb"
    path.write_text(text, encoding="utf-8")
    outcome = fix_source(text.encode(), str(path), settings(path).for_file(path))
    # DSK103 resolved; DSK101's `chunksize=1` is partial: its finding stays.
    assert outcome.changed and outcome.fixed == {"DSK103": 1}
    new = outcome.source.decode("utf-8")
    new_data = json.loads(new)
    before, after = cell_sources(text.encode()), cell_sources(outcome.source)
    changed = {i - 1 for (i, a), (_, b) in zip(before, after, strict=True) if a != b}
    assert changed == {4, 6}
    # Every byte outside the changed cells' sources is untouched (outputs, metadata,
    # other cells, key order, indentation).
    assert spans_outside(new, changed) == spans_outside(text, changed)
    assert new_data["cells"][6]["source"] == [
        line.replace('"multiprocessing", chunksize=-1', '"multiprocessing", chunksize=1')
        for line in data["cells"][6]["source"]
    ]
    # The edited list keeps the two-space layout of its neighbours.
    start, end = source_spans(new)[6]
    assert new[start:end].startswith('[\n        "data = ')
    assert new[start:end].endswith('"\n      ]')
    # The remaining findings are reported in cell coordinates of the fixed notebook.
    assert [(d.cell, d.location.row, d.code) for d in outcome.result.diagnostics] == [
        (5, 5, "DSK101"), (7, 9, "DSK101"),
    ]  # fmt: skip
    again = fix_source(outcome.source, str(path), settings(path).for_file(path))
    assert not again.changed


def test_cli_fix_keeps_unchanged_cells_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = FIXTURES / "notebooks" / "processes_loop.ipynb"
    path = tmp_path / "loop.ipynb"
    path.write_bytes(source.read_bytes())
    result = run("check", "--fix", "--select", ",".join(SELECT), "loop.ipynb")
    assert "Found 4 findings (1 fixed, 3 remaining)" in result.stdout  # as `check` counts
    old, new = source.read_text(encoding="utf-8"), path.read_text(encoding="utf-8")
    assert spans_outside(new, {2, 4}) == spans_outside(old, {2, 4})
    assert json.loads(new)["cells"][2]["source"] == [
        "for i in range(3):\n",
        "    %time dask.compute(*parts)\n",
        '    out = dask.compute(*parts, scheduler="processes", chunksize=1)'
        "  # error: [DSK101] error: [DSK102] error: [DSK108]",
    ]
    assert json.loads(new)["cells"][4]["source"][2] == (
        'with dask.config.set(scheduler="processes", chunksize=1):  # error: [DSK101]\n'
    )


def test_local_cluster_codemod_adds_no_main_guard_in_notebooks(tmp_path: Path) -> None:
    source = FIXTURES / "notebooks" / "processes_loop.ipynb"
    path = tmp_path / "loop.ipynb"
    raw = source.read_bytes()
    outcome = fix_source(raw, str(path), settings(path, unsafe=True).for_file(path))
    assert outcome.changed
    cells = dict(cell_sources(outcome.source))
    assert "__main__" not in "\n".join(cells.values())
    assert cells[1] == (
        "import dask\nimport dask.bag as db\nfrom dask import delayed\n"
        "from dask.distributed import Client, LocalCluster"
    )
    # Only the loop is wrapped, where it is; the IPython line inside moves with it.
    assert cells[3] == (
        "with LocalCluster(threads_per_worker=1) as cluster, Client(cluster):\n"
        "    for i in range(3):\n"
        "        %time dask.compute(*parts)\n"
        "        out = dask.compute(*parts)  # error: [DSK101] error: [DSK102] error: [DSK108]"
    )
    assert cells[4] == ""
    # `with dask.config.set(scheduler=...)` at a notebook's top level, its two
    # computations served by one cluster, is rewritten in place (in a script it would
    # first need a guard, and is not offered).
    assert cells[5].splitlines()[2:] == [
        "with LocalCluster(threads_per_worker=1) as local_cluster, Client(local_cluster):"
        "  # error: [DSK101]",
        "    total.compute()",
        "    b.count().compute()",
    ]
    assert cells[2] == dict(cell_sources(raw))[2]
    # The same code as a script gets the guard.
    script = tmp_path / "loop.py"
    code = (
        "\n".join(text for _, text in cell_sources(raw))
        .replace("    %time dask.compute(*parts)\n", "")
        .replace("?dask.compute\n", "")
    )
    fixed = fix_source(code.encode(), str(script), settings(script, unsafe=True).for_file(script))
    assert b'if __name__ == "__main__":' in fixed.source


LEGACY_CALL = 'dask.compute(total, scheduler="multiprocessing")'
UNTOUCHED = {
    "cells": [
        code_cell(["import dask\n", "total = dask.delayed(sum)([1, 2])\n", LEGACY_CALL]),
        code_cell(["%%time\n", "zs = []\n", "for z in range(3):\n", "    zs.append(z)"]),
        code_cell(["%%bash\n", "if true; then\n", "  echo hi\n", "fi\n"]),
        code_cell(["x = 1\r\n", "if x:\r\n", "    y = 2\r\n"]),
        code_cell(["for i in range(2):\r\n", f"    {LEGACY_CALL}\r\n", "    z = 3\r\n", "w = 4"]),
        code_cell(["if True:\n", f"    {LEGACY_CALL}"]),
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.mark.parametrize(
    "args",
    [
        ["--fix"],
        ["--fix", "--exit-non-zero-on-fix", "--force-exclude"],  # the dasklint-fix hook
        ["--diff"],
    ],
    ids=["fix", "pre-commit", "diff"],
)
def test_fix_changes_only_the_cells_it_fixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    text = json.dumps(UNTOUCHED, indent=1) + "\n"
    path = tmp_path / "nb.ipynb"
    path.write_text(text, encoding="utf-8")
    result = run("check", *args, "--select", "DSK105", "nb.ipynb")
    assert "Traceback" not in result.stdout + result.stderr
    if args == ["--diff"]:
        assert path.read_text(encoding="utf-8") == text
        changed = [line[1:] for line in result.stdout.splitlines() if line.startswith("+")]
        assert changed[1:] == [
            '    "dask.compute(total, scheduler=\\"processes\\")"',
            '    "    dask.compute(total, scheduler=\\"processes\\")\\r\\n",',
            '    "    dask.compute(total, scheduler=\\"processes\\")"',
        ]
        return
    new = path.read_text(encoding="utf-8")
    # Every byte outside the three fixed cells is as it was: the cell magics keep their
    # indented blocks, the cell with `\r\n` keeps them.
    assert spans_outside(new, {0, 4, 5}) == spans_outside(text, {0, 4, 5})
    sources = [cell["source"] for cell in json.loads(new)["cells"]]
    assert sources[1:4] == [cell["source"] for cell in json.loads(text)["cells"][1:4]]
    fixed = LEGACY_CALL.replace("multiprocessing", "processes")
    assert sources[0][2] == fixed
    # In a fixed cell, the lines keep their own endings; a changed line takes the cell's.
    assert sources[4] == ["for i in range(2):\r\n", f"    {fixed}\r\n", "    z = 3\r\n", "w = 4"]
    assert sources[5] == ["if True:\n", f"    {fixed}"]


def test_only_python_line_ends_split_a_cell(tmp_path: Path) -> None:
    """U+2028 or a form feed inside a line are not line ends to Python: the cell parses
    and a fix keeps them."""
    data = {**UNTOUCHED, "cells": [code_cell(["import dask\n", 'label = "a\u2028b\x0cc"\n',
                                              "total = 1\n", LEGACY_CALL])]}  # fmt: skip
    path = tmp_path / "nb.ipynb"
    raw = json.dumps(data, indent=1).encode()
    assert "DSK001" not in [code for *_, code, _ in lint_json(data, tmp_path)]
    outcome = fix_source(raw, str(path), Settings(root=tmp_path).for_file(path))
    assert outcome.changed
    ((_, source),) = cell_sources(outcome.source)
    assert source.split("\n")[1] == 'label = "a\u2028b\x0cc"'


def test_messages_cite_cells_and_rows_not_lines_of_the_joined_module(tmp_path: Path) -> None:
    data = {**MAGICS, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# Tasks"},
        code_cell(["import dask\n", "%matplotlib inline\n"]),
        code_cell(["@dask.delayed\n", "def grow(values):\n", "    values.append(1)\n",
                   "    return values\n"]),
        code_cell(["items = [0]\n", "dask.compute(grow(items))\n"]),
    ]}  # fmt: skip
    (finding,) = [f for f in lint_json(data, tmp_path) if f[3] == "DSK305"]
    assert finding[:2] == (4, 2)
    assert "note: `values.append(...)`, cell 3, row 3\n" in finding[4], finding[4]
