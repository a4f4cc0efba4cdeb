"""The semantic model on its own: qualified names, constants and effective schedulers."""

from __future__ import annotations

import textwrap

import libcst as cst

from dasklint.semantic import Scheduler, SchedulerSource, SemanticModel
from dasklint.semantic.scheduler import ComputeSite
from dasklint.semantic.scopenames import scope_names


class _CallNames(cst.BatchableCSTVisitor):
    """Records, for every call, the qualified name of its callee as the model sees it."""

    def __init__(self, model: SemanticModel) -> None:
        super().__init__()
        self.model = model
        self.names: dict[str, str | None] = {}
        self.constants: dict[str, object] = {}

    def visit_Call(self, node: cst.Call) -> None:
        code = cst.Module(body=[]).code_for_node(node.func)
        self.names[code] = self.model.qualified_name(node.func)
        for arg in node.args:
            if arg.keyword is not None:
                constant = self.model.constant(arg.value)
                self.constants[f"{code}:{arg.keyword.value}"] = (
                    None if constant is None else constant.value
                )


def _analyse(source: str) -> tuple[SemanticModel, _CallNames]:
    module = cst.parse_module(textwrap.dedent(source))
    model = SemanticModel(module)
    names = _CallNames(model)
    cst.visit_batched(module, [names], before_visit=model.on_visit, after_leave=model.on_leave)
    model.finish()
    return model, names


def _sites(source: str) -> list[ComputeSite]:
    return _analyse(source)[0].compute_sites


def test_qualified_names_through_aliases() -> None:
    _, calls = _analyse(
        """
        import dask as dk
        import dask.dataframe as dd
        import dask.distributed
        from dask import compute as c
        from dask.distributed import Client as C
        from distributed import LocalCluster

        dk.compute()
        dd.compute()
        dd.read_csv()
        c()
        C()
        dask.distributed.Client()
        LocalCluster()
        dask.base.persist()
        """
    )
    assert calls.names == {
        "dk.compute": "dask.compute",
        "dd.compute": "dask.compute",
        "dd.read_csv": "dask.dataframe.read_csv",
        "c": "dask.compute",
        "C": "distributed.Client",
        "dask.distributed.Client": "distributed.Client",
        "LocalCluster": "distributed.LocalCluster",
        "dask.base.persist": "dask.persist",
    }


def test_import_dask_as_dd_is_dask() -> None:
    _, calls = _analyse("import dask as dd\ndd.read_csv()\ndd.compute()\n")
    assert calls.names == {"dd.read_csv": "dask.read_csv", "dd.compute": "dask.compute"}


def test_shadowing_parameters_and_assignments() -> None:
    _, calls = _analyse(
        """
        import dask

        def f(dask):
            dask.compute()

        def g():
            dask = object()
            dask.persist()

        def h():
            import somelib as dask
            dask.visualize()

        dask.optimize()
        """
    )
    assert calls.names["dask.compute"] is None
    assert calls.names["dask.persist"] is None
    assert calls.names["dask.visualize"] == "somelib.visualize"
    assert calls.names["dask.optimize"] == "dask.optimize"


def test_module_imports_are_visible_in_functions_above_them() -> None:
    _, calls = _analyse("def f():\n    dask.compute()\n\nimport dask\n")
    assert calls.names == {"dask.compute": "dask.compute"}


def test_star_import_from_dask() -> None:
    _, calls = _analyse("from dask import *\ncompute()\nconfig.set()\nlen()\n")
    assert calls.names == {"compute": "dask.compute", "config.set": "dask.config.set", "len": None}


def test_constants_follow_one_hop_only() -> None:
    _, calls = _analyse(
        """
        import dask

        SCHED = "processes"
        ALIAS = SCHED

        def run(x, default="threads"):
            x.compute(scheduler=SCHED)
            x.persist(scheduler=ALIAS)
            x.visualize(scheduler=default)
        """
    )
    assert calls.constants == {
        "x.compute:scheduler": "processes",
        "x.persist:scheduler": None,
        "x.visualize:scheduler": "threads",
    }


def test_comprehension_targets_hide_outer_constants() -> None:
    model, _ = _analyse(
        """
        import dask
        sched = "processes"
        out = [dask.compute(scheduler=sched) for sched in ["threads", "sync"]]
        """
    )
    (site,) = model.compute_sites
    assert site.scheduler is not None and site.scheduler.scheduler is None


