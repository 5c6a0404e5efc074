"""Complementary suppression of small cells, so that no withheld figure can be worked out from the
figures that are shown.

A figure grouping (outcomes by immigration status, by country...) is a table: one row per regulator
and one for all regulators together, one column per group. We assume the reader knows every row's
total (the closed applications of a regulator, of all regulators: the stage grouping shows them) and
that a column's cells add up to its all-regulators cell. Withholding only the small cells is not
enough: a row with one withheld cell gives it away as the total minus the others (the attack on
/oversight/outcomes that issue 10 reported). Statistical agencies withhold more cells, the
"complements", until none can be derived; we do so exactly:

Over the withheld cells, the equations above are those of a graph whose vertices are the rows and
columns and whose edges are the withheld cells (with the all-regulators row as one more row). A
withheld cell's value is determined by the shown figures exactly when its edge lies on no cycle of
that graph (a bridge): around a cycle, one cell can grow by any amount while its neighbours shrink
and grow in turn, every total unchanged. So: withhold the small cells, then while some withheld cell
is a bridge, withhold the cheapest path of further cells that closes a cycle through it (cost: the
people a cell holds, so the next-smallest cells go first; an empty cell, shown as withheld, only if
nothing else closes it). The same pattern is computed over the whole table whatever a reader asks
for, so that answers for different regulators cannot be combined against each other.

Left as it is: a grouping with a single group, whose cells are their rows' totals (nothing else can
hide them; they are withheld when small, as the same total is in every grouping); and bounds (a
withheld cell is between 0 and its row's total less the shown cells), as with any suppression.
"""

import heapq
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping

Cell = tuple[Hashable, Hashable]  # (row, column)
EMPTY_COST = 10**9  # an empty cell closes a cycle only where no cell with people can


def bridges(cells: Iterable[Cell]) -> set[Cell]:
    """The cells (edges between their row and their column) that lie on no cycle."""
    adjacent: dict[object, list[tuple[object, Cell]]] = defaultdict(list)
    for cell in cells:
        row, column = ("r", cell[0]), ("c", cell[1])
        adjacent[row].append((column, cell))
        adjacent[column].append((row, cell))
    order: dict[object, int] = {}
    low: dict[object, int] = {}
    found: set[Cell] = set()
    for root in list(adjacent):
        if root in order:
            continue
        # Tarjan's bridge search, with an explicit stack: (vertex, the cell it was reached by, next).
        order[root] = low[root] = len(order)
        stack: list[tuple[object, Cell | None, int]] = [(root, None, 0)]
        while stack:
            vertex, via, index = stack.pop()
            if index < len(adjacent[vertex]):
                stack.append((vertex, via, index + 1))
                neighbour, cell = adjacent[vertex][index]
                if cell == via:
                    continue
                if neighbour in order:
                    low[vertex] = min(low[vertex], order[neighbour])
                else:
                    order[neighbour] = low[neighbour] = len(order)
                    stack.append((neighbour, cell, 0))
            elif via is not None:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[vertex])
                if low[vertex] > order[parent]:
                    found.add(via)
    return found


def _cheapest_cycle_path(
    bridge: Cell, rows: list[Hashable], columns: list[Hashable], withheld: set[Cell],
    people: Mapping[Cell, int],
) -> list[Cell]:
    """The cells of the cheapest path from the bridge's row to its column, not through the bridge:
    withheld cells cost nothing, others the people they hold (+1), empty cells EMPTY_COST."""
    start, goal = ("r", bridge[0]), ("c", bridge[1])
    best: dict[tuple[str, Hashable], int] = {start: 0}
    came: dict[tuple[str, Hashable], tuple[tuple[str, Hashable], Cell]] = {}
    queue: list[tuple[int, int, tuple[str, Hashable]]] = [(0, 0, start)]
    tie = 0
    while queue:
        cost, _, vertex = heapq.heappop(queue)
        if vertex == goal:
            break
        if cost > best.get(vertex, cost):
            continue
        kind, name = vertex
        others = columns if kind == "r" else rows
        for other in others:
            cell = (name, other) if kind == "r" else (other, name)
            if cell == bridge:
                continue
            step = 0 if cell in withheld else people[cell] + 1 if people.get(cell) else EMPTY_COST
            target = ("c" if kind == "r" else "r", other)
            if cost + step < best.get(target, cost + step + 1):
                best[target] = cost + step
                came[target] = (vertex, cell)
                tie += 1
                heapq.heappush(queue, (cost + step, tie, target))
    path: list[Cell] = []
    if goal not in came:  # a table of one column: its cells are their rows' totals
        return path
    vertex = goal
    while vertex != start:
        vertex, cell = came[vertex]
        path.append(cell)
    return path


def suppress(
    people: Mapping[Cell, int], rows: Iterable[Hashable], columns: Iterable[Hashable], minimum: int
) -> set[Cell]:
    """The cells to withhold: every cell with 1 to minimum - 1 people, and the complements that
    leave none of them derivable. Cells missing from `people` are empty (0 people); one is withheld
    only as a last resort, and then shown as withheld."""
    rows, columns = sorted(rows, key=str), sorted(columns, key=str)
    withheld = {cell for cell, n in people.items() if 0 < n < minimum}
    alone: set[Cell] = set()  # cells no other cell can hide: a one-column table's, its row totals
    while True:
        exposed = sorted(bridges(withheld) - alone, key=lambda c: (people.get(c, 0), str(c)))
        if not exposed:
            return withheld
        path = _cheapest_cycle_path(exposed[0], rows, columns, withheld, people)
        if not path:
            alone.add(exposed[0])
        withheld.update(path)


def round_to(value: int, base: int = 5) -> int:
    """To the nearest multiple of `base` (halves up): how totals are published."""
    return int((value + base // 2) // base * base)
