"""Retention and mentor-hours totals over whole calendar quarters, safe against differencing.

Over any days, two overlapping periods would differ by one leaver (telling whether they took part), one
newcomer, or one mentor's meeting (telling their hours). So both figures cover the whole quarters the period
touches (`equity.whole_quarters`), and the people whose place in a figure changed in a quarter form that
quarter's block, as in the equity report: a block of 1 to 4 withholds the figure, so any two answers differ
by whole blocks of five or more.

- Retention: of the people employed on the quarters' first day, participants and non-participants (for the
  ROI, only those at a level someone in the program holds), how many were still employed after the last.
  A block is everyone who arrived, left, enrolled, or began or ended a relationship in a quarter, taken
  from everyone employed during the quarters, since a newcomer is in one answer's population and not in an
  earlier-starting one's. Each block's participants and others go through the one suppression rule too.
- Mentor-hours totals (hours and how many mentors held meetings) are an aggregate across mentors. A quarter's
  block is its mentors with a held meeting; it must be none or five or more, and so must the mentors in it
  who do not share their recognition, whose hours are what a coordinator cannot otherwise see (those who
  share are listed by name to coordinators, so subtracting them reveals nothing new). The named per-mentor
  hours are not an aggregate and keep the period's days: a mentor's own hours are no secret to the mentor or
  to the coordinators they chose to show them to, who can read them over any days in mentorRecognition.
- Relationship figures (active relationships, time to first meeting, cadence adherence, goal completion,
  rematch rate): over any days, two periods would differ by one pair's wait, meetings, goals or rematch. A
  block here is the relationships whose place in a figure changed in a quarter (network.relationship_changes:
  they began or ended; and they first met, ran, set or achieved a goal, or were rematched), and a block of 1
  to 4 withholds that figure. Every relationship a figure counts is in some block of its quarters, so the
  figures are withheld in a program with fewer than five relationships changing in a quarter too.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from domain.analytics import program_figures as figures
from domain.analytics.equity import Tally, participation_tally, quarter_of
from domain.analytics.facts import PersonFacts, ProgramFacts
from domain.analytics.network import blocks_of, relationship_changes
from domain.analytics.period import Period
from domain.analytics.suppression import blocks_are_safe, changes_are_safe, suppressed_by_blocks, suppressed_groups

PARTICIPANTS = "PARTICIPANTS"
NON_PARTICIPANTS = "NON_PARTICIPANTS"


@dataclass(frozen=True)
class Retention:
    quarters: Period
    # Employed on the quarters' first day, per group, and those of them still employed after the last.
    members: dict[str, set[int]]
    stayed: set[int]
    hidden: set[str]

    def rows(self) -> list[figures.GroupRate]:
        rows = []
        for group, members in self.members.items():
            if group in self.hidden:
                rows.append(figures.GroupRate(group, None, None, None, True))
            else:
                kept = len(members & self.stayed)
                rows.append(figures.GroupRate(group, len(members), kept, figures.rate(kept, len(members)), False))
        return rows


def retention(
    facts: ProgramFacts,
    quarters: Period,
    *,
    compared: Callable[[PersonFacts], bool] | None = None,
    tally: Tally | None = None,
) -> Retention:
    """Participants against the non-participants `compared` keeps (all of them when None), over `quarters`;
    `tally` is participation_tally(facts, quarters) when the caller has it already."""
    tally = tally or participation_tally(facts, quarters)
    group_of: dict[int, str] = {}
    for person_id in tally.whole:
        if person_id in tally.part:
            group_of[person_id] = PARTICIPANTS
        elif compared is None or compared(facts.people[person_id]):
            group_of[person_id] = NON_PARTICIPANTS
    changes = {p: tally.changes.get(p, set()) | tally.part_changes.get(p, set()) for p in group_of}
    members: dict[str, set[int]] = {PARTICIPANTS: set(), NON_PARTICIPANTS: set()}
    for person_id, group in group_of.items():
        if facts.people[person_id].employed_on(quarters.start):
            members[group].add(person_id)
    stayed = {p for p in group_of if facts.people[p].left_on is None or facts.people[p].left_on > quarters.end}
    # Taking part is no secret (the participation breakdowns count it); what the blocks guard is who left.
    hidden = suppressed_groups({g: len(m) for g, m in members.items()}, private_membership=False)
    hidden |= suppressed_by_blocks(group_of, changes, private_membership=False)
    return Retention(quarters, members, stayed, hidden)


@dataclass(frozen=True)
class HoursTotal:
    """Hours of held meetings across mentors, and how many mentors held them; None when withheld."""

    hours: float | None
    mentors: int | None
    suppressed: bool


def mentor_hours_total(facts: ProgramFacts, quarters: Period) -> HoursTotal:
    hours = figures.mentor_hours(facts, quarters)
    mentors_of = {r.id: r.people("MENTOR") for r in facts.relationships}
    meeting_mentors: dict = defaultdict(set)
    for meeting in facts.meetings:
        if meeting.held and quarters.contains(meeting.starts_at):
            meeting_mentors[quarter_of(meeting.starts_at.date())].update(mentors_of.get(meeting.relationship_id, ()))
    private = [mentors - facts.sharing_mentors for mentors in meeting_mentors.values()]
    if not blocks_are_safe(len(m) for m in meeting_mentors.values()) or not blocks_are_safe(len(m) for m in private):
        return HoursTotal(None, None, True)
    return HoursTotal(round(sum(m.hours for m in hours), 2), len(hours), False)


@dataclass(frozen=True)
class RelationshipFigures:
    """programInsights' figures about relationships over whole quarters; each withheld on its own."""

    active: int | None
    time_to_first_meeting: figures.TimeToFirstMeeting
    cadence_adherence: figures.Ratio
    goal_completion: figures.Ratio
    rematch_rate: figures.RematchRate


