"""The VS Code extension in ``editors/vscode``: its settings mirror the server's, and it
builds into an installable ``.vsix``.

The mirror test is plain Python. The build test copies the extension to a temporary
directory (no ``node_modules`` in the checkout), runs ``npm ci`` (packages from the npm
registry, as the committed ``package-lock.json`` pins them) and ``npm run package``
(``tsc`` in strict mode, then ``vsce package``), and reads the ``.vsix``. It needs Node.js
20 or newer and npm (``.ci/run`` installs Debian's when they are missing); without them, or
without the registry, it is skipped with the reason.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from dasklint.config import keys as config_keys
from dasklint.diagnostics import Confidence, Severity
from dasklint.errors import ConfigError
from dasklint.server.settings import KEYS, PREFERENCES, SECTION, ServerSettings, parse

EXTENSION = ROOT / "editors" / "vscode"
MANIFEST = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
PROPERTIES: dict[str, dict[str, Any]] = MANIFEST["contributes"]["configuration"]["properties"]
# Settings of the extension itself, not sent on to the server's parse().
EXTENSION_ONLY = {f"{SECTION}.serverCommand"}
NODE_INSTALL = "apt-get install -y nodejs npm"
BUILD_TIMEOUT = 600  # seconds per npm command
NETWORK_ERRORS = (
    "ENOTFOUND",
    "EAI_AGAIN",
    "ECONNREFUSED",
    "ECONNRESET",
    "ETIMEDOUT",
    "ENETUNREACH",
)


def server_section() -> dict[str, Any]:
    """What VS Code answers for the ``dasklint`` section when nothing is set: every
    default, dotted names as nested objects."""
    section: dict[str, Any] = {}
    for name, schema in PROPERTIES.items():
        if name in EXTENSION_ONLY:
            continue
        *parents, leaf = name.removeprefix(f"{SECTION}.").split(".")
        table = section
        for parent in parents:
            table = table.setdefault(parent, {})
        table[leaf] = schema["default"]
    return section


def test_every_setting_is_the_servers() -> None:
    assert all(name.startswith(f"{SECTION}.") for name in PROPERTIES)
    assert set(PROPERTIES) >= EXTENSION_ONLY
    assert set(server_section()) == set(KEYS)


def test_keys_are_what_parse_reads() -> None:
    """KEYS, which the extension mirrors, names every setting parse() reads: the editor
    names of declared configuration keys, and the server's own settings."""
    source = inspect.getsource(parse)
    own = set(re.findall(r"raw(?:\.get\(|\[)\"(\w+)\"", source))
    declared = {key.lsp for key in config_keys.KEYS if key.lsp is not None}
    assert own | declared == set(KEYS)
    for name in declared:
        with pytest.raises(ConfigError, match=name):
            parse({name: 1.5})  # a value no setting takes


def test_defaults_are_the_servers_defaults() -> None:
    assert parse(server_section()) == ServerSettings()
    assert PROPERTIES[f"{SECTION}.debounce"]["default"] == ServerSettings().debounce_ms


def test_choices_are_the_servers() -> None:
    preference = PROPERTIES[f"{SECTION}.configurationPreference"]
    assert tuple(preference["enum"]) == PREFERENCES
    assert len(preference["enumDescriptions"]) == len(PREFERENCES)
    confidence = PROPERTIES[f"{SECTION}.minConfidence"]["enum"]
    assert confidence == [*(c.value for c in Confidence), None]
    levels = PROPERTIES[f"{SECTION}.severity"]["additionalProperties"]["enum"]
    assert levels == [s.value for s in Severity]
    for value in [*PREFERENCES, *(c.value for c in Confidence)]:
        key = "configurationPreference" if value in PREFERENCES else "minConfidence"
        parse({key: value})  # each offered choice is accepted
    parse({"severity": dict.fromkeys(["DSK101", "DSK1", "processes-scheduler"], levels[0])})


def test_extension_readme_lists_the_settings() -> None:
    readme = (EXTENSION / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"`([A-Za-z.]+)`", readme.partition("## Settings")[2]))
    assert {k for k in KEYS if k != "codeAction"} | {"codeAction.disableRuleComment.enable"} <= (
        listed
    )


def node_or_skip() -> tuple[str, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip(
            f"NODE.JS/NPM NOT INSTALLED: building the VS Code extension needs node >= 20 and "
            f"npm (Debian/Ubuntu: `{NODE_INSTALL}`; .ci/run installs them)"
        )
    version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, timeout=60, check=False
    ).stdout.strip()
    match = re.match(r"v(\d+)\.", version)
    if match is None or int(match[1]) < 20:
        pytest.skip(f"node {version or '(no version)'} is older than 20, which vsce needs")
    return node, npm


def npm(npm_path: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, npm_config_update_notifier="false", npm_config_fund="false")
    return subprocess.run(
        [npm_path, *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.network
def test_vsix_builds(tmp_path: Path) -> None:
    _, npm_path = node_or_skip()
    work = tmp_path / "vscode"
    shutil.copytree(EXTENSION, work, ignore=shutil.ignore_patterns("node_modules", "out", "*.vsix"))

    install = npm(npm_path, "ci", "--no-audit", cwd=work)
    output = install.stdout + install.stderr
    if install.returncode != 0 and any(error in output for error in NETWORK_ERRORS):
        pytest.skip(f"the npm registry cannot be reached: {output.strip().splitlines()[-1:]}")
    assert install.returncode == 0, output

    build = npm(npm_path, "run", "package", cwd=work)
    assert build.returncode == 0, build.stdout + build.stderr

    vsix = work / "dasklint.vsix"
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        packaged = json.loads(archive.read("extension/package.json"))
        script = archive.read("extension/out/extension.js").decode("utf-8")
    assert packaged["contributes"] == MANIFEST["contributes"]
    assert packaged["main"] == "./out/extension.js"
    assert "extension.vsixmanifest" in names
    # The compiled extension starts `dasklint server` through the language client it ships.
    assert 'require("vscode-languageclient/node")' in script
    assert '["dasklint", "server"]' in script
    assert "extension/node_modules/vscode-languageclient/package.json" in names
    assert not any(name.startswith("extension/src/") for name in names)  # sources left out
    assert not any("/@vscode/vsce/" in name or "/typescript/" in name for name in names)
