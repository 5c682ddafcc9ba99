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


class _Tarjan:
    """Tarjan's strongly connected components, iterative (the import graph is deeper than
    Python's recursion limit)."""

    def __init__(self, edges: dict[str, list[str]]) -> None:
        self.edges = edges
        self.index: dict[str, int] = {}
        self.low: dict[str, int] = {}
        self.stack: list[str] = []
        self.on_stack: set[str] = set()
        self.found: list[list[str]] = []

    def run(self) -> list[list[str]]:
        for root in self.edges:
            if root not in self.index:
                self._visit(root)
        return self.found

    def _enter(self, node: str) -> None:
        self.index[node] = self.low[node] = len(self.index)
        self.stack.append(node)
        self.on_stack.add(node)

    def _visit(self, root: str) -> None:
        self._enter(root)
        work = [(root, iter(self.edges[root]))]
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                self._leave(node)
                if work:
                    parent = work[-1][0]
                    self.low[parent] = min(self.low[parent], self.low[node])
            elif child not in self.index:
                self._enter(child)
                work.append((child, iter(self.edges[child])))
            elif child in self.on_stack:
                self.low[node] = min(self.low[node], self.index[child])

    def _leave(self, node: str) -> None:
        if self.low[node] != self.index[node]:
            return
        component = []
        while True:
            member = self.stack.pop()
            self.on_stack.discard(member)
            component.append(member)
            if member == node:
                break
        if len(component) > 1:
            self.found.append(sorted(component))


def _strongly_connected(graph, modules: set[str]) -> list[list[str]]:
    edges = {
        m: sorted(graph.find_modules_directly_imported_by(m) & modules) for m in sorted(modules)
    }
    return _Tarjan(edges).run()


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
