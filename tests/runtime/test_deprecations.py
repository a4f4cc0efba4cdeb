"""The deprecated-API rules (DSK10xx) say what the installed Dask and distributed do.

Each test checks one rule's claim against the installed packages: the exception a removed
API raises, that a removed name is gone, or (for DataFrame methods, whose module needs
pandas) the signatures in the installed source. A test needs the installed release to be
at or after the one the rule says removed the API, and is skipped otherwise. The
messages' wording comes from the rule modules, so a change in Dask shows up here.
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import dask
import distributed
import pytest
from click.testing import CliRunner

from dasklint.dask_version import DaskVersion, parse_dask_version
from dasklint.rules.deprecations import deprecated_dataframe_kwargs as dsk1010
from dasklint.rules.deprecations import fastparquet_engine as dsk1008
from dasklint.rules.deprecations import get_keyword_removed as dsk1001
from dasklint.rules.deprecations import legacy_cli_flags as dsk1011
from dasklint.rules.deprecations import legacy_dataframe_config as dsk1007
from dasklint.rules.deprecations import shuffle_kwarg_renamed as dsk1006
from dasklint.rules.deprecations._deprecations import Deprecation
from dasklint.rules.deprecations.dask_async_module import ASYNC_MODULE
from dasklint.rules.deprecations.executor_renamed import EXECUTOR
from dasklint.rules.deprecations.local_client_renamed import LOCAL_CLIENT
from dasklint.rules.deprecations.pub_sub_removed import PUB
from dasklint.rules.deprecations.set_options_removed import SET_OPTIONS
from dasklint.semantic.scheduler import GET_FUNCTIONS

pytestmark = pytest.mark.dask_runtime

GET_ERROR = "The get= keyword has been removed"
DATAFRAME_SOURCE = Path(dask.__file__).parent / "dataframe" / "dask_expr"


def _installed(version: str) -> DaskVersion:
    match = re.match(r"\d+\.\d+(\.\d+)?", version)
    assert match, version
    return parse_dask_version(match[0])


DASK = _installed(dask.__version__)
DISTRIBUTED = _installed(distributed.__version__)


def require_removed(deprecation: Deprecation) -> None:
    """Skip unless the installed package has the release that removed the API."""
    removed = deprecation.removed
    assert removed is not None
    installed = DISTRIBUTED if removed.package == "distributed" else DASK
    if installed < removed.version:
        pytest.skip(f"{deprecation.subject} is still there before {removed}")


# -- DSK1001 get-keyword-removed ---------------------------------------------------------


def test_get_keyword_raises_type_error_at_compute() -> None:
    require_removed(dsk1001.GET_KEYWORD)
    total = dask.delayed(sum)([1, 2])
    with pytest.raises(TypeError, match=GET_ERROR):
        total.compute(get=dask.threaded.get)
    with pytest.raises(TypeError, match=GET_ERROR):
        dask.compute(total, get=dask.get)
    assert GET_ERROR in dsk1001._ERROR


def test_get_keyword_is_ignored_by_persist() -> None:
    """`get=dask.multiprocessing.get` does not raise, and the task runs in this process."""
    require_removed(dsk1001.GET_KEYWORD)
    pid = dask.delayed(os.getpid)()
    (persisted,) = dask.persist(pid, get=dask.multiprocessing.get)
    assert persisted.compute(scheduler="sync") == os.getpid()
    assert pid.persist(get=dask.multiprocessing.get).compute(scheduler="sync") == os.getpid()


def test_get_in_config_makes_a_later_compute_raise_value_error() -> None:
    require_removed(dsk1001.GET_KEYWORD)
    total = dask.delayed(sum)([1, 2])
    with dask.config.set(get=dask.threaded.get), pytest.raises(ValueError, match=GET_ERROR):
        total.compute()
    with dask.config.set(get=dask.threaded.get):  # a scheduler set too wins over it
        assert total.compute(scheduler="sync") == 3


def test_scheduler_names_run_the_get_functions_the_fix_replaces() -> None:
    """The fix writes `scheduler="threads"` for `get=dask.threaded.get`, and so on."""
    from dask.base import get_scheduler

    for qualified, scheduler in GET_FUNCTIONS.items():
        module, _, name = qualified.rpartition(".")
        function = getattr(importlib.import_module(module), name)
        assert get_scheduler(scheduler=scheduler.value) is function
    assert dask.get is dask.local.get_sync


# -- DSK1002 set-options-removed, DSK1003 dask-async-module ------------------------------


def test_set_options_is_gone() -> None:
    require_removed(SET_OPTIONS)
    assert not hasattr(dask, "set_options")
    with pytest.raises(ImportError):
        exec("from dask import set_options", {})


def test_dask_async_is_a_syntax_error_and_dask_local_has_its_functions() -> None:
    require_removed(ASYNC_MODULE)
    with pytest.raises(SyntaxError):
        compile("from dask.async import get_sync\n", "<job>", "exec")
    local = importlib.import_module("dask.local")
    assert callable(local.get_sync) and callable(local.get_async)


# -- DSK1004 local-client-renamed, DSK1005 executor-renamed, DSK1009 pub-sub-removed -----


def test_local_client_is_a_warning_shim_for_worker_client(monkeypatch: pytest.MonkeyPatch) -> None:
    assert LOCAL_CLIENT.removed is None, "the rule says the shim still exists"
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    module = importlib.import_module("distributed.worker_client")
    monkeypatch.setattr(module, "worker_client", lambda *a, **k: calls.append((a, k)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        distributed.local_client(5, separate_thread=False)
    assert calls == [((5,), {"separate_thread": False})]
    assert any("moved to worker_client" in str(w.message) for w in caught)


def test_executor_is_gone_and_compatible_executor_is_another_name() -> None:
    require_removed(EXECUTOR)
    with pytest.raises(ImportError):
        exec("from distributed import Executor", {})
    assert not hasattr(distributed.client, "Executor")
    assert hasattr(distributed, "CompatibleExecutor")


def test_pub_sub_are_gone_and_the_events_api_exists() -> None:
    require_removed(PUB)
    with pytest.raises(ImportError):
        exec("from distributed import Pub, Sub", {})
    with pytest.raises(ImportError):
        importlib.import_module("distributed.pubsub")
    for owner, method in [
        (distributed.Client, "log_event"),
        (distributed.Client, "subscribe_topic"),
        (distributed.Worker, "log_event"),
    ]:
        assert callable(getattr(owner, method))


# -- DSK1007 legacy-dataframe-config -----------------------------------------------------


@pytest.mark.parametrize(
    "setting",
    [
        {"dataframe.query-planning": False},
        {"dataframe.query_planning": False},
        {"dataframe__query_planning": False},
    ],
)
def test_each_spelling_sets_the_query_planning_key(setting: dict[str, bool]) -> None:
    """The rule reports every spelling that Dask's configuration treats as the same key."""
    ((key, value),) = setting.items()
    arguments = ({key: value},) if "." in key else ()
    keywords = {} if "." in key else {key: value}
    with dask.config.set(*arguments, **keywords):
        assert dask.config.get("dataframe.query-planning") is False


