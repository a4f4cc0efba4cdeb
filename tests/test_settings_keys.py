"""Each setting is declared once (a field of dasklint.config.options); what is made from
the declarations agrees with them: the Settings fields, the settings that go to worker
processes, the command-line options, the configuration loader, --show-settings, and the
published JSON schema (current, and accepting the README's configuration); and a new
setting needs nothing but its declaration."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing
from cli_support import run, write

from dasklint.cli.check import check
from dasklint.config import schema as published
from dasklint.config.declare import keys_of
from dasklint.config.keys import BY_NAME, FILE_KEYS, FLAGS, KEYS
from dasklint.config.loader import IGNORED_KEYS, Overrides, settings_from_table
from dasklint.config.settings import FileSettings, Settings
from dasklint.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

README = Path(__file__).resolve().parent.parent / "README.md"
NOT_KEYS = {"root", "config_file", "layers"}  # where the settings come from, and selection


def test_settings_has_a_field_per_key_and_file_settings_those_that_travel() -> None:
    by_field = {f.name for f in fields(Settings)}
    assert by_field - NOT_KEYS == {key.field for key in KEYS if not key.selection}
    travelling = {key.field for key in KEYS if key.travels}
    assert travelling
    assert travelling <= {f.name for f in fields(FileSettings)}


def test_the_keys_that_travel_are_copied_into_file_settings() -> None:
    settings = Settings(root=Path.cwd(), unsafe_fixes=True, extension=(("ipy", "ipynb"),))
    per_file = settings.for_file(Path("job.py"))
    for key in KEYS:
        if key.travels:
            assert getattr(per_file, key.field) == getattr(settings, key.field), key.name


def test_a_field_of_the_declarations_is_a_setting() -> None:
    @dataclass(frozen=True)
    class Undeclared:
        colour: bool = False

    with pytest.raises(TypeError, match=r"Undeclared\.colour is not declared with setting"):
        keys_of(Undeclared)


def test_the_editor_sets_a_key_through_its_option_but_severity() -> None:
    """The server passes editor settings on as options (Overrides); `severity`, which has
    none, it lays over by hand."""
    assert {key.name for key in KEYS if key.lsp is not None and not key.flags} == {"severity"}


@pytest.mark.parametrize(
    "key",
    [k for k in KEYS if k.settle is None and (k.show is not None or k.travels)],
    ids=lambda k: k.name,
)
def test_a_shown_value_reads_back(key: Any) -> None:
    """--show-settings and the Dask wire write a value as a file spells it, and reading
    it gives the value back."""
    if key.default is not None:
        assert key.read(key.shown(key.default)) == key.default


def test_every_option_of_a_setting_is_a_check_option() -> None:
    params = {param.name for param in check.params}
    shown = {name for name, (_, flag) in FLAGS.items() if not flag.hidden}
    assert shown <= params
    assert "fix_edits" not in params  # set by the output format, not by hand
    help_text = run("check", "--help").stdout
    for name in shown:
        assert FLAGS[name][1].option.split("/")[0] in help_text, name


def test_overrides_take_only_options_of_settings() -> None:
    with pytest.raises(TypeError, match="output_file"):
        Overrides({"output_file": "report.txt"})


def test_an_unknown_key_names_every_declared_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        settings_from_table({"colour": True}, tmp_path / "dasklint.toml")
    known = raised.value.args[0].partition("known keys: ")[2].rstrip(")")
    assert known.split(", ") == sorted([*FILE_KEYS, *IGNORED_KEYS])


def test_a_command_line_option_replaces_or_extends_the_files_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        {
            "dasklint.toml": 'extend-exclude = ["a/"]\nexclude = ["b/"]\nfail-on = "info"\n',
            "job.py": "",
        },
    )
    result = run(
        "check",
        "--show-settings",
        "--extend-exclude",
        "c/",
        "--exclude",
        "d/",
        "--fail-on",
        "ERROR",
    )
    data = tomllib.loads(result.stdout.partition("\n")[2])
    assert data["extend-exclude"] == ["a/", "c/"]
    assert data["exclude"] == ["d/"]
    assert data["fail-on"] == "error"


# -- the published schema ------------------------------------------------------------------


def test_the_published_schemas_are_current() -> None:
    for path, text in published.rendered().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is out of date: run `python -m dasklint.config.schema`"
        )


def test_the_schema_has_every_key_a_file_may_hold() -> None:
    properties = published.schema()["properties"]
    assert set(properties) == {*FILE_KEYS, *IGNORED_KEYS}
    for name, key in FILE_KEYS.items():
        assert properties[name]["description"] == key.doc


def _readme_tables() -> list[dict[str, Any]]:
    """The dasklint tables of the README's TOML examples."""
    text = README.read_text(encoding="utf-8")
    tables = []
    for block in re.findall(r"```toml\n(.*?)```", text, re.S):
        data = tomllib.loads(block)
        table = data.get("tool", {}).get("dasklint")
        if table is not None:
            tables.append(table)
    return tables


def test_the_readme_configuration_is_valid_for_the_schema_and_the_loader(
    tmp_path: Path,
) -> None:
    tables = _readme_tables()
    assert tables, "the README's configuration example was not found"
    validator = jsonschema.Draft7Validator(published.schema())
    for table in tables:
        validator.validate(table)
        settings_from_table(table, tmp_path / "pyproject.toml")  # the loader agrees


