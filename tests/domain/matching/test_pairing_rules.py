"""Hard rules are never broken, every eligible pair is a candidate, and the same input gives the same proposals."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.matching.pairing import NO_SHARED_SKILL, match_pairs
from domain.matching.profiles import Mentor, Objective, Profile, Rules, Weights
from domain.programs.models import CrossDepartmentPolicy, ProgramKind

SKILLS = st.integers(1, 3)
MENTOR_IDS = range(1, 5)
MENTEE_IDS = range(11, 17)


@st.composite
def profiles(draw, person_id: int, managers: list[int]) -> Profile:
    return Profile(
        person_id=person_id,
        department=draw(st.sampled_from(["A", "B", None])),
        level=draw(st.one_of(st.none(), st.integers(1, 5))),
        manager_id=draw(st.one_of(st.none(), st.sampled_from(managers))),
        utc_offset_minutes=draw(st.sampled_from([-600, -300, 0, 60, 330, 780])),
        week=draw(st.integers(0, (1 << 336) - 1)),
        languages=frozenset(draw(st.sets(st.sampled_from(["en", "fr", "ja"]), max_size=2))),
        formats=frozenset(draw(st.sets(st.sampled_from(["VIDEO", "AUDIO"]), max_size=2))),
        teaches=draw(st.dictionaries(SKILLS, st.integers(1, 5), max_size=2)),
        learns=draw(st.dictionaries(SKILLS, st.integers(1, 5), max_size=2)),
        offers=frozenset(draw(st.sets(SKILLS, max_size=1))),
        wants=frozenset(draw(st.sets(SKILLS, max_size=1))),
    )


@st.composite
def cohorts(draw):
    n_mentors, n_mentees = draw(st.integers(1, 4)), draw(st.integers(1, 6))
    everyone = [*MENTOR_IDS[:n_mentors], *MENTEE_IDS[:n_mentees]]
    mentors = [
        Mentor(draw(profiles(person_id, everyone)), capacity=draw(st.integers(0, 2)), trained=draw(st.booleans()))
        for person_id in MENTOR_IDS[:n_mentors]
    ]
    mentees = [draw(profiles(person_id, everyone)) for person_id in MENTEE_IDS[:n_mentees]]
    pairs = st.tuples(st.sampled_from(everyone), st.sampled_from(everyone))
    rules = Rules(
        kind=draw(st.sampled_from(list(ProgramKind))),
        cross_department=draw(st.sampled_from(list(CrossDepartmentPolicy))),
        max_time_zone_gap_hours=draw(st.one_of(st.none(), st.integers(0, 8))),
        training_required=draw(st.booleans()),
        separated=frozenset(draw(st.sets(pairs, max_size=3))),
        blocked=frozenset(draw(st.sets(pairs, max_size=3))),
    )
    weights = Weights(**{name: draw(st.integers(0, 5)) for name in ("skills", "topics", "working_hours")}, seniority=1)
    return mentors, mentees, rules, weights


def allowed(mentor: Mentor, mentee: Profile, rules: Rules, *, shared_skill: bool = True) -> bool:
    """The hard rules, written out plainly, independent of the vectorised code under test; `shared_skill`
    also asks for a skill or topic in common (what makes a pair a candidate at all)."""
    a, b = mentor.profile, mentee
    if a.person_id == b.person_id or a.manager_id == b.person_id or b.manager_id == a.person_id:
        return False
    if {(a.person_id, b.person_id), (b.person_id, a.person_id)} & (rules.separated | rules.blocked):
        return False
    if mentor.capacity <= 0 or (rules.training_required and not mentor.trained):
        return False
    if rules.max_time_zone_gap_hours is not None:
        gap = abs(a.utc_offset_minutes - b.utc_offset_minutes)
        if min(gap, 1440 - gap) > rules.max_time_zone_gap_hours * 60:
            return False
    if (
        rules.cross_department is CrossDepartmentPolicy.REQUIRED
        and a.department is not None
        and a.department == b.department
    ):
        return False
    teaches = set(a.teaches) & set(b.learns) or a.offers & b.wants
    if shared_skill and not teaches:
        return False
    if rules.kind is ProgramKind.REVERSE:
        if a.level is not None and b.level is not None and a.level > b.level:
            return False
        if not (set(b.teaches) & set(a.learns) or b.offers & a.wants):
            return False
    return True


@settings(max_examples=200, deadline=None)
@given(cohorts(), st.sampled_from(list(Objective)))
def test_no_proposal_ever_breaks_a_hard_rule(cohort, objective):
    # given an adversarial cohort (managers inside it, blocks, zero capacities, untrained mentors)
    mentors, mentees, rules, weights = cohort
    # when matched
    result = match_pairs(mentors, mentees, rules=rules, weights=weights, objective=objective)
    # then every proposal passes every rule, and nobody exceeds their places
    by_id = {mentor.profile.person_id: mentor for mentor in mentors}
    mentee_by_id = {mentee.person_id: mentee for mentee in mentees}
    for proposal in result.proposals:
        assert allowed(by_id[proposal.mentor_id], mentee_by_id[proposal.mentee_id], rules)
    for mentor in mentors:
        assert sum(p.mentor_id == mentor.profile.person_id for p in result.proposals) <= max(mentor.capacity, 0)
    assert len({p.mentee_id for p in result.proposals}) == len(result.proposals)
    # and every eligible pair was a candidate, so the optimum was taken over all of them
    eligible = sum(allowed(mentor, mentee, rules) for mentor in mentors for mentee in mentees)
    assert result.candidate_pairs == eligible
    assert result.proven_optimal
    # and everyone left out is listed once with a reason
    placed = {p.mentee_id for p in result.proposals}
    listed = {u.person_id for u in result.unmatched if u.role == "MENTEE"}
    assert listed == set(mentee_by_id) - placed


@settings(max_examples=60, deadline=None)
@given(cohorts(), st.randoms(use_true_random=False))
def test_the_same_people_in_any_order_give_the_same_proposals(cohort, rng: random.Random):
    mentors, mentees, rules, weights = cohort
    first = match_pairs(mentors, mentees, rules=rules, weights=weights, objective=Objective.BEST_SCORE)
    shuffled_mentors, shuffled_mentees = mentors[:], mentees[:]
    rng.shuffle(shuffled_mentors)
    rng.shuffle(shuffled_mentees)
    again = match_pairs(
        shuffled_mentors, shuffled_mentees, rules=rules, weights=weights, objective=Objective.BEST_SCORE
    )
    assert again.proposals == first.proposals
    assert again.unmatched == first.unmatched


def test_ties_go_the_same_way_every_run():
    # given two identical mentees wanting one place
    mentor = Mentor(Profile(1, teaches={1: 5}), capacity=1)
    mentees = [Profile(12, learns={1: 1}), Profile(11, learns={1: 1})]
    results = {
        tuple((p.mentor_id, p.mentee_id) for p in match_pairs(
            [mentor], mentees, rules=Rules(), weights=Weights(), objective=Objective.BEST_SCORE
        ).proposals)
        for _ in range(5)
    }  # fmt: skip
    assert len(results) == 1


def test_reasons_name_the_rule_that_removed_every_candidate():
    # given a mentee whose only skill-sharing mentor is their manager, and one who shares nothing
    mentor = Mentor(Profile(1, teaches={1: 5}), capacity=2)
    managed = Profile(11, manager_id=1, learns={1: 2})
    unrelated = Profile(12, learns={2: 2})
    result = match_pairs(
        [mentor], [managed, unrelated], rules=Rules(), weights=Weights(), objective=Objective.BEST_SCORE
    )
    reasons = {u.person_id: u.reason for u in result.unmatched}
    assert reasons[11] == "REPORTING_LINE"
    assert reasons[12] == NO_SHARED_SKILL
    assert reasons[1] == "REPORTING_LINE"


def test_the_score_breakdown_adds_up_to_the_score():
    mentor = Mentor(Profile(1, department="A", level=5, teaches={1: 5}, languages=frozenset({"en"})), capacity=1)
    mentee = Profile(11, department="B", level=2, learns={1: 1}, languages=frozenset({"en"}))
    (proposal,) = match_pairs(
        [mentor], [mentee], rules=Rules(), weights=Weights(), objective=Objective.BEST_SCORE
    ).proposals
    assert round(sum(part["points"] for part in proposal.breakdown.values())) == proposal.score
    assert proposal.breakdown["cross_department"]["value"] == 1.0
    assert proposal.breakdown["seniority"]["value"] == 1.0
