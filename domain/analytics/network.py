"""The mentoring graph across the organisation, as aggregates: who learns from whom between departments.

People are nodes and each relationship links its members. Betweenness is computed per connected component:
a sparse mentoring graph falls apart into many small ones, nearly all trees, whose betweenness has a
one-pass formula; other components get Brandes' algorithm from networkx, sampled with a fixed seed when
too large for the exact count.

Against differencing, the network covers the whole calendar quarters the period touches, and each quarter's
relationships that began, and those that ended, form a block (as people do in the equity report): where a
block holds 1 to 4 relationships, two overlapping periods would differ by them alone, so everything that
tells who is linked to whom (the matrix, cross-department counts, silos, coverage, and bridges for anyone
but admins) is withheld. Otherwise a cell holding 1 to 4 of a block's relationships is hidden too. Inside
one answer, the cross-department total is public, so the hidden cells across departments (and, by
subtraction from the relationships, within them) must hold none or five or more together, and more than
one each: a listed cell holds at least one, so hidden cells adding up to their number would each be one.
Bridges are figures about one person, named to admins (who may see any relationship); the others see
their department and reach, only while the network is shown.
"""

from __future__ import annotations

import datetime
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from domain.analytics.equity import quarter_of
from domain.analytics.facts import PersonFacts, RelationshipFacts
from domain.analytics.period import Period
from domain.analytics.program_figures import rate
from domain.analytics.suppression import changes_are_safe, is_small, suppressed_by_blocks

# Youngest first: a mentor earlier in this list than their mentee is reverse mentoring.
GENERATIONS = ("GEN_Z", "MILLENNIAL", "GEN_X", "BABY_BOOMER")
EXACT_UP_TO = 300
SAMPLES = 64
TOP_BRIDGES = 10


@dataclass(frozen=True)
class DepartmentLink:
    department: str
    other: str
    relationships: int | None  # None when 1 to 4: suppressed
    suppressed: bool


@dataclass(frozen=True)
class Bridge:
    person_id: int
    department: str | None
    departments_reached: int
    betweenness: float


@dataclass(frozen=True)
class Coverage:
    """Of `of` relationships whose members all said their generation, `count` cross generations (or reverse)."""

    of: int | None
    count: int | None
    rate: float | None
    suppressed: bool


@dataclass(frozen=True)
class NetworkReport:
    people_in_network: int
    relationships: int
    # None when withheld, or when the hidden cells would give each other away through it.
    cross_department: int | None
    cross_department_share: float | None
    matrix: list[DepartmentLink]
    silos: list[str] | None
    bridges: list[Bridge]
    intergenerational: Coverage
    reverse: Coverage
    reverse_program_relationships: int
    # A quarter's relationships began or ended in a block of 1 to 4: who is linked to whom is not shown.
    withheld: bool = False
    period: Period | None = None


WITHHELD_COVERAGE = Coverage(None, None, None, True)


def relationship_changes(relationships: Iterable[RelationshipFacts], quarters: Period) -> dict[int, set]:
    """The blocks each relationship belongs to: the quarters in which it began or ended, inside `quarters`."""
    return {r.id: blocks_of(quarters, began=r.started_at, ended=r.ended_at) for r in relationships}


def blocks_of(quarters: Period, **moments: datetime.datetime | None) -> set[tuple[str, datetime.date]]:
    """The blocks (kind of change, quarter) of the moments that fall inside `quarters`, by keyword: began=..."""
    return {(kind, quarter_of(moment.date())) for kind, moment in moments.items() if quarters.contains(moment)}


def _class_hidden(sizes: Mapping, hidden: set) -> tuple[set, bool]:
    """Hides the smallest shown cells of one class (within, or across, departments) until its hidden cells
    hold none, or five or more and more than one each; False when even hiding all of them leaves them pinned."""
    hidden = {cell for cell in hidden if cell in sizes}
    shown = sorted((c for c in sizes if c not in hidden), key=lambda c: (sizes[c], c))

    def pinned() -> bool:
        total = sum(sizes[c] for c in hidden)
        return bool(hidden) and (is_small(total) or total == len(hidden))

    while shown and pinned():
        hidden.add(shown.pop(0))
    return hidden, not pinned()


def _pairs(relationship: RelationshipFacts) -> Iterable[tuple[int, int]]:
    return itertools.combinations(sorted({person for person, _ in relationship.members}), 2)


def mentoring_graph(relationships: Iterable[RelationshipFacts]) -> nx.Graph:
    graph = nx.Graph()
    for relationship in relationships:
        graph.add_edges_from(_pairs(relationship))
    return graph


def tree_betweenness(graph: nx.Graph, nodes: set) -> dict[int, float]:
    """Exact betweenness of a tree in one pass: removing a node splits the tree into parts of sizes s_i, and
    the shortest paths through it are the pairs in different parts, ((sum s_i)^2 - sum s_i^2) / 2."""
    root = next(iter(nodes))
    parent = nx.dfs_predecessors(graph, root)
    below = dict.fromkeys(nodes, 1)
    squares = dict.fromkeys(nodes, 0)
    for node in nx.dfs_postorder_nodes(graph, root):
        if node in parent:
            below[parent[node]] += below[node]
            squares[parent[node]] += below[node] ** 2
    others = len(nodes) - 1
    return {node: (others**2 - squares[node] - (len(nodes) - below[node]) ** 2) / 2 for node in nodes}


