"""``dasklint server`` in a real editor: Neovim's built-in LSP client, run headless, set up
by the README's own Neovim snippet.

The README's ``lua`` block under each "Neovim" heading is extracted and used as it is
printed (``dasklint`` is found on ``PATH``), so the snippet and what is tested cannot
drift. Neovim opens a copy of a fixture; the snippet starts ``dasklint server`` with its
settings (DSK101 as an error). A harness loaded after the snippet waits for the
diagnostics, asks the server which settings it holds, asks for the code actions at the
DSK103 diagnostic, applies the quick fix, writes the file and quits; it writes what it saw
as JSON, which this test checks along with the file on disk.

Each snippet runs in a Neovim of the versions its heading names: ``nvim`` on ``PATH``
(Debian's 0.7.2 in CI: ``apt-get install -y neovim``; ``.ci/run`` installs it), or the
binary in ``DASKLINT_TEST_NVIM``. Without one, that snippet's test is skipped with a reason
naming what it needs.

Every wait is bounded (``vim.wait`` and the subprocess timeout); no assertion depends on
timing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT

pytest.importorskip("pygls", reason="the server tests need the `lsp` extra")

INSTALL = "apt-get install -y neovim"
NVIM_ENV = "DASKLINT_TEST_NVIM"
FIXTURE = FIXTURES / "examples" / "chunksize_minus_one.py"
TIMEOUT = 60  # seconds, for the whole editor session
WAIT_MS = 30_000  # each vim.wait inside the editor

Version = tuple[int, int]


@dataclass(frozen=True)
class Snippet:
    heading: str
    lua: str
    oldest: Version
    newest: Version | None  # None: "or newer"


def readme_snippets() -> list[Snippet]:
    """The ``lua`` block after each "### Neovim X.Y ..." heading of the README."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = []
    pattern = r"^### (Neovim (\d+)\.(\d+) (?:to (\d+)\.(\d+)|or newer))\n(.*?)^```lua\n(.*?)^```$"
    for m in re.finditer(pattern, readme, re.M | re.S):
        assert "###" not in m[6], f"no lua block under {m[1]!r}"
        newest = (int(m[4]), int(m[5])) if m[4] else None
        found.append(Snippet(m[1], m[7], (int(m[2]), int(m[3])), newest))
    return found


SNIPPETS = readme_snippets()


def test_the_readme_has_both_neovim_snippets() -> None:
    assert [s.heading for s in SNIPPETS] == ["Neovim 0.7 to 0.10", "Neovim 0.11 or newer"]
    assert "vim.lsp.config(" in SNIPPETS[1].lua
    assert "vim.fs" not in SNIPPETS[0].lua  # Neovim 0.7 has no vim.fs