def each_quarter(quarters: Period) -> list[Period]:
    """The calendar quarters `quarters` (whole quarters) is made of."""
    parts, start = [], quarters.start
    while start <= quarters.end:
        following = datetime.date(start.year + start.month // 10, (start.month + 2) % 12 + 1, 1)
        parts.append(Period(start, following - datetime.timedelta(days=1)))
        start = following
    return parts


def relationship_figures(facts: ProgramFacts, quarters: Period) -> RelationshipFigures:
    running = [r for r in facts.relationships if figures.running_in(r, quarters)]
    began_or_ended = relationship_changes(running, quarters)
    started = figures.started_in(facts, quarters)
    first_met = figures.first_met_by_end(facts, quarters)
    replaced = figures.rematches_by_end(facts, quarters)
    waits = {r.id: blocks_of(quarters, began=r.started_at, met=first_met.get(r.id)) for r in started}
    rematches = {r.id: blocks_of(quarters, began=r.started_at, rematched=replaced.get(r.id)) for r in started}
    # Cadence adds up each quarter's meetings: every relationship running or meeting in a quarter is its block.
    ran: dict[int, set] = defaultdict(set)
    for quarter in each_quarter(quarters):
        for relationship in running:
            if figures.running_in(relationship, quarter):
                ran[relationship.id].add(("ran", quarter.start))
    for meeting in facts.meetings:
        if meeting.held and quarters.contains(meeting.starts_at):
            ran[meeting.relationship_id].add(("ran", quarter_of(meeting.starts_at.date())))
    goals: dict[int, set] = defaultdict(set)
    for goal in figures.counted_goals(facts, quarters):
        goals[goal.relationship_id] |= blocks_of(quarters, set=goal.created_at, achieved=goal.achieved_at)
    return RelationshipFigures(
        active=figures.active_relationships(facts, quarters) if changes_are_safe(began_or_ended) else None,
        time_to_first_meeting=figures.time_to_first_meeting(facts, quarters)
        if changes_are_safe(waits)
        else figures.WITHHELD_WAIT,
        cadence_adherence=figures.cadence_adherence(facts, quarters)
        if changes_are_safe(ran)
        else figures.WITHHELD_RATIO,
        goal_completion=figures.goal_completion(facts, quarters) if changes_are_safe(goals) else figures.WITHHELD_RATIO,
        rematch_rate=figures.rematch_rate(facts, quarters) if changes_are_safe(rematches) else figures.WITHHELD_REMATCH,
    )