def betweenness(graph: nx.Graph) -> dict[int, float]:
    """Raw betweenness (shortest paths through a node), per component: a tree (most mentoring components)
    in one pass, any other exactly with Brandes' algorithm, or sampled when it is very large."""
    scores: dict[int, float] = {}
    for nodes in nx.connected_components(graph):
        if len(nodes) < 3:
            scores.update(dict.fromkeys(nodes, 0.0))
            continue
        if sum(degree for _, degree in graph.degree(nodes)) == 2 * (len(nodes) - 1):
            # A search from any node stays inside its component: the tree needs no copy of its own.
            scores.update(tree_betweenness(graph, nodes))
            continue
        # A copy, not a view: Brandes walks every neighbour list, and a view filters each one on the fly.
        component = graph.subgraph(nodes).copy()
        if len(nodes) <= EXACT_UP_TO:
            scores.update(nx.betweenness_centrality(component, normalized=False))
        else:
            scores.update(nx.betweenness_centrality(component, k=SAMPLES, normalized=False, seed=13))
    return scores


def _coverage(of: int, count: int, people: int) -> Coverage:
    if is_small(of) or is_small(people):
        return Coverage(None, None, None, True)
    return Coverage(of, count, rate(count, of), False)


def _generations(
    relationships: list[RelationshipFacts], people: Mapping[int, PersonFacts]
) -> tuple[Coverage, Coverage]:
    rank = {generation: index for index, generation in enumerate(GENERATIONS)}
    known = [r for r in relationships if all(people[p].generation in rank for p in r.people() if p in people)]
    known = [r for r in known if len(r.people()) >= 2]
    crossing = [r for r in known if len({people[p].generation for p in r.people()}) > 1]
    pairs = [r for r in known if r.people("MENTOR") and r.people("MENTEE")]
    reverse = [
        r
        for r in pairs
        if max(rank[people[m].generation] for m in r.people("MENTOR"))
        < min(rank[people[m].generation] for m in r.people("MENTEE"))
    ]
    reporting = {p for r in known for p in r.people()}
    reporting_pairs = {p for r in pairs for p in r.people()}
    return (
        _coverage(len(known), len(crossing), len(reporting)),
        _coverage(len(pairs), len(reverse), len(reporting_pairs)),
    )


def _cells(relationship: RelationshipFacts, department: Mapping[int, str | None]) -> list[tuple[str, str]]:
    """The matrix cells one relationship counts in: its one department twice, or each pair of them."""
    departments = sorted({department.get(p) or "UNSPECIFIED" for p in relationship.people()})
    if len(departments) == 1:
        return [(departments[0], departments[0])]
    return list(itertools.combinations(departments, 2))


def network_report(
    people: Mapping[int, PersonFacts],
    relationships: list[RelationshipFacts],
    changes: Mapping[int, Iterable] | None = None,
    period: Period | None = None,
) -> NetworkReport:
    """The report over `relationships`; `changes` gives each one's blocks (relationship_changes)."""
    department = {pid: person.department for pid, person in people.items()}
    cell_of: dict[tuple[int, int], tuple[str, str]] = {}
    cross = 0
    for relationship in relationships:
        cells = _cells(relationship, department)
        cross += bool(cells) and cells[0][0] != cells[0][1]
        for index, cell in enumerate(cells):
            cell_of[(relationship.id, index)] = cell
    links = Counter(cell_of.values())
    cell_changes = {item: (changes or {}).get(item[0], ()) for item in cell_of}
    withheld = not changes_are_safe({r.id: (changes or {}).get(r.id, ()) for r in relationships})
    hidden = suppressed_by_blocks(cell_of, cell_changes, private_membership=False)
    within, within_ok = _class_hidden({c: n for c, n in links.items() if c[0] == c[1]}, hidden)
    across, across_ok = _class_hidden({c: n for c, n in links.items() if c[0] != c[1]}, hidden)
    hidden = within | across
    matrix = [
        DepartmentLink(a, b, None if (a, b) in hidden else n, (a, b) in hidden) for (a, b), n in sorted(links.items())
    ]
    every_department = {d or "UNSPECIFIED" for d in department.values()}
    linked = {d for (a, b) in links if a != b for d in (a, b)}
    graph = mentoring_graph(relationships)
    scores = betweenness(graph)
    reached: dict[int, set] = defaultdict(set)
    for node in graph:
        reached[node] = {department.get(n) for n in graph.neighbors(node)} - {department.get(node)}
    top = sorted(scores, key=lambda n: (-scores[n], -len(reached[n]), n))[:TOP_BRIDGES]
    bridges = [Bridge(n, department.get(n), len(reached[n]), round(scores[n], 2)) for n in top if scores[n] > 0]
    intergenerational, reverse = _generations(relationships, people)
    cross_shown = within_ok and across_ok and not withheld
    return NetworkReport(
        people_in_network=graph.number_of_nodes(),
        relationships=len(relationships),
        cross_department=cross if cross_shown else None,
        cross_department_share=rate(cross, len(relationships)) if cross_shown else None,
        matrix=[] if withheld else matrix,
        silos=None if withheld else sorted(every_department - linked),
        bridges=bridges,
        intergenerational=WITHHELD_COVERAGE if withheld else intergenerational,
        reverse=WITHHELD_COVERAGE if withheld else reverse,
        reverse_program_relationships=sum(1 for r in relationships if r.kind == "REVERSE"),
        withheld=withheld,
        period=period,
    )
