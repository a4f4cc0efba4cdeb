"""What the fast paths remember stays true: scope lookups after every change of the
bindings, and the search that skips trivia finds what the full search finds."""

from __future__ import annotations

import libcst as cst
from conftest import ROOT

from dasklint.semantic.names import Binding, BindingKind, ScopeChain, ScopeKind
from dasklint.semantic.tree import TRIVIA, significant_nodes, walk_subtree


def _import(name: str) -> Binding:
    return Binding(BindingKind.IMPORT, qualified_name=name)


def test_lookup_follows_bind_push_pop_and_global() -> None:
    scopes = ScopeChain({}, star_from_dask=False)
    assert scopes.lookup("np") is None
    outer = _import("numpy")
    scopes.bind("np", outer)
    assert scopes.lookup("np") is outer
    function = cst.FunctionDef(cst.Name("f"), cst.Parameters(), cst.IndentedBlock([]))
    scopes.push(ScopeKind.FUNCTION, function)
    assert scopes.lookup("np") is outer
    inner = _import("dask.array")
    scopes.bind("np", inner)
    assert scopes.lookup("np") is inner
    scopes.declare_global(["np"])
    assert scopes.lookup("np") is outer  # ``global np``: the module's binding
    rebound = _import("cupy")
    scopes.bind("np", rebound)  # assigns the module's name
    assert scopes.lookup("np") is rebound
    scopes.pop()
    assert scopes.lookup("np") is rebound


def test_star_import_binding_is_new_each_time() -> None:
    scopes = ScopeChain({}, star_from_dask=True)
    first, second = scopes.lookup("compute"), scopes.lookup("compute")
    assert first is not None and first.qualified_name == "dask.compute"
    assert second is not None and second is not first
    assert scopes.lookup("not_exported") is None


def test_significant_nodes_are_the_full_walk_without_trivia() -> None:
    for path in sorted((ROOT / "dasklint" / "semantic").glob("*.py"))[:12]:
        module = cst.parse_module(path.read_bytes())
        full = [id(n) for n in walk_subtree(module) if type(n) not in TRIVIA]
        assert full and [id(n) for n in significant_nodes(module)] == full, path
