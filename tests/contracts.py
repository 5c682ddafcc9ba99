"""An import-linter contract that import-linter does not ship: no import cycles between
modules, wherever the modules sit. (import-linter's ``acyclic_siblings`` compares packages
with their siblings, which also forbids two features whose models refer to each other in both
directions; Python's own trouble, and the one that hides a wrong dependency, is a cycle of
modules.) grimp reads every import statement, also those inside functions.

Used by ``.importlinter``; run with ``lint-imports`` (``bin/test`` does).
"""

from __future__ import annotations

from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def _strongly_connected(graph, modules: set[str]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (the graph is deeper than Python's recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    edges = {
        m: sorted(graph.find_modules_directly_imported_by(m) & modules) for m in sorted(modules)
    }
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            recurse = False
            for j in range(i, len(edges[node])):
                nxt = edges[node][j]
                if nxt not in index:
                    work.append((node, j + 1))
                    work.append((nxt, 0))
                    recurse = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if recurse:
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


class AcyclicModulesContract(Contract):
    type_name = "acyclic_modules"

    containers = fields.ListField(subfield=fields.StringField())

    def check(self, graph, verbose: bool) -> ContractCheck:
        modules = {
            m
            for container in self.containers  # type: ignore[attr-defined]
            for m in {container, *graph.find_descendants(container)}
        }
        cycles = _strongly_connected(graph, modules)
        return ContractCheck(kept=not cycles, metadata={"cycles": cycles, "graph": graph})

    def render_broken_contract(self, check: ContractCheck) -> None:
        graph = check.metadata["graph"]
        for cycle in check.metadata["cycles"]:
            output.print_error(f"These {len(cycle)} modules import each other in a cycle:")
            members = set(cycle)
            for module in cycle:
                for imported in sorted(graph.find_modules_directly_imported_by(module) & members):
                    lines = sorted(
                        d["line_number"]
                        for d in graph.get_import_details(importer=module, imported=imported)
                    )
                    output.print_error(f"- {module} -> {imported} (l.{', '.join(map(str, lines))})")
            output.new_line()