# Loaded after the snippet; works in Neovim 0.7 and later.
HARNESS_LUA = r"""
local out_path = os.getenv("DASKLINT_NVIM_OUT")
local wait_ms = tonumber(os.getenv("DASKLINT_NVIM_WAIT_MS"))
local report = {}

local function save_report()
  local f = assert(io.open(out_path, "w"))
  f:write(vim.fn.json_encode(report))
  f:close()
end

local function dasklint_client(bufnr)
  local clients
  if vim.lsp.get_clients then
    clients = vim.lsp.get_clients({ bufnr = bufnr })
  else
    clients = vim.lsp.buf_get_clients(bufnr)
  end
  for _, client in pairs(clients) do
    if client.name == "dasklint" then return client end
  end
end

local function shown(bufnr)
  local items = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(items, {
      code = d.code, lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, source = d.source, message = d.message,
    })
  end
  table.sort(items, function(a, b)
    if a.lnum ~= b.lnum then return a.lnum < b.lnum end
    return a.col < b.col
  end)
  return items
end

-- A shown diagnostic back in LSP form, as vim.lsp.buf.code_action sends it.
local function to_lsp(d)
  return vim.tbl_extend("keep", {
    range = {
      start = { line = d.lnum, character = d.col },
      ["end"] = { line = d.end_lnum, character = d.end_col },
    },
    severity = d.severity, message = d.message, source = d.source, code = d.code,
  }, (d.user_data and d.user_data.lsp) or {})
end

local function request(bufnr, method, params)
  local responses = vim.lsp.buf_request_sync(bufnr, method, params, wait_ms)
  assert(responses, "no " .. method .. " response within the timeout")
  local results = {}
  for _, response in pairs(responses) do
    assert(not response.err, vim.inspect(response.err))
    table.insert(results, response.result)
  end
  return results
end

local function main()
  report.version = vim.version()
  local bufnr = vim.api.nvim_get_current_buf()
  local got = vim.wait(wait_ms, function()
    return dasklint_client(bufnr) ~= nil and #vim.diagnostic.get(bufnr) > 0
  end, 20)
  assert(got, "no dasklint client with diagnostics within the timeout")
  local client = dasklint_client(bufnr)
  report.root_dir = client.config.root_dir
  report.diagnostics = shown(bufnr)

  local command = { command = "dasklint.debugInformation" }
  report.settings = request(bufnr, "workspace/executeCommand", command)[1].settings

  local target
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == "DSK103" and (target == nil or d.lnum < target.lnum) then target = d end
  end
  assert(target, "no DSK103 diagnostic")
  local lsp_diagnostic = to_lsp(target)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = lsp_diagnostic.range,
    context = { diagnostics = { lsp_diagnostic } },
  }
  local actions = {}
  for _, result in ipairs(request(bufnr, "textDocument/codeAction", params)) do
    for _, action in ipairs(result) do table.insert(actions, action) end
  end
  report.actions = {}
  local chosen
  for _, action in ipairs(actions) do
    table.insert(report.actions, {
      title = action.title, kind = action.kind, isPreferred = action.isPreferred or false,
    })
    if chosen == nil and action.kind == "quickfix" and action.isPreferred and action.edit then
      chosen = action
    end
  end
  assert(chosen, "no preferred quick fix")
  report.applied = chosen.title
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  vim.cmd("write")
  vim.lsp.stop_client(client.id)
end

vim.api.nvim_create_autocmd("VimEnter", {
  once = true,
  callback = function()
    local ok, err = pcall(main)
    if not ok then report.error = tostring(err) end
    save_report()
    vim.cmd(ok and "qall!" or "cquit!")
  end,
})
"""

# The snippet first, as printed; then the harness.
INIT_LUA = """\
dofile(os.getenv("DASKLINT_NVIM_SNIPPET"))
dofile(os.getenv("DASKLINT_NVIM_HARNESS"))
"""


def nvim_version(nvim: str) -> Version | None:
    out = subprocess.run(
        [nvim, "--version"], capture_output=True, text=True, timeout=TIMEOUT, check=False
    ).stdout
    match = re.search(r"NVIM v(\d+)\.(\d+)", out)
    return (int(match[1]), int(match[2])) if match else None


def nvim_for(snippet: Snippet) -> str:
    """A Neovim of the snippet's versions: ``$DASKLINT_TEST_NVIM``, then ``nvim``."""
    candidates = [os.environ.get(NVIM_ENV), shutil.which("nvim")]
    seen = []
    for nvim in filter(None, candidates):
        version = nvim_version(nvim)
        seen.append(f"{nvim} ({'.'.join(map(str, version)) if version else 'not Neovim'})")
        if version is None or version < snippet.oldest:
            continue
        if snippet.newest is None or version <= snippet.newest:
            return nvim
    wanted = ".".join(map(str, snippet.oldest)) + (
        f" to {'.'.join(map(str, snippet.newest))}" if snippet.newest else " or newer"
    )
    found = ", ".join(seen) or "NEOVIM NOT INSTALLED"
    pytest.skip(
        f"the README's {snippet.heading!r} snippet needs Neovim {wanted}; found: {found} "
        f"(Debian/Ubuntu: `{INSTALL}`, which .ci/run runs; or set {NVIM_ENV} to an nvim binary)"
    )


