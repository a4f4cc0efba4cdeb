"""What the model's analyses ask of the model, declared below both.

The semantic model builds its analyses (task calls, receivers, sizes, ...) and they ask
it questions while the traversal runs: what a name is bound to, what kind of Dask value
an expression holds. Each analysis names :class:`ModelQueries` rather than the model
class, so no analysis depends on :mod:`dasklint.semantic.model` and the model, which
imports them all, sits above them. The protocols list only what the analyses ask;
:class:`~dasklint.semantic.model.SemanticModel` satisfies them (mypy checks it where the
model hands itself to an analysis).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import libcst as cst

    from dasklint.semantic.callsites import CallSites
    from dasklint.semantic.collections import CollectionKind, Element
    from dasklint.semantic.facts import FunctionFacts, ModuleFacts
    from dasklint.semantic.lazy import Lazy
    from dasklint.semantic.names import ScopeChain
    from dasklint.semantic.settingvalues import AttributeValue
    from dasklint.semantic.summaries import Summarizer
    from dasklint.semantic.values import Constant


class TaskQueries(Protocol):
    """What the analyses ask of the model's task analysis (``model.tasks``)."""

    @property
    def facts(self) -> ModuleFacts | None:
        """This module's functions, as the project index read them."""

    def function_facts(self, expr: cst.BaseExpression) -> FunctionFacts | None:
        """The project function a name or dotted name refers to."""

    def external_name(self, expr: cst.BaseExpression) -> str | None:
        """The qualified name of an imported or builtin callable."""

    def lazy_kind(self, expr: cst.BaseExpression) -> Lazy | None:
        """What ``expr`` holds in the current scope (Delayed, futures, lists of them)."""

    def summarizer(self) -> Summarizer:
        """The summaries of the project's functions."""


class ReceiverQueries(Protocol):
    """What the analyses ask of the model's receiver inference (``model.receivers``)."""

    def element(self, expr: cst.BaseExpression) -> Element:
        """What iterating ``expr`` gives."""


class ModelQueries(Protocol):
    """What the analyses ask of the model while it traverses a module."""

    @property
    def scopes(self) -> ScopeChain:
        """The bindings visible at the node being visited."""

    @property
    def tasks(self) -> TaskQueries:
        """Task calls, loops and lazy values found so far."""

    @property
    def receivers(self) -> ReceiverQueries:
        """What names, attributes and containers hold, inferred from their values."""

    @property
    def call_sites(self) -> CallSites:
        """The literals the module passes to its own functions."""

    @property
    def uses_dask(self) -> bool:
        """The module imports Dask or distributed (so far in the traversal)."""

    @property
    def uses_distributed(self) -> bool:
        """The module imports ``distributed`` anywhere at its top."""

    def parent(self, depth: int = 1) -> cst.CSTNode | None:
        """The ancestor ``depth`` levels above the node being visited."""

    def function_node(self) -> cst.CSTNode | None:
        """The function the node being visited is in; None at module level."""

    def in_first_iterable(self, comprehension: cst.CSTNode) -> bool:
        """The node being visited is in the outermost iterable of ``comprehension``."""

    def qualified_name(self, expr: cst.BaseExpression) -> str | None:
        """The canonical dotted name a dotted expression refers to through imports."""

    def constant(self, expr: cst.BaseExpression) -> Constant | None:
        """A literal, or what a name or ``self.attr`` is bound to when that is one."""

    def choices(self, expr: cst.BaseExpression) -> tuple[object, ...]:
        """The literals a loop variable takes."""

    def keyword_dict(
        self, expr: cst.BaseExpression
    ) -> dict[str, tuple[cst.BaseExpression, Constant | None]] | None:
        """The entries of what ``**expr`` unpacks, each with its constant."""

    def self_attribute(self, expr: cst.Attribute) -> tuple[bool, AttributeValue | None]:
        """Whether ``expr`` is ``self.<attr>`` in a method, and the one value assigned."""

    def collection_kind(self, expr: cst.BaseExpression) -> CollectionKind | None:
        """The kind of Dask object ``expr`` evaluates to, if the source shows it."""

    def is_delayed_function(self, expr: cst.BaseExpression) -> bool:
        """``expr`` names a ``@dask.delayed`` function of this module."""

    def project_delayed_function(self, expr: cst.BaseExpression) -> bool:
        """``expr`` names a ``@dask.delayed`` function of another module of the project."""


__all__ = ["ModelQueries", "ReceiverQueries", "TaskQueries"]
