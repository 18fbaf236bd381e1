"""Retention, mentor-hours totals and the network's blocks at the edge: four withheld, five shown.

The first half of 2026; everyone employed since 2025. Twenty non-participants and `participants`
participants; `leavers` of the non-participants leave on 10 May (the second quarter). Each of `mentors`
mentors holds one hour-long meeting on 12 May.
"""

from __future__ import annotations

import datetime
from datetime import UTC

import pytest

from domain.analytics.facts import EnrollmentFacts, MeetingFacts, PersonFacts, ProgramFacts, RelationshipFacts
from domain.analytics.network import network_report, relationship_changes
from domain.analytics.period import Period
from domain.analytics.quarterly import NON_PARTICIPANTS, PARTICIPANTS, mentor_hours_total, retention

HALF = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
JOINED = datetime.date(2025, 1, 1)
ENROLLED = datetime.datetime(2025, 12, 1, tzinfo=UTC)
MEETING = datetime.datetime(2026, 5, 12, 9, tzinfo=UTC)


def organisation(*, participants: int = 10, leavers: int = 0, mentors: int = 0, sharing: int = 0) -> ProgramFacts:
    people = {}
    for pid in range(1, 21):
        people[pid] = PersonFacts(pid, "Sales", 3, JOINED, datetime.date(2026, 5, 10) if pid <= leavers else None)
    taking_part = list(range(100, 100 + max(participants, 2 * mentors)))
    for pid in taking_part:
        people[pid] = PersonFacts(pid, "Engineering", 3, JOINED, None)
    relationships, meetings = [], []
    for k in range(mentors):
        members = ((taking_part[2 * k], "MENTOR"), (taking_part[2 * k + 1], "MENTEE"))
        relationships.append(RelationshipFacts(k + 1, "ONE_ON_ONE", "ACTIVE", "MATCHING", ENROLLED, None, 30, members))
        meetings.append(MeetingFacts(k + 1, MEETING, MEETING + datetime.timedelta(hours=1), True))
    return ProgramFacts(
        people=people,
        enrollments=[EnrollmentFacts(pid, "MENTEE", "ACTIVE", ENROLLED) for pid in taking_part],
        relationships=relationships,
        meetings=meetings,
        sharing_mentors=frozenset(taking_part[2 * k] for k in range(sharing)),
    )


@pytest.mark.parametrize(("participants", "shown"), [(4, False), (5, True)])
def test_a_group_of_four_participants_is_withheld_and_five_shown(participants, shown):
    rows = {row.group: row for row in retention(organisation(participants=participants), HALF).rows()}

    assert rows[PARTICIPANTS].suppressed is not shown
    # the other group alone would tell the participants' figure by subtraction from everyone employed
    assert rows[NON_PARTICIPANTS].suppressed is not shown
    if shown:
        assert (rows[PARTICIPANTS].whole, rows[PARTICIPANTS].part) == (5, 5)


@pytest.mark.parametrize(("leavers", "shown"), [(4, False), (5, True)])
def test_four_leavers_in_a_quarter_withhold_retention_and_five_show_it(leavers, shown):
    rows = {row.group: row for row in retention(organisation(leavers=leavers), HALF).rows()}

    assert rows[NON_PARTICIPANTS].suppressed is not shown
    if shown:
        assert (rows[NON_PARTICIPANTS].whole, rows[NON_PARTICIPANTS].part, rows[NON_PARTICIPANTS].rate) == (
            20,
            15,
            0.75,
        )


@pytest.mark.parametrize(("mentors", "shown"), [(4, False), (5, True)])
def test_four_mentors_meeting_in_a_quarter_withhold_the_hours_total_and_five_show_it(mentors, shown):
    total = mentor_hours_total(organisation(mentors=mentors), HALF)

    assert total.suppressed is not shown
    assert (total.hours, total.mentors) == ((5.0, 5) if shown else (None, None))


@pytest.mark.parametrize(("sharing", "shown"), [(0, True), (1, False)])
def test_one_of_five_mentors_sharing_leaves_four_whose_total_a_coordinator_could_work_out(sharing, shown):
    assert mentor_hours_total(organisation(mentors=5, sharing=sharing), HALF).suppressed is not shown


@pytest.mark.parametrize(("began", "withheld"), [(4, True), (5, False)])
def test_four_relationships_beginning_in_a_quarter_withhold_the_network_and_five_show_it(began, withheld):
    facts = organisation(participants=0, mentors=10)
    later = datetime.datetime(2026, 4, 2, tzinfo=UTC)
    relationships = [
        RelationshipFacts(
            r.id, r.kind, r.status, r.origin, later if r.id <= began else r.started_at, None, 30, r.members
        )
        for r in facts.relationships
    ]

    report = network_report(facts.people, relationships, relationship_changes(relationships, HALF), HALF)

    assert report.withheld is withheld
    assert (report.matrix == []) is withheld