def dasklint_on_path(directory: Path) -> str:
    """A ``PATH`` whose ``dasklint`` is this interpreter's (the snippets run ``dasklint``)."""
    directory.mkdir()
    script = directory / "dasklint"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m dasklint "$@"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return f"{directory}{os.pathsep}{os.environ.get('PATH', '')}"


def run_neovim(
    nvim: str, snippet: Snippet, tmp_path: Path, path: Path
) -> tuple[dict[str, Any], str]:
    files = {"init.lua": INIT_LUA, "snippet.lua": snippet.lua, "harness.lua": HARNESS_LUA}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    report = tmp_path / "report.json"
    env = dict(os.environ)
    env.update(
        PATH=dasklint_on_path(tmp_path / "bin"),
        DASKLINT_NVIM_OUT=str(report),
        DASKLINT_NVIM_SNIPPET=str(tmp_path / "snippet.lua"),
        DASKLINT_NVIM_HARNESS=str(tmp_path / "harness.lua"),
        DASKLINT_NVIM_WAIT_MS=str(WAIT_MS),
    )
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):  # Neovim's log and state stay here
        env[f"XDG_{name}_HOME"] = str(tmp_path / "xdg" / name.lower())
    proc = subprocess.run(
        [nvim, "--headless", "--clean", "-u", str(tmp_path / "init.lua"), str(path)],
        cwd=path.parent,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    output = f"exit {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}"
    assert report.exists(), f"Neovim wrote no report\n{output}"
    data = json.loads(report.read_text(encoding="utf-8"))
    assert "error" not in data, f"{data['error']}\n{output}"
    assert proc.returncode == 0, output
    return data, output


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.heading for s in SNIPPETS])
def test_readme_snippet_shows_diagnostics_and_applies_quick_fix(
    snippet: Snippet, tmp_path: Path
) -> None:
    nvim = nvim_for(snippet)
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'job'\n", encoding="utf-8")
    path = project / "src" / "job.py"
    original = FIXTURE.read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")

    data, output = run_neovim(nvim, snippet, tmp_path, path)

    # The snippet found the project root and its settings reached the server.
    assert Path(data["root_dir"]).resolve() == project.resolve(), output
    assert data["settings"] == {"severity": {"DSK101": "error"}}, output

    # What Neovim shows: 0-based lines, byte columns (the fixture is ASCII, so they are
    # also the UTF-16 columns the server sent).
    shown = [
        (d["code"], d["lnum"], d["col"], d["end_lnum"], d["end_col"]) for d in data["diagnostics"]
    ]
    assert shown == [
        ("DSK101", 35, 18, 35, 29),
        ("DSK103", 37, 18, 37, 20),
        ("DSK401", 43, 16, 43, 43),
        ("DSK101", 47, 18, 47, 29),
        ("DSK103", 49, 18, 49, 20),
    ], output
    assert {d["source"] for d in data["diagnostics"]} == {"dasklint"}
    # DSK101 is a warning by default; the snippet's settings make it an error (DSK401 is
    # an info: 3).
    assert [d["severity"] for d in data["diagnostics"]] == [1, 1, 3, 1, 1], output

    titles = [a["title"] for a in data["actions"]]
    assert data["applied"] == "dasklint (DSK103): Use `chunksize=1`", titles
    assert "Disable DSK103 for this line" in titles, titles

    # The quick fix changed the DSK103 call it was asked for, and only that one.
    old = '        chunksize=-1,  # error: [DSK103] "ZeroDivisionError"\n'
    new = '        chunksize=1,  # error: [DSK103] "ZeroDivisionError"\n'
    assert original.count(old) == 1
    assert path.read_text(encoding="utf-8") == original.replace(old, new)