def test_legacy_dataframe_setting_makes_the_import_fail() -> None:
    require_removed(dsk1007.LEGACY_DATAFRAME)
    program = (
        "import dask\ndask.config.set({'dataframe.query-planning': False})\nimport dask.dataframe\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "NotImplementedError: The legacy implementation is no longer supported" in done.stderr
    assert "The legacy implementation is no longer supported" in dsk1007._CONSEQUENCE
    assert dask.config.get("array.query-planning", "absent") != "absent"  # not deprecated


# -- DataFrame signatures: DSK1006, DSK1008, DSK1010 --------------------------------------


def _functions(module: str, name: str) -> list[ast.FunctionDef]:
    tree = ast.parse((DATAFRAME_SOURCE / module).read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name]


def _parameters(function: ast.FunctionDef) -> set[str]:
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    return {a.arg for a in every}


def _takes_any_keyword(function: ast.FunctionDef) -> bool:
    return function.args.kwarg is not None


def test_shuffle_keyword_fate_per_method() -> None:
    require_removed(dsk1006.SHUFFLE)
    fates = {
        **{(m, "_collection.py"): fate for m, fate in dsk1006.FRAME_METHODS.items()},
        **{(m, "_groupby.py"): fate for m, fate in dsk1006.GROUPBY_METHODS.items()},
    }
    for (method, module), fate in fates.items():
        functions = _functions(module, method)
        assert functions, method
        for function in functions:
            if function.name in ("apply", "transform") and module == "_collection.py":
                continue
            assert "shuffle" not in _parameters(function), (method, function.lineno)
            swallowed = _takes_any_keyword(function)
            assert swallowed == (fate in (dsk1006._IGNORED, dsk1006._PASSED_ON)), method
            if fate == dsk1006._RAISES:
                assert "shuffle_method" in _parameters(function), method
    merge_function = [f for f in _functions("_collection.py", "merge") if f.col_offset == 0]
    assert merge_function and not _takes_any_keyword(merge_function[0])


def test_fastparquet_engine_raises_not_implemented() -> None:
    require_removed(dsk1008.FASTPARQUET)
    path = DATAFRAME_SOURCE / "io" / "parquet.py"
    text = path.read_text(encoding="utf-8")
    (function,) = [
        n
        for n in ast.walk(ast.parse(text))
        if isinstance(n, ast.FunctionDef) and n.name == "_set_parquet_engine"
    ]
    body = ast.get_source_segment(text, function) or ""
    assert 'engine == "fastparquet"' in body
    assert 'raise NotImplementedError("Fastparquet engine is not supported")' in body
    assert "Fastparquet engine is not supported" in dsk1008._CONSEQUENCE
    collection = (DATAFRAME_SOURCE / "_collection.py").read_text(encoding="utf-8")
    assert "engine=_set_parquet_engine(engine)" in collection  # read_parquet goes through it


def test_legacy_dataframe_parameters_are_gone() -> None:
    require_removed(dsk1010.FILLNA_METHOD)
    for function in _functions("_collection.py", "fillna"):
        assert "method" not in _parameters(function)
        assert not _takes_any_keyword(function), "the rule says `method=` raises TypeError"
    for function in _functions("_collection.py", "set_index"):
        assert "compute" not in _parameters(function)
    for method in dsk1010.REDUCTIONS:
        for function in _functions("_collection.py", method):
            assert not {"out", "dtype"} & _parameters(function), method
    defined = [
        (path.name, function.lineno)
        for path in DATAFRAME_SOURCE.glob("*.py")
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(function, ast.FunctionDef) and function.name == "view"
    ]
    assert defined == [], "the rule says Series.view does not exist"


# -- DSK1011 legacy-cli-flags ------------------------------------------------------------


def test_old_programs_are_not_installed_and_subcommands_run_the_same_code() -> None:
    require_removed(dsk1011.OLD_COMMANDS)
    points = importlib.metadata.distribution("distributed").entry_points
    scripts = {p.name for p in points if p.group == "console_scripts"}
    assert not scripts & {"dask-worker", "dask-scheduler", "dask-ssh"}
    subcommands = {p.name: p.value for p in points if p.group == "dask_cli"}
    assert subcommands["worker"] == "distributed.cli.dask_worker:main"
    assert subcommands["scheduler"] == "distributed.cli.dask_scheduler:main"
    assert subcommands["ssh"] == "distributed.cli.dask_ssh:main"


def test_nprocs_is_refused_and_nworkers_is_the_option() -> None:
    require_removed(dsk1011.NPROCS)
    from distributed.cli.dask_worker import main

    # After the scheduler address click names the option; before it, the extra arguments.
    refused = CliRunner().invoke(main, ["tcp://127.0.0.1:1", "--nprocs", "2"])
    assert refused.exit_code == 2
    assert "No such option '--nprocs'" in refused.output
    assert CliRunner().invoke(main, ["--nprocs", "2", "tcp://127.0.0.1:1"]).exit_code == 2
    assert "usage error (exit status 2)" in dsk1011._NPROCS_GONE
    assert "--nworkers" in CliRunner().invoke(main, ["--help"]).output