@pytest.mark.parametrize("name", sorted(FILE_KEYS))
def test_the_schema_and_the_loader_refuse_the_same_wrong_type(name: str, tmp_path: Path) -> None:
    validator = jsonschema.Draft7Validator(published.schema())
    default = published.schema()["properties"][name].get("default")
    if default is not None:
        validator.validate({name: default})
    wrong = 1.5  # no key takes a float
    assert not validator.is_valid({name: wrong})
    with pytest.raises(ConfigError, match=f"`{name}`"):
        settings_from_table({name: wrong}, tmp_path / "dasklint.toml")


def test_the_pyproject_schema_checks_the_dasklint_table() -> None:
    # SchemaStore's own pyproject schema stands in as "anything" (no network in tests).
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(
        [
            (published.SCHEMASTORE_PYPROJECT, referencing.jsonschema.DRAFT7.create_resource({})),
            (
                published.SCHEMA_FILE.name,
                referencing.jsonschema.DRAFT7.create_resource(published.schema()),
            ),
        ]
    )
    validator = jsonschema.Draft7Validator(published.pyproject_schema(), registry=registry)
    for table in _readme_tables():
        validator.validate({"tool": {"dasklint": table}})
    assert not validator.is_valid({"tool": {"dasklint": {"colour": True}}})
    assert BY_NAME["select"].name in published.schema()["properties"]


def test_the_readme_lists_every_key() -> None:
    section = README.read_text(encoding="utf-8").partition("## Configuration")[2]
    section = section.partition("\n## ")[0]
    for name in [*FILE_KEYS, *IGNORED_KEYS]:
        assert f"`{name}`" in section, name


# -- adding a setting ----------------------------------------------------------------------

PACKAGE = Path(__file__).resolve().parent.parent / "dasklint"
DECLARATIONS = Path("config", "options.py")  # where every setting is declared
DECLARED_IN = "FileOptions"  # the settings that also go to the linting processes

# One new setting, declared as the others are: a file key, a command-line switch and an
# editor setting, which reaches the rules.
NEW_SETTING = """
    report_colour: bool = setting(
        False,
        doc="Colour the report.",
        read=values.boolean,
        schema={"type": "boolean"},
        flags=(Flag("--report-colour/--no-report-colour", "Colour the report (switch)."),),
        lsp="reportColour",
    )
"""

# Run in a copy of the package that has only NEW_SETTING added; prints what is missing.
EVERY_USE = r"""
import json, sys
from pathlib import Path
from click.testing import CliRunner
from dasklint.cli.main import cli
from dasklint.config import schema
from dasklint.config.loader import settings_from_table
from dasklint.config.settings import Settings
from dasklint.engine.run import dask_wire
from dasklint.errors import ConfigError
from dasklint.server.settings import make_resolver, parse

project = Path(sys.argv[1])
missing = []
def check(what, ok):
    if not ok:
        missing.append(what)

prop = schema.schema()["properties"].get("report-colour")
check("schema", prop == {"description": "Colour the report.", "type": "boolean", "default": False})
table = settings_from_table({"report-colour": True}, project / "dasklint.toml")
check("config file", table.report_colour is True)
try:
    settings_from_table({"report-colour": "yes"}, project / "dasklint.toml")
    check("config file refuses a wrong type", False)
except ConfigError as exc:
    check("config file refuses a wrong type", "`report-colour`" in str(exc))
runner = CliRunner()
def show(*args):
    result = runner.invoke(cli, ["check", "--show-settings", *args], catch_exceptions=False)
    return [l for l in result.stdout.splitlines() if l.startswith("report-colour = ")]
check("--show-settings", show("--isolated") == ["report-colour = false"])
check("--config KEY=VALUE", show("--config", "report-colour = true") == ["report-colour = true"])
check("command-line option", show("--isolated", "--report-colour") == ["report-colour = true"])
(project / "dasklint.toml").write_text("report-colour = true\n")
check("configuration file found", show() == ["report-colour = true"])
check("option over the file", show("--no-report-colour") == ["report-colour = false"])
help_text = runner.invoke(cli, ["check", "--help"]).stdout
check("--help", "--report-colour / --no-report-colour" in help_text)
editor = make_resolver(parse({"reportColour": True}), project).for_directory(project)
check("editor setting", editor.report_colour is True)
per_file = Settings(root=project, report_colour=True).for_file(project / "job.py")
check("FileSettings", per_file.report_colour is True)
wire = dask_wire.decode_shared(dask_wire.encode_shared("f", [per_file], None))
check("Dask wire", wire.settings[0].report_colour is True)
print(json.dumps(missing))
"""


def _with_setting_added(source: str) -> str:
    """``source`` (the declarations) with NEW_SETTING at the end of DECLARED_IN."""
    (cls,) = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.ClassDef) and node.name == DECLARED_IN
    ]
    lines = source.splitlines(keepends=True)
    end = cls.body[-1].end_lineno
    assert end is not None
    return "".join([*lines[:end], NEW_SETTING, *lines[end:]])


def test_a_new_setting_needs_only_its_declaration(tmp_path: Path) -> None:
    """Adding a setting is one declaration: a copy of the package with only that field
    added has the setting in the schema, the configuration file, `--config KEY=VALUE`,
    the command-line options, `--show-settings`, the editor settings and what goes to
    the linting processes."""
    copy = tmp_path / "copy" / "dasklint"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    declarations = copy / DECLARATIONS
    declarations.write_text(
        _with_setting_added(declarations.read_text(encoding="utf-8")), encoding="utf-8"
    )
    project = tmp_path / "project"
    project.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", EVERY_USE, str(project)],
        capture_output=True,
        text=True,
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(copy.parent), "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []
