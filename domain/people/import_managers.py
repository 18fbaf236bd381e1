"""The second pass of a people import: every manager must exist and the reporting lines must not loop; pure.

Works on emails over the reporting graph the import would leave behind: everyone already in Mentorgraph with
their current manager, overridden by the file's accepted rows. A rejected row keeps its person as they are
(or absent, if new), so rejecting a row can reject rows that name its person as manager, or close a loop that
the row would have broken: the checks repeat until no further row is rejected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx


@dataclass(frozen=True)
class ManagerClaim:
    """A row's person (normalised email) and the manager the row names, or None to keep the current one."""

    row: int
    email: str
    manager_email: str | None


def reporting_line_errors(
    *, current: Mapping[str, str | None], claims: Iterable[ManagerClaim], rejected: Iterable[int] = ()
) -> dict[int, str]:
    """New errors (row -> message) on manager_email, given everyone's current manager and rows already rejected."""
    claims = list(claims)
    row_of = {claim.email: claim.row for claim in claims}
    errors = {
        claim.row: f"No one with the email {claim.manager_email} is in this file or in Mentorgraph."
        for claim in claims
        if claim.manager_email and claim.manager_email not in current and claim.manager_email not in row_of
    }
    out = set(rejected) | errors.keys()
    while True:
        fresh: dict[int, str] = {}
        for claim in claims:
            manager = claim.manager_email
            if claim.row in out or not manager or manager in current or row_of.get(manager) not in out:
                continue
            fresh[claim.row] = f"The manager {manager} (row {row_of[manager]}) was rejected, so they would not exist."
        accepted = [claim for claim in claims if claim.row not in out and claim.row not in fresh]
        graph = reporting_graph(current, accepted)
        try:
            looping = cyclic_people(graph)
            for claim in accepted:
                if claim.email in looping:
                    fresh[claim.row] = _loop_message(graph, claim.email)
        finally:
            # A DiGraph refers to itself through its views, so only the cycle collector would free it, and its
            # per-person dicts with it (tens of thousands on a large import): emptied here, they go at once.
            graph.clear()
        if not fresh:
            return errors
        errors.update(fresh)
        out |= fresh.keys()


def reporting_graph(current: Mapping[str, str | None], accepted: Iterable[ManagerClaim]) -> nx.DiGraph:
    """An edge from each person to their manager, as the import would leave them."""
    graph = nx.DiGraph()
    graph.add_edges_from((email, manager) for email, manager in current.items() if manager)
    for claim in accepted:
        graph.add_node(claim.email)
        if claim.manager_email:
            graph.remove_edges_from(list(graph.out_edges(claim.email)))
            graph.add_edge(claim.email, claim.manager_email)
    return graph


def cyclic_people(graph: nx.DiGraph) -> set[str]:
    looping = {email for email, _ in nx.selfloop_edges(graph)}
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            looping |= component
    return looping


def _loop_message(graph: nx.DiGraph, email: str) -> str:
    # Everyone has one manager at most, so following the single out-edge walks the loop.
    loop = [email]
    while (manager := next(graph.successors(loop[-1]))) != email:
        loop.append(manager)
    if len(loop) == 1:
        return "A person cannot be their own manager."
    return "Reporting lines would loop: " + " → ".join([*loop, email]) + "."
