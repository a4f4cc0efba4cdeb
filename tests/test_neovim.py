"""``dasklint server`` in a real editor: Neovim's built-in LSP client, run headless.

Neovim opens a copy of a fixture, starts ``dasklint server`` as its language server, waits
for the diagnostics it shows, asks for the code actions at the DSK103 diagnostic, applies
the quick fix, writes the file and quits. The Lua side writes what it saw as JSON; this
test checks it and the file on disk. Needs ``nvim`` >= 0.7 (Debian: ``apt-get install -y
neovim``; ``.ci/run`` installs it); skipped with that instruction when it is missing.

Every wait is bounded (``vim.wait`` and the subprocess timeout); no assertion depends on
timing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

pytest.importorskip("pygls", reason="the server tests need the `lsp` extra")

INSTALL = "apt-get install -y neovim"
FIXTURE = FIXTURES / "examples" / "chunksize_minus_one.py"
TIMEOUT = 60  # seconds, for the whole editor session
WAIT_MS = 30_000  # each vim.wait inside the editor

# Runs in Neovim (0.7 and later: vim.lsp.start where it exists, else start_client).
INIT_LUA = r"""
local out_path = os.getenv("DASKLINT_NVIM_OUT")
local wait_ms = tonumber(os.getenv("DASKLINT_NVIM_WAIT_MS"))
local report = {}

local function save_report()
  local f = assert(io.open(out_path, "w"))
  f:write(vim.fn.json_encode(report))
  f:close()
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

local function main()
  report.version = vim.version()
  local bufnr = vim.api.nvim_get_current_buf()
  local config = {
    name = "dasklint",
    cmd = vim.fn.json_decode(os.getenv("DASKLINT_NVIM_CMD")),
    root_dir = os.getenv("DASKLINT_NVIM_ROOT"),
  }
  local client_id
  if vim.lsp.start then
    client_id = vim.lsp.start(config, { bufnr = bufnr })
  else
    client_id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(bufnr, client_id)
  end
  assert(client_id, "the language client did not start")

  local got = vim.wait(wait_ms, function() return #vim.diagnostic.get(bufnr) > 0 end, 20)
  assert(got, "no diagnostics within the timeout")
  report.diagnostics = shown(bufnr)

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
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, wait_ms)
  assert(responses, "no code action response within the timeout")
  local actions = {}
  for _, response in pairs(responses) do
    assert(not response.err, vim.inspect(response.err))
    for _, action in ipairs(response.result or {}) do table.insert(actions, action) end
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
  local client = vim.lsp.get_client_by_id(client_id)
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  vim.cmd("write")
  vim.lsp.stop_client(client_id)
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


def nvim_or_skip() -> str:
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.skip(
            f"NEOVIM NOT INSTALLED: the real-editor LSP test needs `nvim` >= 0.7 "
            f"(Debian/Ubuntu: `{INSTALL}`; .ci/run installs it)"
        )
    out = subprocess.run(
        [nvim, "--version"], capture_output=True, text=True, timeout=TIMEOUT, check=False
    ).stdout
    match = re.search(r"NVIM v(\d+)\.(\d+)", out)
    if match is None or (int(match[1]), int(match[2])) < (0, 7):
        pytest.skip(f"`nvim` is older than 0.7 (no built-in LSP client): {out.splitlines()[:1]}")
    return nvim


def run_neovim(nvim: str, tmp_path: Path, path: Path) -> tuple[dict[str, Any], str]:
    init = tmp_path / "init.lua"
    init.write_text(INIT_LUA, encoding="utf-8")
    report = tmp_path / "report.json"
    env = dict(os.environ)
    env.update(
        DASKLINT_NVIM_OUT=str(report),
        DASKLINT_NVIM_CMD=json.dumps([sys.executable, "-m", "dasklint", "server"]),
        DASKLINT_NVIM_ROOT=str(path.parent),
        DASKLINT_NVIM_WAIT_MS=str(WAIT_MS),
    )
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):  # Neovim's log and state stay here
        env[f"XDG_{name}_HOME"] = str(tmp_path / "xdg" / name.lower())
    proc = subprocess.run(
        [nvim, "--headless", "--clean", "-u", str(init), str(path)],
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


def test_neovim_shows_diagnostics_and_applies_quick_fix(tmp_path: Path) -> None:
    nvim = nvim_or_skip()
    project = tmp_path / "project"
    project.mkdir()
    path = project / "job.py"
    original = FIXTURE.read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")

    data, output = run_neovim(nvim, tmp_path, path)

    # What Neovim shows: 0-based lines, byte columns (the fixture is ASCII, so they are
    # also the UTF-16 columns the server sent).
    shown = [
        (d["code"], d["lnum"], d["col"], d["end_lnum"], d["end_col"]) for d in data["diagnostics"]
    ]
    assert shown == [
        ("DSK101", 35, 18, 35, 29),
        ("DSK103", 37, 18, 37, 20),
        ("DSK101", 47, 18, 47, 29),
        ("DSK103", 49, 18, 49, 20),
    ], output
    assert {d["source"] for d in data["diagnostics"]} == {"dasklint"}
    assert [d["severity"] for d in data["diagnostics"]] == [2, 1, 2, 1]  # warning, error

    titles = [a["title"] for a in data["actions"]]
    assert data["applied"] == "dasklint (DSK103): Use `chunksize=1`", titles
    assert "Disable DSK103 for this line" in titles, titles

    # The quick fix changed the DSK103 call it was asked for, and only that one.
    old = '        chunksize=-1,  # error: [DSK103] "ZeroDivisionError"\n'
    new = '        chunksize=1,  # error: [DSK103] "ZeroDivisionError"\n'
    assert original.count(old) == 1
    assert path.read_text(encoding="utf-8") == original.replace(old, new)
