"""Task calls, loops, lazy values and accumulation chains of one module.

The semantic model owns one :class:`TaskAnalysis` and forwards its traversal hooks to it,
so everything here is computed in the engine's single traversal. Rules read the results
through the model (``model.tasks``) once the traversal is over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.accumulation import (
    ASSOCIATIVE_CALLABLES,
    ASSOCIATIVE_OPERATOR_NAMES,
    ASSOCIATIVE_OPERATORS,
    AccumulationStep,
    mentions,
    operators,
)
from dasklint.semantic.arguments import Slot, bind_arguments
from dasklint.semantic.dataflow import DataFlow, ValueInfo
from dasklint.semantic.facts import FunctionFacts, ModuleFacts, resolve_relative
from dasklint.semantic.futures import client_call, likely_client
from dasklint.semantic.lazy import Lazy
from dasklint.semantic.loops import (
    Loop,
    LoopContext,
    LoopStack,
    halving_reduction,
    loop_size,
    target_names,
)
from dasklint.semantic.names import Binding, BindingKind, dotted_parts
from dasklint.semantic.project import ProjectIndex
from dasklint.semantic.scheduler import ComputeSite
from dasklint.semantic.size import ONE, Size
from dasklint.semantic.sizes import size_of
from dasklint.semantic.summaries import Summarizer, Summary, default_table
from dasklint.semantic.task_call import (
    DELAYED,
    TaskApi,
    TaskCall,
    client_task_call,
    delayed_function,
    is_builtin,
    recognise,
    row_wise,
)
from dasklint.semantic.tree import walk_subtree

if TYPE_CHECKING:
    from dasklint.semantic.queries import ModelQueries

_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


class TaskAnalysis:
    """What the rules of the task families (DSK4xx-DSK6xx) ask about a module."""

    def __init__(
        self,
        model: ModelQueries,
        index: ProjectIndex | None,
        facts: ModuleFacts | None,
    ) -> None:
        self.model = model
        self.index = index or ProjectIndex()
        self.facts = facts
        self.loops = LoopStack()
        self.dataflow = DataFlow(model)
        self.task_calls: list[TaskCall] = []
        # ``client.submit``/``client.map`` on a receiver that is only likely a client (a
        # parameter named ``client``): kept apart from ``task_calls``, whose receivers are
        # proven, for the rules that report them at medium confidence. Their indexes are
        # negative, so no task depends on them.
        self.likely_task_calls: list[TaskCall] = []
        self.accumulations: list[AccumulationStep] = []
        self._function_keys: dict[int, tuple[str, int]] = {}
        self._function_nodes: dict[tuple[str, int], cst.FunctionDef] = {}
        self._seen_qualnames: dict[str, int] = {}
        self._summarizers: dict[tuple[str, ...], Summarizer] = {}
        self._site_values: list[tuple[ComputeSite, frozenset[int]]] = []
        # Task origins of the futures read by ``client.gather(...)``/``future.result()``.
        self._gathered: list[frozenset[int]] = []
        self._site_positions: dict[int, int] = {}  # id of a compute site's call -> position

    # ----------------------------------------------------------------- hooks
    def function_defined(self, node: cst.FunctionDef, qualname: str) -> None:
        occurrence = self._seen_qualnames.get(qualname, -1) + 1
        self._seen_qualnames[qualname] = occurrence
        self._function_keys[id(node)] = (qualname, occurrence)
        self._function_nodes[(qualname, occurrence)] = node

    def loop_entered(self, node: cst.CSTNode) -> None:
        scope = self._scope()
        if isinstance(node, cst.For):
            known = loop_size(self.model, node.iter)
            estimate = self._estimate([node.iter])
            lazy = self._lazy_pieces([node.iter])
            bound = target_names(node.target)
            self.loops.push(Loop(node, scope, known, bound, estimate, over_lazy=lazy))
            self.dataflow.iterated(node.target, node.iter)
        elif isinstance(node, cst.While):
            halves = halving_reduction(node)
            items = size_of(self.model, cst.Name(halves)) if halves is not None else None
            tree = Size(max(items.value - 1, 0), items.exact) if items is not None else None
            self.loops.push(Loop(node, scope, None, frozenset(), tree, halves))
        elif isinstance(node, _COMPREHENSIONS):
            size: int | None = 1
            targets: frozenset[str] = frozenset()
            iterables: list[cst.BaseExpression] = []
            comp_for: cst.CompFor | None = node.for_in
            while comp_for is not None:
                step = None if comp_for.ifs else loop_size(self.model, comp_for.iter)
                size = None if size is None or step is None else size * step
                targets |= target_names(comp_for.target)
                iterables.append(comp_for.iter)
                self.dataflow.iterated(comp_for.target, comp_for.iter)
                comp_for = comp_for.inner_for_in
            estimate = self._estimate(iterables)
            if estimate is not None and any(c.ifs for c in _clauses(node.for_in)):
                estimate = Size(estimate.value, exact=False)  # ``if`` filters: at most
            lazy = self._lazy_pieces(iterables)
            self.loops.push(Loop(node, scope, size, targets, estimate, over_lazy=lazy))

    def _lazy_pieces(self, iterables: list[cst.BaseExpression]) -> bool:
        """Iterating over a Dask value: its partitions or blocks (``x.to_delayed()``),
        futures or a list of Delayed."""
        for iterable in iterables:
            if self.dataflow.info(iterable) is not None:
                return True
            if self.model.collection_kind(iterable) is not None:
                return True
            if any(
                isinstance(n, cst.Call)
                and isinstance(n.func, cst.Attribute)
                and n.func.attr.value == "to_delayed"
                for n in walk_subtree(iterable)
            ):
                return True
        return False

    def _estimate(self, iterables: list[cst.BaseExpression]) -> Size | None:
        """Items of nested iterables, multiplied. Inside a halving reduction, iterating
        over the halved list is part of the reduction's own count (``n - 1`` tasks)."""
        halving = self.loop_context().halving
        total = ONE
        for iterable in iterables:
            if halving is not None and halving.halves in _names(iterable):
                continue
            size = size_of(self.model, iterable)
            if size is None:
                return None
            total = total * size
        return total

    def loop_left(self, node: cst.CSTNode) -> None:
        self.loops.pop(node)

    def call_left(self, call: cst.Call) -> None:
        self.dataflow.list_method(call)
        self._record_gather(call)
        self._site_left(call)
        found = recognise(self.model, call)
        if found is None:
            self._passed_delayed(call)
            self._likely_client_task(call)
            return
        api, callee, args, method = found
        infos = {id(a): self.dataflow.info(a.value) for a in args}
        depends = frozenset().union(*(i.origins for i in infos.values() if i is not None))
        if api is TaskApi.COLLECTION and isinstance(call.func, cst.Attribute):
            receiver = self.dataflow.info(call.func.value)
            depends |= receiver.origins if receiver is not None else frozenset()
        task = TaskCall(
            index=len(self.task_calls),
            call=call,
            api=api,
            callee_expr=callee,
            args=args,
            loops=self.loop_context(),
            scope=self._scope(),
            method=method,
            row_wise=method == "apply" and row_wise(call),
            origins=depends,
            arg_kinds={key: i.kind for key, i in infos.items() if i is not None},
        )
        self._complete(task)
        self.task_calls.append(task)
        self.dataflow.task_created(call, api, task.index, depends)

    def _complete(self, task: TaskCall) -> None:
        """What a task call's sizes and callee are: the length of what ``client.map`` maps
        over, the estimate of per-element tasks, the project function it calls."""
        if task.api is TaskApi.CLIENT_MAP:
            iterables = [a for a in task.args if a.keyword is None and not a.star]
            task.map_size = loop_size(self.model, iterables[0].value) if iterables else None
        if task.per_element:
            task.map_estimate = self._map_estimate(task)
        self._resolve_callee(task)

    def _likely_client_task(self, call: cst.Call) -> None:
        """``client.submit(f, ...)`` where ``client`` is only likely a Dask client."""
        found = client_task_call(call)
        if found is None:
            return
        assert isinstance(call.func, cst.Attribute)
        if not likely_client(self.model, call.func.value):
            return
        api, callee, args = found
        task = TaskCall(
            index=-1 - len(self.likely_task_calls),
            call=call,
            api=api,
            callee_expr=callee,
            args=args,
            loops=self.loop_context(),
            scope=self._scope(),
            likely=True,
        )
        self._complete(task)
        self.likely_task_calls.append(task)

    def _passed_delayed(self, call: cst.Call) -> None:
        """``helper(delayed(f), items)`` where the project function ``helper`` calls the
        parameter it receives: ``f``'s tasks are made inside ``helper``, and what it returns
        is built from them (a hand-written reduction, a map)."""
        if dotted_parts(call.func) is None:
            return
        through = self.function_facts(call.func)
        if through is None:
            return
        for argument in bind_arguments(tuple(call.args), through) or []:
            if argument.slot is not Slot.PARAMETER or argument.param not in through.calls:
                continue
            callee = delayed_function(self.model, argument.arg.value)
            if callee is None:
                continue
            task = TaskCall(
                index=len(self.task_calls),
                call=call,
                api=TaskApi.PASSED,
                callee_expr=callee,
                args=(),
                loops=self.loop_context(),
                scope=self._scope(),
                through=through,
            )
            self._resolve_callee(task)
            self.task_calls.append(task)
            self.dataflow.task_created(call, TaskApi.PASSED, task.index, frozenset())
            return

    def assigned(self, node: cst.Assign) -> None:
        """Before the model binds the targets of ``node``."""
        for target in node.targets:
            name = target.target
            if isinstance(name, cst.Name):
                self._check_accumulation(node.value, name.value, node.value)

    def aug_assign_info(self, node: cst.AugAssign) -> ValueInfo | None:
        info = self.dataflow.info(node.target)
        if isinstance(node.target, cst.Name) and self.loop_context().in_loop:
            added = self.dataflow.info(node.value)
            lazy = [i for i in (info, added) if i is not None and not i.kind.is_list]
            if lazy and not (info is not None and info.kind.is_list):
                associative = isinstance(node.operator, ASSOCIATIVE_OPERATOR_NAMES)
                spelled = cst.Module([]).code_for_node(node.operator).strip()
                self.accumulations.append(
                    AccumulationStep(
                        node, node.target.value, self.loop_context(), associative, spelled
                    )
                )
        return info

    def compute_site_recorded(self, site: ComputeSite) -> None:
        self._site_positions[id(site.call)] = len(self._site_values)
        self._site_values.append((site, self._site_origins(site)))

    def _site_origins(self, site: ComputeSite) -> frozenset[int]:
        values: list[cst.BaseExpression] = []
        if site.is_method and isinstance(site.call.func, cst.Attribute):
            values.append(site.call.func.value)
        else:
            values.extend(a.value for a in site.call.args if a.keyword is None)
        return frozenset().union(
            *(i.origins for i in (self.dataflow.info(v) for v in values) if i is not None)
        )

    def _site_left(self, call: cst.Call) -> None:
        """A compute site is recorded before its arguments are visited: the task calls
        written inside them (``dask.compute(*[delayed(f)(x) for x in xs])``) are known
        once the call is left."""
        position = self._site_positions.get(id(call))
        if position is None:
            return
        site, origins = self._site_values[position]
        self._site_values[position] = (site, origins | self._site_origins(site))

    def _record_gather(self, call: cst.Call) -> None:
        """``client.gather(futures)`` and ``future.result()`` read futures' values."""
        func = call.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in ("gather", "result"):
            return
        if func.attr.value == "result":
            read = [func.value] if not call.args else []
        else:
            found = client_call(self.model, call)
            read = [a.value for a in call.args if a.keyword is None] if found else []
        infos = [self.dataflow.info(v) for v in read]
        origins = frozenset().union(
            *(i.origins for i in infos if i is not None and i.kind.element is Lazy.FUTURE)
        )
        if origins:
            self._gathered.append(origins)

    def lazy_kind(self, expr: cst.BaseExpression) -> Lazy | None:
        """During the traversal: what ``expr`` holds in the current scope."""
        info = self.dataflow.info(expr)
        return info.kind if info is not None else None

    @staticmethod
    def argument_kind(task: TaskCall, arg: cst.Arg) -> Lazy | None:
        """What an argument of a task call held when the call was made."""
        kind = task.arg_kinds.get(id(arg))
        return kind if isinstance(kind, Lazy) else None

    # ----------------------------------------------------------------- queries
    def loop_context(self) -> LoopContext:
        first = {
            id(loop.node)
            for loop in self.loops.context(self._scope(), set()).loops
            if isinstance(loop.node, _COMPREHENSIONS) and self.model.in_first_iterable(loop.node)
        }
        return self.loops.context(self._scope(), first)

    def summary(self, facts: FunctionFacts, extra_table: tuple[str, ...] = ()) -> Summary:
        return self.summarizer(extra_table).summary(facts)

    def summarizer(self, extra_table: tuple[str, ...] = ()) -> Summarizer:
        summarizer = self._summarizers.get(extra_table)
        if summarizer is None:
            summarizer = Summarizer(self.index, self.facts, default_table(extra_table))
            self._summarizers[extra_table] = summarizer
        return summarizer

    def sites_for(self, task: TaskCall) -> list[ComputeSite]:
        """Compute sites whose values include the results of ``task``."""
        return [site for site, origins in self._site_values if task.index in origins]

    def consumers(self) -> list[frozenset[int]]:
        """Per compute site, ``gather`` or ``.result()``: the task calls whose values it
        reads."""
        return [origins for _, origins in self._site_values if origins] + self._gathered

    def tasks_for(self, site: ComputeSite) -> list[TaskCall]:
        """Task calls whose results the compute site's values include."""
        origins = next((o for s, o in self._site_values if s is site), frozenset[int]())
        return [task for task in self.task_calls if task.index in origins]

    def function_facts(self, expr: cst.BaseExpression) -> FunctionFacts | None:
        """The project function a name or dotted name refers to."""
        if isinstance(expr, cst.Name):
            binding = self.model.scopes.lookup(expr.value)
            if binding is None:
                return self.later_function(expr.value)
            if binding.kind is BindingKind.FUNCTION and binding.node is not None:
                key = self._function_keys.get(id(binding.node))
                if key is None or self.facts is None:
                    return None
                return self.facts.function(*key)
            relative = self._relative_target(binding, expr.value)
            if relative is not None:
                return self.index.lookup(relative)
        name = self.model.qualified_name(expr)
        if name is None:
            parts = dotted_parts(expr)
            binding = self.model.scopes.lookup(parts[0]) if parts else None
            head = self._relative_target(binding, parts[0]) if parts and binding else None
            name = ".".join([head, *parts[1:]]) if head and parts else None
        return self.index.lookup(name) if name is not None else None

    def later_function(self, name: str) -> FunctionFacts | None:
        """A function of this module's top level that a function body calls before its
        ``def`` is reached: the body runs later, when the name is bound."""
        if self.facts is None or self.model.function_node() is None:
            return None
        return self.facts.function(name)

    def delayed_definitions(self) -> list[tuple[FunctionFacts, cst.FunctionDef]]:
        """This module's functions decorated with ``@dask.delayed``: each runs as a task
        wherever it is called."""
        if self.facts is None:
            return []
        found = []
        for key, node in self._function_nodes.items():
            facts = self.facts.function(*key)
            if facts is not None and any(d.name == DELAYED for d in facts.decorators):
                found.append((facts, node))
        return found

    def definition(self, facts: FunctionFacts) -> cst.FunctionDef | None:
        """The ``def`` of ``facts`` when it is a function of this module."""
        if self.facts is None:
            return None
        for key, node in self._function_nodes.items():
            if key[0] == facts.qualname and self.facts.function(*key) is facts:
                return node
        return None

    def external_name(self, expr: cst.BaseExpression) -> str | None:
        name = self.model.qualified_name(expr)
        if name is not None:
            return name
        if isinstance(expr, cst.Name) and self.model.scopes.lookup(expr.value) is None:
            return expr.value if is_builtin(expr.value) else None
        return None

    # ----------------------------------------------------------------- helpers
    def _scope(self) -> cst.CSTNode | None:
        return self.model.function_node()

    def _map_estimate(self, task: TaskCall) -> Size | None:
        """Elements of a per-element call: the shortest of its iterables (``client.map``
        stops at the shortest too), unknown when any is."""
        iterables = [a.value for a in task.args if a.keyword is None and not a.star]
        if any(a.star for a in task.args) or not iterables:
            return None
        halving = task.loops.halving
        if halving is not None and any(halving.halves in _names(i) for i in iterables):
            return ONE  # counted by the reduction around it
        sizes = [size_of(self.model, i) for i in iterables]
        if any(s is None for s in sizes):
            return None
        return min((s for s in sizes if s is not None), key=lambda s: s.value)

    def _resolve_callee(self, task: TaskCall) -> None:
        callee = task.callee_expr
        partial = _partial(self.model, callee)
        if partial is not None:
            # The task runs ``f(*bound, *args)``: its arguments start with the bound ones.
            callee, bound = partial
            task.args = (*bound, *task.args)
        if isinstance(callee, cst.Lambda):
            task.lambda_node = callee
            body = callee.body
            if isinstance(body, cst.Call) and dotted_parts(body.func) is not None:
                task.lambda_callee = self.function_facts(body.func)
            return
        if dotted_parts(callee) is None:
            return
        task.facts = self.function_facts(callee)
        if task.facts is None:
            task.external = self.external_name(callee)

    def _relative_target(self, binding: Binding, local: str) -> str | None:
        node = binding.node
        if (
            binding.kind is not BindingKind.UNKNOWN
            or not isinstance(node, cst.ImportFrom)
            or not node.relative
            or self.facts is None
            or isinstance(node.names, cst.ImportStar)
        ):
            return None
        module = ".".join(dotted_parts(node.module) or []) if node.module is not None else None
        base = resolve_relative(
            self.facts.name, self.facts.path.endswith("__init__.py"), len(node.relative), module
        )
        for alias in node.names:
            bound = alias.asname.name if alias.asname is not None else alias.name
            if isinstance(bound, cst.Name) and bound.value == local:
                original = ".".join(dotted_parts(alias.name) or [])
                return f"{base}.{original}" if base else original
        return None

    def _check_accumulation(self, value: cst.BaseExpression, name: str, node: cst.CSTNode) -> None:
        context = self.loop_context()
        if not context.in_loop or self.model.scopes.lookup(name) is None:
            return
        info = self.dataflow.info(value)
        if info is None or info.kind not in (Lazy.DELAYED, Lazy.FUTURE):
            return
        if isinstance(value, cst.BinaryOperation) and mentions(value, name):
            associative = all(isinstance(op, ASSOCIATIVE_OPERATORS) for op in operators(value))
            spelled = " ".join(
                cst.Module([]).code_for_node(op).strip() for op in operators(value)[:1]
            )
            self.accumulations.append(
                AccumulationStep(node, name, context, associative, spelled or "+")
            )
            return
        task = next((t for t in self.task_calls if t.call is value), None)
        if task is None or task.api not in (TaskApi.DELAYED, TaskApi.SUBMIT):
            return
        mentioned = [
            a for a in task.args if isinstance(a.value, cst.Name) and a.value.value == name
        ]
        if not mentioned:
            return
        others = [a for a in task.args if a not in mentioned]
        if not any(self._varies(a.value, context) for a in others):
            return  # ``state = step(state)``: a sequential algorithm, not an accumulation
        spelled = task.external or (task.facts.qualname if task.facts else None) or "the task"
        self.accumulations.append(
            AccumulationStep(node, name, context, task.external in ASSOCIATIVE_CALLABLES, spelled)
        )

    def _varies(self, expr: cst.BaseExpression, context: LoopContext) -> bool:
        """The argument changes per iteration: a loop target or a lazy value."""
        if isinstance(expr, cst.Name) and expr.value in context.targets:
            return True
        if self.dataflow.info(expr) is not None:
            return True
        if isinstance(expr, (cst.Subscript, cst.Attribute)):
            return self._varies(expr.value, context)
        return False


def _clauses(comp_for: cst.CompFor | None) -> list[cst.CompFor]:
    out = []
    while comp_for is not None:
        out.append(comp_for)
        comp_for = comp_for.inner_for_in
    return out


def _names(expr: cst.CSTNode) -> set[str]:
    return {n.value for n in walk_subtree(expr) if isinstance(n, cst.Name)}


__all__ = ["TaskAnalysis"]


def _partial(
    model: ModelQueries, callee: cst.BaseExpression
) -> tuple[cst.BaseExpression, tuple[cst.Arg, ...]] | None:
    """``(f, bound arguments)`` for ``functools.partial(f, ...)``."""
    if isinstance(callee, cst.Call) and model.qualified_name(callee.func) == "functools.partial":
        positional = [a for a in callee.args if a.keyword is None and not a.star]
        if positional:
            return positional[0].value, tuple(a for a in callee.args if a is not positional[0])
    return None
