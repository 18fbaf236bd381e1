"""Agreement terms checked as plain values: month arithmetic, lengths, and who teaches whom."""

from __future__ import annotations

import datetime

import pytest

from domain.agreements import terms
from domain.agreements.terms import TopicTerm
from domain.errors import ValidationFailed
from domain.programs.models import ProgramKind

ANA, BEN, CAI = 1, 2, 3


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (datetime.date(2026, 3, 2), 6, datetime.date(2026, 9, 2)),
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 11, 15), 3, datetime.date(2027, 2, 15)),
        (datetime.date(2026, 5, 31), 12, datetime.date(2027, 5, 31)),
    ],
)
def test_add_months_keeps_the_day_or_clamps_to_the_months_end(start, months, end):
    assert terms.add_months(start, months) == end


@pytest.mark.parametrize("minutes", [14, 241, 0])
def test_meeting_length_outside_15_to_240_minutes_is_refused(minutes):
    with pytest.raises(ValidationFailed) as caught:
        terms.valid_meeting_minutes(minutes)
    assert caught.value.field == "meeting_minutes"


def test_channels_are_trimmed_and_deduplicated_ignoring_case():
    assert terms.valid_channels(["  Slack ", "slack", "Email"]) == ["Slack", "Email"]


def test_a_reverse_pair_where_only_one_side_teaches_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        terms.check_topic_people(
            [TopicTerm(teacher_id=ANA, learner_id=BEN, topic="Generative AI")],
            member_ids={ANA, BEN},
            kind=ProgramKind.REVERSE,
        )
    assert caught.value.field == "topics"


def test_a_one_on_one_agreement_may_have_only_the_mentor_teach():
    terms.check_topic_people(
        [TopicTerm(teacher_id=ANA, learner_id=BEN, topic="Negotiation")],
        member_ids={ANA, BEN},
        kind=ProgramKind.ONE_ON_ONE,
    )


def test_a_three_way_skill_swap_needs_a_teacher_in_everyone():
    topics = [TopicTerm(ANA, BEN, topic="SQL"), TopicTerm(BEN, CAI, topic="Figma")]
    with pytest.raises(ValidationFailed):
        terms.check_topic_people(topics, member_ids={ANA, BEN, CAI}, kind=ProgramKind.SKILL_SWAP)
    terms.check_topic_people(
        [*topics, TopicTerm(CAI, ANA, topic="Public speaking")], member_ids={ANA, BEN, CAI}, kind=ProgramKind.SKILL_SWAP
    )


@pytest.mark.parametrize(
    ("term", "field"),
    [
        (TopicTerm(teacher_id=9, learner_id=BEN, topic="X"), "topics[0].teacher_id"),
        (TopicTerm(teacher_id=ANA, learner_id=9, topic="X"), "topics[0].learner_id"),
        (TopicTerm(teacher_id=ANA, learner_id=ANA, topic="X"), "topics[0].learner_id"),
        (TopicTerm(teacher_id=ANA, learner_id=BEN, topic="  "), "topics[0].topic"),
    ],
)
def test_topic_people_and_wording_are_checked_per_topic(term, field):
    with pytest.raises(ValidationFailed) as caught:
        terms.check_topic_people([term], member_ids={ANA, BEN}, kind=ProgramKind.ONE_ON_ONE)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("topics", "allowed"),
    [
        ([TopicTerm(ANA, BEN, topic="SQL"), TopicTerm(BEN, ANA, topic="Figma")], True),
        # Ana learns back the very topic she teaches.
        ([TopicTerm(ANA, BEN, topic="SQL"), TopicTerm(BEN, ANA, topic=" sql ")], False),
        # Cai teaches everyone else (no learner named).
        ([TopicTerm(ANA, CAI, topic="SQL"), TopicTerm(BEN, CAI, topic="Figma"), TopicTerm(CAI, None, topic="X")], True),
        # Both teach Cai and Cai teaches Ana only: Ben learns nothing.
        ([TopicTerm(ANA, CAI, topic="SQL"), TopicTerm(BEN, CAI, topic="Figma"), TopicTerm(CAI, ANA, topic="X")], False),
    ],
)
def test_in_a_skill_swap_everyone_learns_something_other_than_what_they_teach(topics, allowed):
    members = {person for term in topics for person in (term.teacher_id, term.learner_id) if person is not None}
    if allowed:
        terms.check_topic_people(topics, member_ids=members, kind=ProgramKind.SKILL_SWAP)
        return
    with pytest.raises(ValidationFailed) as caught:
        terms.check_topic_people(topics, member_ids=members, kind=ProgramKind.SKILL_SWAP)
    assert caught.value.field == "topics"
