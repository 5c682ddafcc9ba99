"""The import-cycle contract (tests/contracts.py) finds cycles, also long ones, and only them."""

from tests.contracts import _strongly_connected


class FakeGraph:
    def __init__(self, edges: dict[str, set[str]]) -> None:
        self.edges = edges

    def find_modules_directly_imported_by(self, module: str) -> set[str]:
        return self.edges.get(module, set())


def test_a_cycle_of_three_modules_is_found_and_a_chain_is_not():
    graph = FakeGraph(
        {
            "a.services": {"a.tasks", "shared.x"},
            "a.tasks": {"b.services"},
            "b.services": {"a.services"},
            "c.views": {"a.services"},
        }
    )
    modules = {"a.services", "a.tasks", "b.services", "c.views", "shared.x"}
    assert _strongly_connected(graph, modules) == [["a.services", "a.tasks", "b.services"]]


def test_imports_of_modules_outside_the_containers_do_not_make_a_cycle():
    graph = FakeGraph({"a.x": {"outside.y"}, "outside.y": {"a.x"}})
    assert _strongly_connected(graph, {"a.x"}) == []


def test_a_deep_chain_needs_no_recursion():
    chain = {f"m{i}": {f"m{i + 1}"} for i in range(5000)}
    chain["m5000"] = {"m0"}
    found = _strongly_connected(FakeGraph(chain), set(chain))
    assert len(found) == 1 and len(found[0]) == 5001
