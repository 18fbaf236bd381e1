"""The mentoring graph across the organisation, as aggregates: who learns from whom between departments.

People are nodes and each relationship links its members. Betweenness is computed per connected component:
a sparse mentoring graph falls apart into many small ones, nearly all trees, whose betweenness has a
one-pass formula; other components get Brandes' algorithm from networkx, sampled with a fixed seed when
too large for the exact count.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from domain.analytics.facts import PersonFacts, RelationshipFacts
from domain.analytics.program_figures import rate
from domain.analytics.suppression import is_small

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
    cross_department: int
    cross_department_share: float | None
    matrix: list[DepartmentLink]
    silos: list[str]
    bridges: list[Bridge]
    intergenerational: Coverage
    reverse: Coverage
    reverse_program_relationships: int


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


def network_report(people: Mapping[int, PersonFacts], relationships: list[RelationshipFacts]) -> NetworkReport:
    department = {pid: person.department for pid, person in people.items()}
    links: Counter[tuple[str, str]] = Counter()
    cross = 0
    for relationship in relationships:
        departments = sorted({department.get(p) or "UNSPECIFIED" for p in relationship.people()})
        cross += len(departments) > 1
        if len(departments) == 1:
            links[(departments[0], departments[0])] += 1
        for pair in itertools.combinations(departments, 2):
            links[pair] += 1
    matrix = [DepartmentLink(a, b, None if is_small(n) else n, is_small(n)) for (a, b), n in sorted(links.items())]
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
    return NetworkReport(
        people_in_network=graph.number_of_nodes(),
        relationships=len(relationships),
        cross_department=cross,
        cross_department_share=rate(cross, len(relationships)),
        matrix=matrix,
        silos=sorted(every_department - linked),
        bridges=bridges,
        intergenerational=intergenerational,
        reverse=reverse,
        reverse_program_relationships=sum(1 for r in relationships if r.kind == "REVERSE"),
    )
