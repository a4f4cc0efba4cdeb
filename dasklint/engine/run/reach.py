"""Which modules a file can reach through imports: the dependency keys of the cache.

A file's findings depend on its own bytes and on the facts of every indexed module it
reaches through imports (transitively), since linting reads other modules only through
their facts. The reach is computed once per run over the strongly connected components
of the import graph.
"""

from __future__ import annotations

import bisect
import hashlib
from typing import Any


def hash_text(*parts: str) -> str:
    """A short stable hash of texts, each ended by a NUL so that parts cannot run together."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def dependency_keys(files: dict[str, dict[str, Any]], modules: dict[str, str]) -> dict[str, str]:
    """Per indexed file: a hash of its content and of the facts of every indexed module
    it can reach through imports (transitively) and of the module indexed under its own
    name: linting a module reads other modules only through their facts (the index).
    ``import a`` reaches ``a`` and its submodules; an import of ``a.b.c`` reaches
    ``a.b.c``, its submodules and the packages ``a`` and ``a.b``."""
    names = sorted(modules)
    position = {name: i for i, name in enumerate(names)}

    def targets(entry: dict[str, Any]) -> set[int]:
        out: set[int] = set()
        for target in entry.get("imports", ()):
            parts = target.split(".")
            for end in range(1, len(parts) + 1):
                found = position.get(".".join(parts[:end]))
                if found is not None:
                    out.add(found)
            prefix = target + "."
            start = bisect.bisect_left(names, prefix)
            while start < len(names) and names[start].startswith(prefix):
                out.add(start)
                start += 1
        return out

    edges = [sorted(targets(files[modules[name]])) for name in names]
    reach = reachability(edges)
    out: dict[str, str] = {}
    for path, entry in files.items():
        if entry["facts"] is None:
            continue
        own = position.get(entry["name"])
        if own is not None and modules[entry["name"]] == path:
            bits = reach[own]
        else:  # another file is indexed under this module's name (lone scripts)
            bits = reach[own] if own is not None else 0
            for target in targets(entry):
                bits |= reach[target]
        members, j = [], 0
        while bits:
            if bits & 1:
                members.append(f"{names[j]}={files[modules[names[j]]]['api']}")
            bits >>= 1
            j += 1
        out[path] = hash_text(entry["hash"], *members)
    return out


def reachability(edges: list[list[int]]) -> list[int]:
    """For each node, the bit set of the nodes it reaches (itself included), through
    strongly connected components (Tarjan, iterative) so that cycles cost nothing extra."""
    count = len(edges)
    index_of = [-1] * count
    low = [0] * count
    on_stack = [False] * count
    stack: list[int] = []
    component = [-1] * count
    components: list[list[int]] = []
    counter = 0
    for root in range(count):
        if index_of[root] != -1:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index_of[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack[node] = True
            if child < len(edges[node]):
                work.append((node, child + 1))
                nxt = edges[node][child]
                if index_of[nxt] == -1:
                    work.append((nxt, 0))
                elif on_stack[nxt]:
                    low[node] = min(low[node], index_of[nxt])
                continue
            if low[node] == index_of[node]:
                members = []
                while True:
                    top = stack.pop()
                    on_stack[top] = False
                    component[top] = len(components)
                    members.append(top)
                    if top == node:
                        break
                components.append(members)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    # Tarjan emits components in reverse topological order: successors first.
    reach_of: list[int] = []
    for members in components:
        bits = 0
        for node in members:
            bits |= 1 << node
        for node in members:
            for nxt in edges[node]:
                if component[nxt] != len(reach_of):
                    bits |= reach_of[component[nxt]]
        reach_of.append(bits)
    return [reach_of[component[node]] for node in range(count)]
