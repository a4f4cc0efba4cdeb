"""The per-module semantic model, built during the engine's one batched traversal.

The engine calls :meth:`SemanticModel.on_visit` before any rule visits a node and
:meth:`SemanticModel.on_leave` after every rule has left it, so while a rule looks at a
node the model describes exactly the code around it (scopes, bindings, enclosing
``with`` blocks, loops). :meth:`finish` runs after the traversal and resolves what needs
the whole module, such as the effective scheduler of each compute site.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from dasklint.semantic.bags import bag_size
from dasklint.semantic.callsites import CallSites
from dasklint.semantic.collections import (
    CLIENT_FACTORIES,
    CLUSTER_FACTORIES,
    CONVERSION_METHODS,
    PLAIN_ATTRIBUTES,
    CollectionKind,
    creator_kind,
)
from dasklint.semantic.debug_branches import debug_polarity
from dasklint.semantic.definitioncalls import DefinitionCalls
from dasklint.semantic.facts import ModuleFacts
from dasklint.semantic.lazy import Lazy
from dasklint.semantic.materialize import ImplicitCompute, attribute_trigger, call_trigger
from dasklint.semantic.module_tasks import TaskAnalysis
from dasklint.semantic.names import (
    Binding,
    BindingKind,
    ScopeChain,
    ScopeKind,
    canonical_name,
    dotted_parts,
    import_bindings,
    is_dask_name,
    prescan_module_imports,
)
from dasklint.semantic.origin import SCRIPT, Origin
from dasklint.semantic.parents import ParentLinks
from dasklint.semantic.passedkwargs import PassedKeywordDicts
from dasklint.semantic.project import ProjectIndex
from dasklint.semantic.receivers import Receivers, bind_kinds
from dasklint.semantic.resolution import (
    Event,
    PendingSite,
    ambient_chunksize,
    effective_scheduler,
    latest_event,
    latest_event_at,
)
from dasklint.semantic.scheduler import (
    GET_FUNCTIONS,
    PROCESS_POOLS,
    STRING_ALIASES,
    ComputeSite,
    EffectiveScheduler,
    Receiver,
    Scheduler,
    SchedulerSpec,
    SettingSpec,
    SpecOrigin,
)
from dasklint.semantic.settingvalues import (
    AttributeValue,
    InstanceAttributes,
    dict_entries,
    loop_choices,
)
from dasklint.semantic.task_counts import count_tasks
from dasklint.semantic.tree import walk_subtree
from dasklint.semantic.values import Constant, dict_items, literal_value
from dasklint.semantic.writtennames import WrittenNames
from dasklint.semantic.xarrays import (
    attribute_kind,
    chunked,
    dimension_names,
    item_kind,
    method_kind,
    opened_kind,
)

# How deep the inference of a receiver's kind may nest through containers and attributes.
_MAX_RECEIVER_DEPTH = 8
COMPUTE_FUNCTIONS = frozenset({"dask.compute", "dask.persist", "dask.visualize"})
COMPUTE_METHODS = frozenset({"compute", "persist", "visualize"})
# ``DaskMethodsMixin.compute(self, **kwargs)`` and ``.persist(self, **kwargs)`` take no
# positional argument (dask/base.py), so ``obj.compute(x, ...)`` on an object the source
# does not show to be a collection is some other library's method (or a shadowed ``dask``).
_KEYWORD_ONLY_METHODS = frozenset({"compute", "persist"})
# Keywords ``.compute()``/``.persist()`` pass to Dask's scheduler (``dask.base``,
# ``distributed.Client.compute``); a call with only these looks like Dask's.
DASK_COMPUTE_KEYWORDS = frozenset(
    {
        "scheduler", "get", "num_workers", "optimize_graph", "traverse", "pool", "chunksize",
        "resources", "retries", "priority", "workers", "allow_other_workers",
        "fifo_timeout", "actors", "sync", "pure", "rerun_exceptions_locally", "callbacks",
    }
)  # fmt: skip
# Libraries whose objects never hold a Dask graph: a ``.compute()`` on their values is
# theirs (``pandas``' and ``numpy``'s own values, for instance).
FOREIGN_LIBRARIES = frozenset(
    {
        "numpy", "pandas", "polars", "pyarrow", "scipy", "sklearn", "torch", "tensorflow",
        "jax", "cupy", "sympy", "numba",
    }
)  # fmt: skip
_FOREIGN_HOPS = 32  # expression steps followed back to a value's origin
# Calls that read a clock: a computation between two of them in a loop is timed.
CLOCKS = frozenset(
    {
        "time.time", "time.perf_counter", "time.monotonic", "time.process_time",
        "time.time_ns", "time.perf_counter_ns", "time.monotonic_ns", "timeit.default_timer",
        "datetime.datetime.now", "datetime.datetime.utcnow",
    }
)  # fmt: skip
_TRACKED_SETTINGS = ("scheduler", "chunksize", "num_workers", "pool")
_SUITES = (cst.IndentedBlock, cst.SimpleStatementSuite)
# Code run by these is expected to raise: a finding there is what the test checks.
EXPECTS_ERROR = frozenset({"pytest.raises"})
EXPECTS_ERROR_METHODS = frozenset({"assertRaises", "assertRaisesRegex"})
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


class SemanticModel:
    """Names, values, collections and schedulers of one module. Knows no rule."""

    def __init__(
        self,
        module: cst.Module,
        index: ProjectIndex | None = None,
        facts: ModuleFacts | None = None,
        origin: Origin = SCRIPT,
    ) -> None:
        # A script, a notebook's cells or a notebook export (see dasklint.semantic.origin).
        self.origin = origin
        self._module = module
        self._dimensions: frozenset[str] | None = None  # read on first need
        fallback, star = prescan_module_imports(module)
        self.scopes = ScopeChain(fallback, star)
        self.ancestors: list[cst.CSTNode] = []
        self.settings: list[SettingSpec] = []
        self.scheduler_specs: list[SchedulerSpec] = []
        self.compute_sites: list[ComputeSite] = []
        # ``x.values``, ``np.asarray(x)``, ``ddf.head()``: graphs run without ``compute``.
        self.implicit_computes: list[ImplicitCompute] = []
        self.client_calls: list[cst.Call] = []
        self.cluster_calls: list[cst.Call] = []
        self.clock_calls: set[int] = set()  # ids of the calls that read a clock
        self._uses_dask = any(is_dask_name(b.qualified_name or "") for b in fallback.values())
        # ``**kw`` of compute calls where ``kw`` is a parameter, and the dicts calls pass.
        self._passed_dicts = PassedKeywordDicts()
        self._passed_pending: list[_ThroughParameter] = []
        self._uses_distributed = any(
            canonical_name(b.qualified_name or "").split(".", 1)[0] == "distributed"
            for b in fallback.values()
        )
        self._creations: list[Event] = []  # Client, get_client and cluster constructors
        # ``with Client() ...`` / ``with LocalCluster() ...`` blocks open around the visit:
        # a Client or cluster used as a context manager is closed when its block ends.
        self._creation_withs: list[cst.With] = []
        self._sites_in_creation_with: set[int] = set()
        self._order = 0
        self._visiting: cst.CSTNode | None = None  # the node whose visit handler runs
        self._with_stack: list[tuple[cst.With, Event]] = []
        self._events: list[Event] = []
        self._pending: list[PendingSite] = []
        self._loop_suites: set[int] = set()
        # ``with pytest.raises(...):`` bodies and the callables given to ``pytest.raises``.
        self._expected_errors: list[cst.CSTNode] = []
        self._debug_branches: set[int] = set()  # ids of the branches that run when debugging
        self._attributes = InstanceAttributes()  # ``self.x = ...`` per class
        # Task calls, loops and lazy values (``index``: the project's functions;
        # ``facts``: this module's functions, read by the same index pass).
        self.tasks = TaskAnalysis(self, index, facts)
        self.call_sites = CallSites(module)  # literals passed to the module's functions
        self.receivers = Receivers(self)
        self.parents = ParentLinks(module)  # each node's parent, for questions after the walk
        self.written_names = WrittenNames(module)  # what a fix's new name must avoid
        self.definition_calls = DefinitionCalls()  # the calls a function definition writes
        # qualified_name's answers since the bindings last changed: id -> (node, name)
        self._names: dict[int, tuple[cst.BaseExpression, str | None]] = {}
        self._names_generation = -1
        self._receiver_depth = 0  # nesting of the receivers' inferences (bounded)
        self._visit: dict[type, Callable[[cst.CSTNode], None]] = {
            cst.Import: self._visit_import,
            cst.ImportFrom: self._visit_import,
            cst.FunctionDef: self._visit_function,
            cst.Lambda: self._visit_lambda,
            cst.ClassDef: self._visit_class,
            cst.For: self._visit_for,
            cst.While: self._visit_while,
            cst.With: self._visit_with,
            cst.If: self._visit_if,
            cst.Call: self._visit_call,
            cst.Attribute: self._visit_attribute,
            cst.CompFor: self._visit_comp_for,
            cst.Global: self._visit_global,
            cst.ExceptHandler: self._visit_except,
            cst.IndentedBlock: self._visit_suite,
            cst.SimpleStatementSuite: self._visit_suite,
        }
        for comp in _COMPREHENSIONS:
            self._visit[comp] = self._visit_comprehension
        self._leave: dict[type, Callable[[cst.CSTNode], None]] = {
            cst.FunctionDef: self._pop_scope,
            cst.Lambda: self._pop_scope,
            cst.ClassDef: self._pop_scope,
            cst.While: self._leave_while,
            cst.With: self._leave_with,
            cst.Call: self._leave_call,
            cst.Return: self._leave_return,
            cst.Assign: self._leave_assign,
            cst.AnnAssign: self._leave_ann_assign,
            cst.AugAssign: self._leave_aug_assign,
            cst.NamedExpr: self._leave_named_expr,
            cst.IndentedBlock: self._leave_suite,
            cst.SimpleStatementSuite: self._leave_suite,
        }
        for comp in _COMPREHENSIONS:
            self._leave[comp] = self._leave_comprehension

    # ----------------------------------------------------------------- traversal hooks
    def on_visit(self, node: cst.CSTNode) -> None:
        handler = self._visit.get(type(node))
        if handler is not None:
            self._visiting = node
            handler(node)
        self.ancestors.append(node)

    def on_leave(self, node: cst.CSTNode) -> None:
        self.ancestors.pop()
        handler = self._leave.get(type(node))
        if handler is not None:
            handler(node)

    def finish(self) -> None:
        """Resolve whole-module facts (effective schedulers) once the traversal is over."""
        for through in self._passed_pending:
            self._resolve_through_parameter(through)
        for pending in self._pending:
            site = pending.site
            site.effective = self._effective(pending)
            site.config_chunksize = pending.with_chunksize or self._ambient_chunksize(pending)

    # ----------------------------------------------------------------- queries for rules
    def parent(self, depth: int = 1) -> cst.CSTNode | None:
        """The ancestor ``depth`` levels above the node being visited."""
        index = len(self.ancestors) - depth
        return self.ancestors[index] if index >= 0 else None

    def qualified_name(self, expr: cst.BaseExpression) -> str | None:
        """The canonical dotted name a pure dotted expression refers to through imports.
        Remembered per node while the bindings stay the same: the model and several rules
        ask it of every call's callee."""
        if self._names_generation != self.scopes.generation:
            self._names.clear()
            self._names_generation = self.scopes.generation
        known = self._names.get(id(expr))
        if known is not None and known[0] is expr:  # the node itself, kept alive here
            return known[1]
        name = self._qualified_name(expr)
        self._names[id(expr)] = (expr, name)
        return name

    def _qualified_name(self, expr: cst.BaseExpression) -> str | None:
        parts = dotted_parts(expr)
        if parts is None:
            return None
        binding = self.scopes.lookup(parts[0])
        if binding is None or binding.kind is not BindingKind.IMPORT or not binding.qualified_name:
            return None
        return canonical_name(".".join([binding.qualified_name, *parts[1:]]))

    def constant(self, expr: cst.BaseExpression) -> Constant | None:
        """A literal, or a name bound to a literal (one hop, parameter defaults included),
        or ``self.attr`` assigned a constant in a method of the enclosing class."""
        value = literal_value(expr)
        if value is not None:
            return Constant(value, expr)
        if isinstance(expr, cst.Attribute):
            attribute = self._instance_attribute(expr)
            return attribute.constant if attribute is not None else None
        if isinstance(expr, cst.Name):
            binding = self.scopes.lookup(expr.value)
            if binding is not None and binding.value is not None:
                target = literal_value(binding.value)
                if target is not None:
                    return Constant(
                        target,
                        binding.value,
                        via_name=True,
                        from_parameter_default=binding.kind is BindingKind.PARAMETER,
                    )
        return None

    def dict_display(self, expr: cst.BaseExpression) -> dict[str, cst.BaseExpression] | None:
        """A dict display, or a name bound to one (one hop)."""
        items = dict_items(expr)
        if items is None and isinstance(expr, cst.Name):
            binding = self.scopes.lookup(expr.value)
            if binding is not None and binding.value is not None:
                items = dict_items(binding.value)
        return items

    def keyword_dict(
        self, expr: cst.BaseExpression
    ) -> dict[str, tuple[cst.BaseExpression, Constant | None]] | None:
        """The entries of what ``**expr`` unpacks, each with its constant: a dict display
        or ``dict(...)`` call, a name bound to one (one hop, parameter defaults included),
        or ``self.attr`` assigned one in a method of the enclosing class."""
        if isinstance(expr, cst.Attribute):
            attribute = self._instance_attribute(expr)
            return attribute.entries if attribute is not None else None
        entries = self._dict_entries(expr)
        if entries is None and isinstance(expr, cst.Name):
            binding = self.scopes.lookup(expr.value)
            if binding is not None and binding.value is not None:
                entries = self._dict_entries(binding.value)
        if entries is None:
            return None
        return {key: (value, self.constant(value)) for key, value in entries.items()}

    def choices(self, expr: cst.BaseExpression) -> tuple[object, ...]:
        """The literals a loop variable takes (``for s in ["threads", "processes"]``)."""
        if isinstance(expr, cst.Name):
            binding = self.scopes.lookup(expr.value)
            if binding is not None and binding.kind is BindingKind.UNKNOWN:
                return loop_choices(binding.iterable)
        return ()

    @property
    def dimension_names(self) -> frozenset[str]:
        """The names this module uses as xarray dimensions (``isel(level=k)``,
        ``mean("time")``): a variable of that name is an in-memory index coordinate."""
        if self._dimensions is None:
            self._dimensions = dimension_names(self._module)
        return self._dimensions

    @property
    def uses_distributed(self) -> bool:
        """The module imports ``distributed`` (or ``dask.distributed``) anywhere at its top."""
        return self._uses_distributed

    @property
    def uses_dask(self) -> bool:
        """The module imports Dask or distributed (so far in the traversal)."""
        return self._uses_dask

    def collection_kind(self, expr: cst.BaseExpression) -> CollectionKind | None:
        """The kind of Dask object ``expr`` evaluates to, if the source shows it."""
        if isinstance(expr, cst.Name):
            binding = self.scopes.lookup(expr.value)
            tag = binding.tag if binding is not None else None
            return tag if isinstance(tag, CollectionKind) else None
        if isinstance(expr, cst.Call):
            return self._call_kind(expr)
        if isinstance(expr, cst.Attribute) and expr.attr.value in PLAIN_ATTRIBUTES:
            return None
        if isinstance(expr, (cst.Attribute, cst.Subscript)):
            kind = self.collection_kind(expr.value)
            if kind is CollectionKind.XARRAY:
                # ``ds.salinity`` and ``ds["salinity"]`` stay lazy; ``.values`` computes.
                if isinstance(expr, cst.Attribute):
                    return attribute_kind(expr.attr.value, self.dimension_names)
                return item_kind(expr, self.dimension_names)
            if kind is None and self._receiver_depth < _MAX_RECEIVER_DEPTH:
                # ``self.frame`` set in another method; ``arrays[name]`` of a container.
                # Bounded: values that refer to themselves (``d = {k: d[k] for k in d}``,
                # ``self.x = self.x[...]``) would otherwise be followed without end.
                self._receiver_depth += 1
                try:
                    if isinstance(expr, cst.Attribute):
                        kind = self.receivers.attribute(expr)
                    else:
                        kind = self.receivers.item(expr.value)
                finally:
                    self._receiver_depth -= 1
            return kind if kind is not None and kind.is_collection else None
        if isinstance(expr, cst.BinaryOperation):
            left, right = self.collection_kind(expr.left), self.collection_kind(expr.right)
            if CollectionKind.XARRAY in (left, right):
                return CollectionKind.XARRAY  # xarray wraps the result of ``ds.x + darr``
            return left or right
        return None

    def is_delayed_function(self, expr: cst.BaseExpression) -> bool:
        """``expr`` names a function decorated with ``dask.delayed`` in this module."""
        if isinstance(expr, cst.Name):
            binding = self.scopes.lookup(expr.value)
            return binding is not None and binding.is_delayed_function
        return False

    def expected_to_raise(self) -> frozenset[int]:
        """Ids of the nodes in code a test expects to raise (``with pytest.raises(...):``,
        ``pytest.raises(TypeError, lambda: bool(d))``, ``self.assertRaises``): a finding
        there is what the test checks, not a problem."""
        found: set[int] = set()
        for region in self._expected_errors:
            found.update(id(node) for node in walk_subtree(region))
        return frozenset(found)

    def in_loop(self) -> bool:
        """The current node runs once per iteration of a loop in its own function."""
        scope = self.scopes.current
        while True:
            if scope.loop_depth > 0:
                return True
            if scope.kind is ScopeKind.COMPREHENSION and not self._in_first_iterable(scope.node):
                return True
            if scope.kind in (ScopeKind.FUNCTION, ScopeKind.MODULE) or scope.parent is None:
                return False
            scope = scope.parent

    def created_by(self, expr: cst.BaseExpression) -> str | None:
        """The qualified name of the callable whose call produced ``expr``: a call, or a
        name bound to one (one hop, ``with ... as name`` included)."""
        if isinstance(expr, cst.Name):
            binding = self.scopes.lookup(expr.value)
            if binding is None or binding.kind is not BindingKind.VALUE or binding.value is None:
                return None
            expr = binding.value
        if isinstance(expr, cst.Call):
            return self.qualified_name(expr.func)
        return None

    def cluster_runs_before(self, site: ComputeSite) -> bool:
        """A ``Client``, ``get_client()`` or cluster is created before ``site`` runs."""
        if id(site.call) in self._sites_in_creation_with:
            return True
        return latest_event(self._creations, PendingSite(site, None, None)) is not None

    def scheduler_here(self) -> SchedulerSpec | None:
        """The scheduler ``dask.config.set`` chooses for a computation at the current node
        (an enclosing ``with`` block, else the latest call before it); None when none
        does, or when a ``Client`` was created since."""
        with_event = next((e for _, e in reversed(self._with_stack) if e.sets_scheduler), None)
        setting = [e for e in self._events if e.sets_scheduler]
        latest = latest_event_at(setting, self._order + 1, self._scope_nodes())
        event = with_event
        if event is None or (
            latest is not None and latest.scope is event.scope and latest.order > event.order
        ):
            event = latest
        return None if event is None or event.client else event.spec

    def in_function(self) -> bool:
        return self.scopes.current.function_scope().kind is ScopeKind.FUNCTION

    def function_node(self) -> cst.CSTNode | None:
        """The function (``def`` or lambda) the current node is in; None at module level."""
        return self._scope_node()

    def in_first_iterable(self, comprehension: cst.CSTNode) -> bool:
        return self._in_first_iterable(comprehension)

    def project_delayed_function(self, expr: cst.BaseExpression) -> bool:
        """``expr`` names a ``@dask.delayed`` function of another module of the project."""
        if not isinstance(expr, (cst.Name, cst.Attribute)):
            return False
        if isinstance(expr, cst.Name):
            binding = self.scopes.lookup(expr.value)
            if binding is not None and binding.kind is BindingKind.FUNCTION:
                return False
        facts = self.tasks.function_facts(expr)
        return facts is not None and any(d.name == "dask.delayed" for d in facts.decorators)

    # ----------------------------------------------------------------- binding handlers
    def _visit_import(self, node: cst.CSTNode) -> None:
        assert isinstance(node, (cst.Import, cst.ImportFrom))
        for name, binding in import_bindings(node):
            self.scopes.bind(name, binding)
            self._uses_dask = self._uses_dask or is_dask_name(binding.qualified_name or "")

    def _visit_function(self, node: cst.CSTNode) -> None:
        assert isinstance(node, cst.FunctionDef)
        delayed = any(self._is_delayed_decorator(d.decorator) for d in node.decorators)
        self.tasks.function_defined(node, self._qualname(node.name.value))
        self.scopes.bind(
            node.name.value, Binding(BindingKind.FUNCTION, node=node, is_delayed_function=delayed)
        )
        self.scopes.push(ScopeKind.FUNCTION, node)
        self._bind_parameters(node.params)

    def _qualname(self, name: str) -> str:
        """``outer.inner`` / ``Class.method``, as the project index names functions."""
        parts = [name]
        scope = self.scopes.current
        while scope.parent is not None:
            node = scope.node
            if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
                parts.append(node.name.value)
            scope = scope.parent
        return ".".join(reversed(parts))

    def _visit_lambda(self, node: cst.CSTNode) -> None:
        assert isinstance(node, cst.Lambda)
        self.scopes.push(ScopeKind.FUNCTION, node)
        self._bind_parameters(node.params)

    def _bind_parameters(self, params: cst.Parameters) -> None:
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        for param in every:
            annotation = param.annotation
            tag = self.receivers.annotation_kind(annotation.annotation) if annotation else None
            self.scopes.bind(
                param.name.value,
                Binding(BindingKind.PARAMETER, value=param.default, node=param, tag=tag),
            )
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                self.scopes.bind(star.name.value, Binding(BindingKind.PARAMETER, node=star))

    def _visit_class(self, node: cst.CSTNode) -> None:
        assert isinstance(node, cst.ClassDef)
        self.scopes.bind(node.name.value, Binding(BindingKind.UNKNOWN, node=node))
        self.scopes.push(ScopeKind.CLASS, node)

    def _visit_comprehension(self, node: cst.CSTNode) -> None:
        assert isinstance(node, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp))
        self.scopes.push(ScopeKind.COMPREHENSION, node)
        # The element is visited before its ``for`` clauses, but it sees their targets.
        comp_for: cst.CompFor | None = node.for_in
        while comp_for is not None:
            self._bind_elements(comp_for.target, comp_for.iter)
            comp_for = comp_for.inner_for_in
        self.tasks.loop_entered(node)

    def _leave_comprehension(self, node: cst.CSTNode) -> None:
        self.tasks.loop_left(node)
        self._pop_scope(node)

    def _in_first_iterable(self, comprehension: cst.CSTNode | None) -> bool:
        """The node being visited is in the outermost iterable of ``comprehension``, which
        Python evaluates once, in the enclosing scope."""
        if not isinstance(
            comprehension, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
        ):
            return False
        first = comprehension.for_in.iter
        return self._visiting is first or any(node is first for node in self.ancestors)

    def _visit_comp_for(self, node: cst.CSTNode) -> None:
        assert isinstance(node, cst.CompFor)
        self._bind_elements(node.target, node.iter)

    def _visit_for(self, node: cst.CSTNode) -> None:
        assert isinstance(node, cst.For)
        self._bind_elements(node.target, node.iter, keep_iterable=True)

    def _bind_elements(
        self,
        target: cst.BaseExpression,
        iterable: cst.BaseExpression,
        *,
        keep_iterable: bool = False,
    ) -> None:
        """Bind a loop target; names that take collections (``for arr in arrays``) get
        their kind. ``keep_iterable``: a plain name target remembers what it iterates."""
        kinds = dict(bind_kinds(target, self.receivers.element(iterable)))
        if isinstance(target, cst.Name):
            self.scopes.bind(
                target.value,
                Binding(
                    BindingKind.UNKNOWN,
                    node=target,
                    tag=kinds.get(target.value),
                    iterable=iterable if keep_iterable else None,
                ),
            )
            return
        self._bind_unknown(target)
        for name, kind in kinds.items():
            self.scopes.bind(name, Binding(BindingKind.UNKNOWN, tag=kind, node=target))

    def _visit_global(self, node: cst.CSTNode) -> None:
        assert isinstance(node, cst.Global)
        self.scopes.declare_global(item.name.value for item in node.names)

    def _visit_except(self, node: cst.CSTNode) -> None:
        assert isinstance(node, cst.ExceptHandler)
        if node.name is not None:
            self._bind_unknown(node.name.name)

    def _pop_scope(self, node: cst.CSTNode) -> None:
        self.scopes.pop()

    def _leave_assign(self, node: cst.CSTNode) -> None:
        assert isinstance(node, cst.Assign)
        self.tasks.assigned(node)
        for target in node.targets:
            self._bind_value(target.target, node.value)

    def _leave_ann_assign(self, node: cst.CSTNode) -> None:
        assert isinstance(node, cst.AnnAssign)
        if node.value is not None:
            self._bind_value(node.target, node.value)

    def _leave_aug_assign(self, node: cst.CSTNode) -> None:
        assert isinstance(node, cst.AugAssign)
        before = self.tasks.aug_assign_info(node)
        self._bind_unknown(node.target)
        self.tasks.dataflow.aug_assigned(node.target, node.value, before)

    def _leave_call(self, node: cst.CSTNode) -> None:
        assert isinstance(node, cst.Call)
        self.tasks.call_left(node)
        self._loaded_in_place(node)

    def _leave_return(self, node: cst.CSTNode) -> None:
        assert isinstance(node, cst.Return)
        self.tasks.dataflow.returned(self.function_node(), node.value)

    def _leave_named_expr(self, node: cst.CSTNode) -> None:
        assert isinstance(node, cst.NamedExpr)
        self._bind_value(node.target, node.value)

    def _bind_value(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if not isinstance(target, cst.Name):
            if isinstance(target, cst.Attribute):
                self._record_attribute(target, value)
            self._bind_unknown(target)
            self.tasks.dataflow.bound(target, value)
            return
        alias = self.qualified_name(value)
        if alias is not None:
            binding = Binding(BindingKind.IMPORT, qualified_name=alias, node=target)
        else:
            binding = Binding(
                BindingKind.VALUE, value=value, tag=self.collection_kind(value), node=target
            )
        self.scopes.bind(target.value, binding)
        self.tasks.dataflow.bound(target, value)

    def _bind_unknown(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self.scopes.bind(target.value, Binding(BindingKind.UNKNOWN, node=target))
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_unknown(element.value)
        elif isinstance(target, cst.StarredElement):
            self._bind_unknown(target.value)

    def _instance_owner(self, expr: cst.Attribute) -> cst.ClassDef | None:
        """The class whose instance ``expr`` (``self.attr``) reads, when ``self`` is the
        first parameter of the method the current node is in."""
        if not isinstance(expr.value, cst.Name):
            return None
        scope = self.scopes.current.function_scope()
        method = scope.node
        if not isinstance(method, cst.FunctionDef) or scope.parent is None:
            return None
        owner = scope.parent.node
        if scope.parent.kind is not ScopeKind.CLASS or not isinstance(owner, cst.ClassDef):
            return None
        params = [*method.params.posonly_params, *method.params.params]
        if not params or params[0].name.value != expr.value.value:
            return None
        if any(
            isinstance(d.decorator, cst.Name) and d.decorator.value == "staticmethod"
            for d in method.decorators
        ):
            return None
        return owner

    def self_attribute(self, expr: cst.Attribute) -> tuple[bool, AttributeValue | None]:
        """Whether ``expr`` is ``self.<attr>`` in a method, and the one value the class's
        methods assign to it (None when unknown or assigned different values)."""
        owner = self._instance_owner(expr)
        if owner is None:
            return False, None
        return True, self._attributes.lookup(owner, expr.attr.value)

    def _instance_attribute(self, expr: cst.Attribute) -> AttributeValue | None:
        owner = self._instance_owner(expr)
        return self._attributes.lookup(owner, expr.attr.value) if owner is not None else None

    def _record_attribute(self, target: cst.Attribute, value: cst.BaseExpression) -> None:
        owner = self._instance_owner(target)
        if owner is None:
            return
        self._attributes.record(
            owner,
            target.attr.value,
            AttributeValue(value, self.constant(value), self.keyword_dict(value)),
        )

    def _dict_entries(self, expr: cst.BaseExpression) -> dict[str, cst.BaseExpression] | None:
        if isinstance(expr, cst.Call) and self.scopes.lookup("dict") is not None:
            return None  # ``dict`` names something else here
        return dict_entries(expr)

    # ----------------------------------------------------------------- control flow
    def _visit_suite(self, node: cst.CSTNode) -> None:
        parent = self.parent()
        if isinstance(parent, cst.For) and parent.body is node:
            self.scopes.current.loop_depth += 1
            self._loop_suites.add(id(node))
            self.tasks.loop_entered(parent)

    def _leave_suite(self, node: cst.CSTNode) -> None:
        if id(node) in self._loop_suites:
            self._loop_suites.discard(id(node))
            self.scopes.current.loop_depth -= 1
            parent = self.parent()
            if parent is not None:
                self.tasks.loop_left(parent)

    def _visit_while(self, node: cst.CSTNode) -> None:
        self.scopes.current.loop_depth += 1
        self.tasks.loop_entered(node)

    def _leave_while(self, node: cst.CSTNode) -> None:
        self.scopes.current.loop_depth -= 1
        self.tasks.loop_left(node)

    def _visit_if(self, node: cst.CSTNode) -> None:
        assert isinstance(node, cst.If)
        polarity = debug_polarity(node.test)
        if polarity is True:
            self._debug_branches.add(id(node.body))
        elif polarity is False and node.orelse is not None:
            branch = node.orelse.body if isinstance(node.orelse, cst.Else) else node.orelse
            self._debug_branches.add(id(branch))

    def _in_debug_block(self) -> bool:
        return bool(self._debug_branches) and any(
            id(node) in self._debug_branches for node in self.ancestors
        )

    def _visit_with(self, node: cst.CSTNode) -> None:
        assert isinstance(node, cst.With)
        if any(self._expects_error(item.item) for item in node.items):
            self._expected_errors.append(node.body)
        for item in node.items:
            if item.asname is not None:
                self._bind_value(item.asname.name, item.item)

    def _leave_with(self, node: cst.CSTNode) -> None:
        while self._with_stack and self._with_stack[-1][0] is node:
            self._with_stack.pop()
        while self._creation_withs and self._creation_withs[-1] is node:
            self._creation_withs.pop()

    # ----------------------------------------------------------------- Dask calls
    def _visit_call(self, node: cst.CSTNode) -> None:
        assert isinstance(node, cst.Call)
        self._order += 1
        if node.args and self._uses_dask:
            self._passed_dicts.record(self, node)
        if len(node.args) > 1 and self._expects_error(node):
            self._expected_errors.extend(arg.value for arg in node.args[1:])
        name = self.qualified_name(node.func)
        if name == "dask.config.set":
            self._record_config_set(node)
        elif name in CLIENT_FACTORIES or _is_method(node, "get_client"):
            self.client_calls.append(node)
            event = Event(self._order, self._scope_node(), None, None, client=True)
            self._record_creation(event)
            self._record_event(event, node)
        elif name in CLUSTER_FACTORIES:
            self.cluster_calls.append(node)
            self._record_creation(Event(self._order, self._scope_node(), None, None))
        elif name in CLOCKS:
            self.clock_calls.add(id(node))
        self._record_implicit(node, call_trigger(self, node, name))
        if name in COMPUTE_FUNCTIONS:
            self._record_compute_site(node, name.rsplit(".", 1)[1], is_method=False)
        elif (
            name is None
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value in COMPUTE_METHODS
        ):
            method = node.func.attr.value
            receiver = self.collection_kind(node.func.value)
            positional = any(arg.keyword is None and arg.star != "**" for arg in node.args)
            handle = receiver in (CollectionKind.CLIENT, CollectionKind.CLUSTER)
            other_library = receiver is None and positional and method in _KEYWORD_ONLY_METHODS
            if not handle and not other_library:
                self._record_compute_site(node, method, is_method=True)

    def _visit_attribute(self, node: cst.CSTNode) -> None:
        assert isinstance(node, cst.Attribute)
        self._record_implicit(node, attribute_trigger(self, node))

    def _record_implicit(
        self,
        node: cst.BaseExpression,
        found: tuple[cst.BaseExpression, str, CollectionKind, Receiver] | None,
    ) -> None:
        if found is None:
            return
        value, trigger, kind, receiver = found
        path = tuple(self.ancestors)
        self.implicit_computes.append(
            ImplicitCompute(node, value, trigger, kind, receiver, self.in_loop(), path)
        )

    def _loaded_in_place(self, call: cst.Call) -> None:
        """``ds.load()`` as a statement loads ``ds`` itself: from here on it holds NumPy
        data (``DataArray.load`` returns the same object, modified)."""
        func = call.func
        if not (
            isinstance(func, cst.Attribute)
            and func.attr.value == "load"
            and isinstance(func.value, cst.Name)
            and isinstance(self.parent(), cst.Expr)
        ):
            return
        name = func.value.value
        binding = self.scopes.current.bindings.get(name)
        if binding is not None and binding.tag is CollectionKind.XARRAY:
            self.scopes.bind(
                name, Binding(BindingKind.VALUE, value=call, tag=None, node=binding.node)
            )

    def _receiver(self, call: cst.Call, kind: CollectionKind | None) -> Receiver:
        """How sure it is that ``call`` (a ``.compute()``-like method call) is Dask's."""
        if kind is not None:
            return Receiver.PROVEN
        assert isinstance(call.func, cst.Attribute)
        if (
            self._uses_dask
            and call.func.attr.value in _KEYWORD_ONLY_METHODS
            and all(
                arg.keyword is not None and arg.keyword.value in DASK_COMPUTE_KEYWORDS
                for arg in call.args
            )
            and not self._foreign(call.func.value)
        ):
            return Receiver.LIKELY
        return Receiver.UNKNOWN

    def _foreign(self, expr: cst.BaseExpression) -> bool:
        """``expr`` is built from a value of a library whose objects hold no Dask graph
        (``pd.read_csv(...)``, a name bound to one, a literal)."""
        for _ in range(_FOREIGN_HOPS):
            if isinstance(expr, (cst.Attribute, cst.Subscript)):
                expr = expr.value
            elif isinstance(expr, cst.Call):
                name = self.qualified_name(expr.func)
                facts = self.tasks.function_facts(expr.func)
                if facts is not None and facts.returned_calls:
                    # ``def load(p): return pd.read_csv(p)``: the project function's value.
                    return all(
                        call.split(".", 1)[0] in FOREIGN_LIBRARIES for call in facts.returned_calls
                    )
                if name is not None:
                    return name.split(".", 1)[0] in FOREIGN_LIBRARIES
                expr = expr.func
            elif isinstance(expr, cst.Name):
                binding = self.scopes.lookup(expr.value)
                if binding is None or binding.kind is not BindingKind.VALUE:
                    return False
                value = binding.value
                if value is None or value is expr:
                    return False
                if literal_value(value) is not None:
                    return True
                if not isinstance(value, (cst.Call, cst.Attribute, cst.Subscript)):
                    return False
                expr = value
                if self.qualified_name(expr) is not None:
                    return False  # an alias of an imported name
            else:
                return isinstance(expr, (cst.BaseList, cst.BaseDict, cst.BaseSet, cst.BaseString))
        return False

    def _expects_error(self, expr: cst.BaseExpression) -> bool:
        if not isinstance(expr, cst.Call):
            return False
        if self.qualified_name(expr.func) in EXPECTS_ERROR:
            return True
        return isinstance(expr.func, cst.Attribute) and expr.func.attr.value in (
            EXPECTS_ERROR_METHODS
        )

    def _record_creation(self, event: Event) -> None:
        with_node = self.parent(2)
        if isinstance(self.parent(), cst.WithItem) and isinstance(with_node, cst.With):
            self._creation_withs.append(with_node)
        else:
            self._creations.append(event)

    def _record_config_set(self, call: cst.Call) -> None:
        specs: dict[str, SettingSpec] = {}
        context_manager = isinstance(self.parent(), cst.WithItem)
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value in _TRACKED_SETTINGS:
                key = arg.keyword.value
                specs[key] = self._setting(key, arg.value, call, SpecOrigin.CONFIG_KEYWORD)
            elif arg.keyword is None and not arg.star:
                for raw_key, value in (self.dict_display(arg.value) or {}).items():
                    key = raw_key.replace("-", "_")
                    if key in _TRACKED_SETTINGS:
                        specs[key] = self._setting(key, value, call, SpecOrigin.CONFIG_DICT)
        scheduler = self._scheduler_spec(specs["scheduler"]) if "scheduler" in specs else None
        workers = specs["num_workers"].value if "num_workers" in specs else None
        workers = workers if isinstance(workers, int) and not isinstance(workers, bool) else None
        event = Event(
            self._order, self._scope_node(), scheduler, specs.get("chunksize"), num_workers=workers
        )
        if scheduler is not None or "chunksize" in specs or workers is not None:
            self._record_event(event, call, context_manager)

    def _record_event(self, event: Event, call: cst.Call, context_manager: bool = False) -> None:
        if context_manager or isinstance(self.parent(), cst.WithItem):
            with_node = self.parent(2)
            if isinstance(with_node, cst.With):
                self._with_stack.append((with_node, event))
                return
        self._events.append(event)

    def _setting(
        self,
        key: str,
        expr: cst.BaseExpression,
        call: cst.Call,
        origin: SpecOrigin,
        *,
        via_kwargs: tuple[cst.BaseExpression, Constant | None] | None = None,
    ) -> SettingSpec:
        """``via_kwargs``: the ``**kwargs`` argument that holds the setting, with the
        constant of its dict entry (then ``expr`` is the entry's value)."""
        if via_kwargs is not None:
            node, constant = via_kwargs
            choices = self.choices(expr) if constant is None else ()
            expr, kwargs = node, node
        else:
            constant = self.constant(expr)
            choices = self.choices(expr) if constant is None else ()
            kwargs = None
        spec = SettingSpec(
            key=key,
            node=expr,
            call=call,
            origin=origin,
            value=constant.value if constant else None,
            # A value from a ``**kwargs`` dict is not written at the call: like a name.
            via_name=(constant.via_name if constant else False) or kwargs is not None,
            from_parameter_default=constant.from_parameter_default if constant else False,
            is_context_manager=isinstance(self.parent(), cst.WithItem),
            in_loop=self.in_loop(),
            in_debug_block=self._in_debug_block(),
            is_process_pool=key == "pool" and self.created_by(expr) in PROCESS_POOLS,
            choices=choices,
            via_kwargs=kwargs,
        )
        self.settings.append(spec)
        return spec

    def _scheduler_spec(self, setting: SettingSpec) -> SchedulerSpec:
        if isinstance(setting.value, str):
            scheduler = STRING_ALIASES.get(setting.value.lower())
            spec = SchedulerSpec(setting, scheduler, literal=setting.value)
        elif setting.choices:
            # A loop over scheduler names: the processes scheduler is the one that
            # matters for the rules (pool start-up, batching, spawn), when it is there.
            names = [c for c in setting.choices if isinstance(c, str)]
            processes = [c for c in names if STRING_ALIASES.get(c.lower()) is Scheduler.PROCESSES]
            literal = processes[0] if processes else None
            spec = SchedulerSpec(setting, Scheduler.PROCESSES if processes else None, literal)
        else:
            get_function = self.qualified_name(setting.node)
            if get_function in GET_FUNCTIONS:
                spec = SchedulerSpec(
                    setting, GET_FUNCTIONS[get_function], get_function=get_function
                )
            elif self.collection_kind(setting.node) is CollectionKind.CLIENT:
                spec = SchedulerSpec(setting, Scheduler.DISTRIBUTED)
            else:
                spec = SchedulerSpec(setting, None)
        self.scheduler_specs.append(spec)
        return spec

    def _parameter_of(self, expr: cst.BaseExpression) -> cst.FunctionDef | None:
        """The function whose parameter without a default ``expr`` names, if it does."""
        if not isinstance(expr, cst.Name):
            return None
        binding = self.scopes.lookup(expr.value)
        if binding is None or binding.kind is not BindingKind.PARAMETER or binding.value:
            return None
        scope = self.scopes.current.function_scope()
        node = scope.node
        if not isinstance(node, cst.FunctionDef) or scope.bindings.get(expr.value) is not binding:
            return None
        return node

    def _resolve_through_parameter(self, through: _ThroughParameter) -> None:
        """``x.compute(**kw)`` where ``kw`` is a parameter: the settings the module's calls
        of the function pass for it (:mod:`dasklint.semantic.passedkwargs`). Only literal
        values and literal choices are used; the traversal is over, so nothing is looked up
        by name here."""
        site = through.site
        received = self._passed_dicts.received(through.function, through.parameter)
        for key, entry in received.items():
            if (key == "scheduler" and site.scheduler is not None) or (
                key == "chunksize" and site.chunksize is not None
            ):
                continue
            constant = entry.constant
            spec = SettingSpec(
                key=key,
                node=through.node,
                call=site.call,
                origin=SpecOrigin.COMPUTE_KEYWORD,
                value=constant.value if constant is not None else None,
                via_name=True,
                in_loop=through.in_loop,
                in_debug_block=through.in_debug_block,
                choices=entry.choices,
                via_kwargs=through.node,
            )
            self.settings.append(spec)
            if key == "chunksize":
                site.chunksize = spec
            elif isinstance(spec.value, str) or spec.choices:
                site.scheduler = self._scheduler_spec(spec)

    def _record_compute_site(self, call: cst.Call, function: str, *, is_method: bool) -> None:
        keywords = {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
        specs: dict[str, SettingSpec] = {
            key: self._setting(key, keywords[key], call, SpecOrigin.COMPUTE_KEYWORD)
            for key in ("scheduler", "chunksize", "num_workers")
            if key in keywords
        }
        through_parameter: list[tuple[cst.FunctionDef, str, cst.BaseExpression]] = []
        for arg in call.args:
            if arg.star != "**":
                continue
            entries = self.keyword_dict(arg.value)
            if entries is None:
                receiving = self._parameter_of(arg.value)
                if receiving is not None:
                    assert isinstance(arg.value, cst.Name)
                    through_parameter.append((receiving, arg.value.value, arg.value))
                continue
            for key, (value, constant) in entries.items():
                if key in ("scheduler", "chunksize", "num_workers") and key not in specs:
                    specs[key] = self._setting(
                        key,
                        value,
                        call,
                        SpecOrigin.COMPUTE_KEYWORD,
                        via_kwargs=(arg.value, constant),
                    )
        positional = [arg for arg in call.args if arg.keyword is None]
        receiver = Receiver.PROVEN
        if is_method:
            assert isinstance(call.func, cst.Attribute)
            kinds: tuple[CollectionKind | None, ...] = (self._lazy_kind(call.func.value),)
            tasks = None
            receiver = self._receiver(call, kinds[0])
        else:
            kinds = tuple(self._lazy_kind(arg.value) for arg in positional)
            tasks = count_tasks(self, positional)
        workers = specs["num_workers"].value if "num_workers" in specs else None
        if workers is None:  # ``with dask.config.set(num_workers=...)`` around the call
            workers = next(
                (e.num_workers for _, e in reversed(self._with_stack) if e.num_workers), None
            )
        computed = (
            [call.func.value]
            if isinstance(call.func, cst.Attribute) and is_method
            else [a.value for a in positional]
        )
        bag = None
        if len(computed) == 1 and kinds == (CollectionKind.BAG,):
            bag = bag_size(self, computed[0])
        site = ComputeSite(
            call=call,
            function=function,
            is_method=is_method,
            scheduler=self._scheduler_spec(specs["scheduler"]) if "scheduler" in specs else None,
            chunksize=specs.get("chunksize"),
            num_workers=workers if isinstance(workers, int) else None,
            in_loop=self.in_loop(),
            in_function=self.in_function(),
            collection_kinds=kinds,
            task_count=tasks,
            order=self._order,
            scopes=self._scope_nodes(),
            receiver=receiver,
            path=tuple(self.ancestors),
            bag=bag,
        )
        for receiving, parameter, node in through_parameter:
            self._passed_pending.append(
                _ThroughParameter(
                    site, receiving, parameter, node, self.in_loop(), self._in_debug_block()
                )
            )
        with_event = next((e for _, e in reversed(self._with_stack) if e.sets_scheduler), None)
        with_chunk = next(
            (e.chunksize for _, e in reversed(self._with_stack) if e.chunksize is not None), None
        )
        if self._creation_withs:
            self._sites_in_creation_with.add(id(call))
        self.compute_sites.append(site)
        self._pending.append(PendingSite(site, with_event, with_chunk))
        self.tasks.compute_site_recorded(site)

    def _lazy_kind(self, expr: cst.BaseExpression) -> CollectionKind | None:
        """The collection kind of a value, counting lists of Delayed as Delayed."""
        kind = self.collection_kind(expr)
        if kind is None and self.tasks.lazy_kind(expr) in (Lazy.DELAYED, Lazy.DELAYED_LIST):
            return CollectionKind.DELAYED
        return kind

    # ----------------------------------------------------------------- resolution
    def _effective(self, pending: PendingSite) -> EffectiveScheduler:
        return effective_scheduler(pending, self._events)

    def _ambient_chunksize(self, pending: PendingSite) -> SettingSpec | None:
        return ambient_chunksize(pending, self._events)

    def _scope_node(self) -> cst.CSTNode | None:
        scope = self.scopes.current.function_scope()
        return scope.node if scope.kind is ScopeKind.FUNCTION else None

    def _scope_nodes(self) -> tuple[cst.CSTNode | None, ...]:
        nodes: list[cst.CSTNode | None] = []
        scope = self.scopes.current
        while scope is not None:
            if scope.kind is ScopeKind.FUNCTION:
                nodes.append(scope.node)
            scope = scope.parent  # type: ignore[assignment]
        nodes.append(None)
        return tuple(nodes)

    def _is_delayed_decorator(self, decorator: cst.BaseExpression) -> bool:
        target = decorator.func if isinstance(decorator, cst.Call) else decorator
        return self.qualified_name(target) == "dask.delayed"

    def _call_kind(self, call: cst.Call) -> CollectionKind | None:
        func = call.func
        name = self.qualified_name(func)
        if name is not None:
            if name == "dask.delayed":
                return CollectionKind.DELAYED
            if name in CLIENT_FACTORIES:
                return CollectionKind.CLIENT
            if name in CLUSTER_FACTORIES:
                return CollectionKind.CLUSTER
            if name.startswith("xarray."):
                return opened_kind(self, call, name)
            return creator_kind(name) or self.receivers.returned(func)
        if isinstance(func, cst.Call) and self.qualified_name(func.func) == "dask.delayed":
            return CollectionKind.DELAYED
        if self.is_delayed_function(func) or self.project_delayed_function(func):
            return CollectionKind.DELAYED
        if isinstance(func, cst.Name):
            return self.receivers.returned(func)
        if isinstance(func, cst.Attribute):
            if func.attr.value == "get_client":
                return CollectionKind.CLIENT
            receiver = self.collection_kind(func.value)
            if receiver is CollectionKind.CLIENT and func.attr.value == "persist" and call.args:
                # ``client.persist(ddf)`` returns a collection of the same kind.
                return self.collection_kind(call.args[0].value)
            method = func.attr.value
            if receiver is CollectionKind.XARRAY:
                return method_kind(method)
            if receiver is None and method == "chunk":
                return chunked(self, func.value)  # ``xr.open_dataset(p).chunk(...)``
            if receiver is None or not receiver.is_collection:
                return None
            if method in CONVERSION_METHODS:
                return CONVERSION_METHODS[method]
            return receiver
        return None


@dataclass(frozen=True, slots=True)
class _ThroughParameter:
    """A compute site's ``**name`` where ``name`` is a parameter of ``function``, with what
    the traversal knew at the call."""

    site: ComputeSite
    function: cst.FunctionDef
    parameter: str
    node: cst.BaseExpression
    in_loop: bool
    in_debug_block: bool


def _is_method(call: cst.Call, method: str) -> bool:
    return isinstance(call.func, cst.Attribute) and call.func.attr.value == method


__all__ = ["SemanticModel", "is_dask_name"]
