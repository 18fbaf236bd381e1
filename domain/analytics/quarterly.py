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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from domain.analytics import program_figures as figures
from domain.analytics.equity import Tally, participation_tally, quarter_of
from domain.analytics.facts import PersonFacts, ProgramFacts
from domain.analytics.period import Period
from domain.analytics.suppression import blocks_are_safe, suppressed_by_blocks, suppressed_groups

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
