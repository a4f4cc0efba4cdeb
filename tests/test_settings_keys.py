"""Each setting is declared once (dasklint.config.keys); what is made from the
declarations agrees with them: the Settings fields and defaults, the settings that go to
worker processes, the command-line options, the configuration loader, --show-settings,
and the published JSON schema (current, and accepting the README's configuration)."""

from __future__ import annotations

import re
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing
from cli_support import run, write

from dasklint.cli.check import check
from dasklint.config import schema as published
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


def test_settings_has_one_field_per_key_with_its_default() -> None:
    declared = {key.field: key for key in KEYS if not key.selection}
    by_field = {f.name: f for f in fields(Settings)}
    assert set(by_field) - NOT_KEYS == set(declared)
    for name, key in declared.items():
        assert by_field[name].default == key.default, name


def test_the_keys_that_travel_are_file_settings_fields() -> None:
    by_field = {f.name: f for f in fields(FileSettings)}
    travelling = [key for key in KEYS if key.travels]
    assert travelling
    for key in travelling:
        assert by_field[key.field].default == key.default, key.name
    settings = Settings(root=Path.cwd(), unsafe_fixes=True, extension=(("ipy", "ipynb"),))
    per_file = settings.for_file(Path("job.py"))
    for key in travelling:
        assert getattr(per_file, key.field) == getattr(settings, key.field), key.name


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