def test_explicit_scheduler_beats_config_and_client() -> None:
    (site,) = _sites(
        """
        import dask
        from distributed import Client
        client = Client()
        dask.config.set(scheduler="threads")
        dask.compute(scheduler="processes")
        """
    )
    assert site.effective.scheduler is Scheduler.PROCESSES
    assert site.effective.source is SchedulerSource.EXPLICIT


def test_unknown_explicit_scheduler_stays_unknown() -> None:
    (site,) = _sites(
        """
        import dask
        import dask.bag as db
        dask.config.set(scheduler="processes")
        def f(s):
            dask.compute(db.from_sequence([1]), dask.delayed(1), scheduler=s)
        """
    )
    assert site.effective.scheduler is None
    assert site.effective.source is SchedulerSource.EXPLICIT
    assert not site.effective.mixed_defaults


def test_with_config_beats_module_config_and_client() -> None:
    (site,) = _sites(
        """
        import dask
        from distributed import Client
        dask.config.set(scheduler="sync")
        with Client():
            with dask.config.set(scheduler="threads"):
                dask.compute()
        """
    )
    assert site.effective.scheduler is Scheduler.THREADS
    assert site.effective.source is SchedulerSource.WITH_CONFIG


def test_client_after_config_wins() -> None:
    first, second = _sites(
        """
        import dask
        from distributed import Client
        dask.config.set(scheduler="processes")
        dask.compute()
        client = Client()
        dask.compute()
        """
    )
    assert first.effective.scheduler is Scheduler.PROCESSES
    assert first.effective.source is SchedulerSource.CONFIG
    assert second.effective.scheduler is Scheduler.DISTRIBUTED
    assert second.effective.source is SchedulerSource.CLIENT


def test_chunksize_config_does_not_choose_a_scheduler() -> None:
    plain, inside_with = _sites(
        """
        import dask
        dask.config.set(scheduler="processes")
        dask.config.set(chunksize=1)
        dask.compute()
        with dask.config.set(chunksize=2):
            dask.compute()
        """
    )
    for site in (plain, inside_with):
        assert site.effective.scheduler is Scheduler.PROCESSES
        assert site.effective.source is SchedulerSource.CONFIG
        assert site.config_chunksize is not None


def test_collection_defaults_and_mixed_defaults() -> None:
    bag, mixed, unknown = _sites(
        """
        import dask
        import dask.bag as db
        import dask.array as da
        b = db.from_sequence([1, 2])
        b.count().compute()
        dask.compute(b, da.random.random((2, 2)))
        dask.compute(b, something_else)
        """
    )
    assert bag.effective.scheduler is Scheduler.PROCESSES
    assert bag.effective.source is SchedulerSource.COLLECTION_DEFAULT
    assert mixed.effective.mixed_defaults
    assert unknown.effective.scheduler is None
    assert not unknown.effective.mixed_defaults


def test_function_sees_module_client_created_below_it() -> None:
    (site,) = _sites(
        """
        import dask
        from distributed import Client
        def report():
            dask.compute()
        client = Client()
        """
    )
    assert site.effective.source is SchedulerSource.CLIENT


def test_scope_names_follow_pythons_binding_rules() -> None:
    module = cst.parse_module(
        textwrap.dedent(
            """
            def f(a, /, b, *c, d, **e):
                global g
                nonlocal_free.x = 1
                h, [i, *j] = k
                l += 1
                m: int
                for n in o: pass
                with p as q: pass
                try: pass
                except E as r: pass
                import s.t, u as v
                from w import x as y
                del z
                [aa for bb in cc if (dd := bb)]
                lambda ee: (ff := ee)
                def gg(hh): ii = 1
                class Jj: kk = 1
                match mm:
                    case [nn, *oo]: pass
                    case {"k": _, **pp}: pass
                    case Qq(rr=ss) as tt: pass
                read_only.append(uu)
            """
        )
    )
    function = module.body[0]
    assert isinstance(function, cst.FunctionDef)
    names = scope_names(function)
    assert names.declared == {"g"}
    assert names.bound == {
        *("a", "b", "c", "d", "e", "h", "i", "j", "l", "m", "n", "q", "r", "s", "v", "y", "z"),
        *("dd", "gg", "Jj", "nn", "oo", "pp", "ss", "tt"),
    }
    assert names.may_assign("g") and names.may_assign("h")
    assert not names.may_assign("k") and not names.may_assign("read_only")
