"""Lists the import cycles between ficarchive's modules, function-local imports included and
typing-only ones left out; exits 1 if there is any. Run as `uv run python .ci/import_cycles.py`."""

from __future__ import annotations

import sys

import grimp


def import_cycles(package: str = "ficarchive") -> list[list[str]]:
    """The strongly connected groups of more than one module, each sorted, in Tarjan's order."""
    # Imports under TYPE_CHECKING never run, so they make no cycle.
    graph = grimp.build_graph(package, cache_dir=None, exclude_type_checking_imports=True)
    modules = sorted(graph.modules)
    edges = {module: sorted(graph.find_modules_directly_imported_by(module)) for module in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for root in modules:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            module, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(edges[target])))
                    break
                if target in on_stack:
                    low[module] = min(low[module], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return groups


def main() -> int:
    groups = import_cycles()
    for group in groups:
        print("import cycle:", " <-> ".join(group))
    print(f"{len(groups)} import cycle(s) between ficarchive's modules")
    return 1 if groups else 0


if __name__ == "__main__":
    sys.exit(main())
