"""The candidate graph scored pair by pair (shared skills) and block by block (every pair the rules allow) agree."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from domain.matching.cohort import build_cohort
from domain.matching.scoring import breakdowns, candidate_graph
from tests.domain.matching.test_pairing_rules import allowed, cohorts


def _pairs(graph) -> dict[tuple[int, int], int]:
    return {(int(m), int(e)): int(s) for m, e, s in zip(graph.mentor, graph.mentee, graph.score, strict=True)}


@settings(max_examples=150, deadline=None)
@given(cohorts())
def test_the_ungated_graph_is_every_allowed_pair_scored_as_the_gated_one_scores_it(cohort):
    # given an adversarial cohort
    mentors, mentees, rules, weights = cohort
    built = build_cohort(mentors, mentees)
    # when its graph is built both ways
    gated = _pairs(candidate_graph(built, rules, weights))
    ungated_graph = candidate_graph(built, rules, weights, gated=False)
    ungated = _pairs(ungated_graph)
    # then the dense blocks hold every pair the hard rules allow (shared skill or not), in (mentor, mentee) order
    expected = [
        (m, e)
        for m, mentor in enumerate(built.mentors)
        for e, mentee in enumerate(built.mentees)
        if allowed(mentor, mentee, rules, shared_skill=False)
    ]
    assert list(ungated) == expected
    # and the gated graph is the part of it that shares a skill or topic
    assert set(gated) == {(m, e) for m, e in expected if allowed(built.mentors[m], built.mentees[e], rules)}
    # and a pair in both graphs has one score, the sum of its explained points
    assert {pair: ungated[pair] for pair in gated} == gated
    if ungated:
        index = np.array(list(ungated))
        explained = breakdowns(built, rules, weights, index[:, 0], index[:, 1])
        for (pair, score), parts in zip(ungated.items(), explained, strict=True):
            assert abs(sum(part["points"] for part in parts.values()) - score) <= 0.5 + 1e-6, pair


@settings(max_examples=150, deadline=None)
@given(cohorts())
def test_each_person_counts_the_skill_sharing_pairs_the_hard_rules_removed(cohort):
    # given an adversarial cohort and its candidate graph
    mentors, mentees, rules, weights = cohort
    built = build_cohort(mentors, mentees)
    graph = candidate_graph(built, rules, weights)

    # then each person's tally of removed pairs (what names why someone has no candidate) counts exactly those
    def removed(mentor, mentee) -> bool:
        return _shares(mentor.profile, mentee) and not allowed(mentor, mentee, rules)

    _assert_tallies(graph, built, removed)
    # and ungated, every pair a hard rule removes is counted, shared skill or not
    ungated = candidate_graph(built, rules, weights, gated=False)
    _assert_tallies(ungated, built, lambda mentor, mentee: not allowed(mentor, mentee, rules, shared_skill=False))


def _assert_tallies(graph, built, removed) -> None:
    for k, mentor in enumerate(built.mentors):
        assert graph.mentor_rejections[k, 1:].sum() == sum(removed(mentor, mentee) for mentee in built.mentees)
        assert graph.mentor_rejections[k, 0] == 0
    for k, mentee in enumerate(built.mentees):
        assert graph.mentee_rejections[k, 1:].sum() == sum(removed(mentor, mentee) for mentor in built.mentors)
        assert graph.mentee_rejections[k, 0] == 0


def _shares(mentor, mentee) -> bool:
    return bool(set(mentor.teaches) & set(mentee.learns) or mentor.offers & mentee.wants)
