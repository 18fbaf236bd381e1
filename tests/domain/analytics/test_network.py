"""The mentoring network on a hand-drawn organisation.

Engineering a1-a6, Sales b1-b5, Legal c1, Operations d1 (in no relationship), Finance f1-f2.
a1..a5 mentor b1..b5; b1 mentors c1; a1 mentors a6; f1 mentors f2 in a reverse-mentoring program.
Generations: a1-a5 Millennial, b1-b3 Baby Boomer, b4-b5 Millennial, c1 Gen Z; the rest did not say.
"""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest

from domain.analytics.facts import PersonFacts, RelationshipFacts
from domain.analytics.network import Bridge, Coverage, DepartmentLink, network_report, relationship_changes
from domain.analytics.period import Period

JOINED = datetime.date(2025, 1, 1)


def at(year, month, day):
    return datetime.datetime(year, month, day, 9, tzinfo=datetime.UTC)


def person(pid, department, generation=None):
    return PersonFacts(pid, department, 3, JOINED, None, generation)


def pair(rid, mentor, mentee, kind="ONE_ON_ONE"):
    members = ((mentor, "MENTOR"), (mentee, "MENTEE"))
    return RelationshipFacts(rid, kind, "ACTIVE", "COORDINATOR", None, None, 30, members)


def organisation():
    people = {}
    for i in range(1, 7):
        people[i] = person(i, "Engineering", "MILLENNIAL" if i <= 5 else None)
    for i in range(1, 6):
        people[10 + i] = person(10 + i, "Sales", "BABY_BOOMER" if i <= 3 else "MILLENNIAL")
    people[21] = person(21, "Legal", "GEN_Z")
    people[31] = person(31, "Operations")
    people[41], people[42] = person(41, "Finance"), person(42, "Finance")
    relationships = [pair(i, i, 10 + i) for i in range(1, 6)]
    relationships += [pair(6, 11, 21), pair(7, 1, 6), pair(8, 41, 42, kind="REVERSE")]
    return people, relationships


def test_the_network_report_matches_the_hand_count():
    report = network_report(*organisation())

    # Six of the eight cross departments, but every cell is suppressed: Legal-Sales (1) would be the cross
    # total less Engineering-Sales (5), and the two cells within a department, listed so holding one or more,
    # add up to 8 - 6 = 2, one each, so the cross total is withheld as well.
    assert (report.relationships, report.cross_department, report.cross_department_share) == (8, None, None)
    assert report.people_in_network == 14
    assert report.matrix == [
        DepartmentLink("Engineering", "Engineering", None, True),
        DepartmentLink("Engineering", "Sales", None, True),
        DepartmentLink("Finance", "Finance", None, True),
        DepartmentLink("Legal", "Sales", None, True),
    ]
    assert not report.withheld
    assert report.silos == ["Finance", "Operations"]
    # a6 - a1 - b1 - c1 is the one path longer than a pair: a1 and b1 each sit on two shortest paths,
    # and b1 reaches two other departments (Engineering, Legal) where a1 reaches one (Sales).
    assert report.bridges == [Bridge(11, "Sales", 2, 2.0), Bridge(1, "Engineering", 1, 2.0)]
    assert report.intergenerational == Coverage(6, 4, 0.6667, False)
    assert report.reverse == Coverage(6, 3, 0.5, False)
    assert report.reverse_program_relationships == 1


def test_generation_coverage_over_fewer_than_five_relationships_is_suppressed():
    people, relationships = organisation()
    report = network_report(people, [r for r in relationships if r.id in (1, 2, 3, 6)])

    assert report.intergenerational == Coverage(None, None, None, True)
    assert report.reverse == Coverage(None, None, None, True)


def test_an_empty_organisation_gives_empty_figures():
    report = network_report({}, [])

    assert (report.relationships, report.cross_department_share, report.matrix, report.bridges) == (0, None, [], [])


def test_the_one_pass_tree_formula_agrees_with_brandes_on_random_trees():
    import random

    import networkx as nx

    from domain.analytics.network import tree_betweenness

    for seed in range(5):
        tree = nx.random_labeled_tree(60, seed=seed)
        expected = nx.betweenness_centrality(tree, normalized=False)
        got = tree_betweenness(tree, set(tree.nodes))
        assert got == pytest.approx(expected), random.Random(seed)


def test_a_component_with_a_cycle_still_gets_exact_betweenness():
    from domain.analytics.network import betweenness, mentoring_graph

    cycle = [pair(i, i, i % 4 + 1) for i in range(1, 5)] + [pair(5, 1, 9)]
    scores = betweenness(mentoring_graph(cycle))

    # in the square 1-2-3-4 with 9 hanging off 1: node 1 carries 9's paths to 2, 3 (half of them) and 4
    assert scores[1] == pytest.approx(3.5)


def _dated(relationship, began, ended=None):
    return replace(relationship, started_at=began, ended_at=ended)


def test_the_blocks_are_the_quarters_relationships_began_and_ended_in():
    quarters = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    _, relationships = organisation()
    dated = [
        _dated(relationships[0], at(2025, 11, 3)),
        _dated(relationships[1], at(2026, 2, 1), at(2026, 5, 2)),
        _dated(relationships[2], at(2026, 4, 9), at(2026, 8, 1)),
    ]

    assert relationship_changes(dated, quarters) == {
        1: set(),
        2: {("began", datetime.date(2026, 1, 1)), ("ended", datetime.date(2026, 4, 1))},
        3: {("began", datetime.date(2026, 4, 1))},
    }


def test_one_relationship_beginning_in_a_quarter_withholds_who_is_linked_to_whom():
    people, relationships = organisation()
    changes = {r.id: {("began", datetime.date(2026, 1, 1))} for r in relationships}
    changes[8] = {("began", datetime.date(2026, 4, 1))}  # f1 -> f2 alone began in the second quarter

    report = network_report(people, relationships, changes)

    assert report.withheld
    assert (report.matrix, report.silos, report.cross_department, report.cross_department_share) == (
        [],
        None,
        None,
        None,
    )
    assert report.intergenerational == report.reverse == Coverage(None, None, None, True)
    # the totals of relationships and people say nothing of who is linked to whom
    assert (report.relationships, report.people_in_network) == (8, 14)


def test_five_cells_of_a_class_hidden_together_may_show_the_cross_total():
    # five departments each mentoring Sales once, and Engineering ten times: the five hidden cells add up to
    # five, one each, so the smallest shown cell (Engineering-Sales) is hidden with them
    people = {pid: person(pid, department) for pid, department in enumerate("ABCDE", start=1)}
    people.update({10 + k: person(10 + k, "Sales") for k in range(20)})
    people.update({40 + k: person(40 + k, "Engineering") for k in range(10)})
    relationships = [pair(k, k, 10 + k) for k in range(1, 6)]
    relationships += [pair(20 + k, 40 + k, 10 + 5 + k % 15) for k in range(10)]

    report = network_report(people, relationships)

    assert {(m.department, m.other): m.relationships for m in report.matrix} == {
        ("A", "Sales"): None,
        ("B", "Sales"): None,
        ("C", "Sales"): None,
        ("D", "Sales"): None,
        ("E", "Sales"): None,
        ("Engineering", "Sales"): None,
    }
    # hidden together they hold 15, more than one each: the cross total no longer pins any of them
    assert report.cross_department == 15
