"""A program's mentoring activity at scale, on top of `bench.orggen`'s organisation: what dashboards read.

`write_program_activity(org, ActivitySpec(...))` stores, on whichever engine is open, one program run by a
coordinator with `relationships` one-on-ones between the organisation's people, each with its members, a
signed (or half-signed) agreement, goals with milestones, monthly meetings in the past (mostly held, some
missed, so some relationships are AT_RISK) and one booked ahead, every meeting with both members as
attendees. At the issue's size (`ActivitySpec(relationships=5_000)` over `OrgSpec(people=10_000)`) that is
15,000 goals and 60,000 meetings. The same spec writes the same rows every time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bench.orggen import Organisation


@dataclass(frozen=True)
class ActivitySpec:
    relationships: int = 1_000
    goals_per_relationship: int = 3
    milestones_per_goal: int = 2
    meetings_per_relationship: int = 12  # the last one is booked ahead; the others lie in the past
    # The participant whose home the benches read mentors this many of the relationships.
    home_relationships: int = 3
    seed: int = 13


@dataclass(frozen=True)
class ProgramActivity:
    program_id: int
    coordinator_id: int
    coordinator_email: str
    participant_id: int
    participant_email: str
    # A relationship of the participant's, for slot searches.
    pair_relationship_id: int
    rows: dict[str, int]


def _pairs(org: Organisation, spec: ActivitySpec, rng: random.Random) -> list[tuple[int, int]]:
    """(mentor, mentee) person ids: the participant mentors the first few, then random distinct pairs."""
    people = [person.id for person in org.people]
    participant = people[1]
    pairs = [(participant, people[2 + n]) for n in range(spec.home_relationships)]
    while len(pairs) < spec.relationships:
        mentor, mentee = rng.sample(people[2:], 2)
        pairs.append((mentor, mentee))
    return pairs


async def write_program_activity(
    org: Organisation, spec: ActivitySpec = ActivitySpec(), *, now: datetime | None = None
) -> ProgramActivity:
    """Stores the program and its activity (the organisation's people must be written first)."""
    from domain.agreements.models import Agreement, AgreementSignature, AgreementVersion
    from domain.goals.models import Goal, GoalStatus, Milestone
    from domain.meetings.models import Meeting, MeetingAttendee, MeetingStatus
    from domain.programs.models import (
        Cadence,
        Program,
        ProgramCoordinator,
        ProgramKind,
        ProgramStatus,
        ProgramTier,
    )
    from domain.relationships.models import (
        MemberRole,
        Relationship,
        RelationshipMember,
        RelationshipOrigin,
        RelationshipStatus,
    )

    rng = random.Random(spec.seed)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    coordinator = org.people[0]
    program = await Program.create(
        name="Mentoring at scale", kind=ProgramKind.ONE_ON_ONE, tier=ProgramTier.FORMAL, status=ProgramStatus.ACTIVE
    )
    await ProgramCoordinator.create(program_id=program.id, person_id=coordinator.id)
    pairs = _pairs(org, spec, rng)
    statuses = [RelationshipStatus.ACTIVE] * 9 + [RelationshipStatus.PAUSED]
    relationships = [
        Relationship(
            id=number, program_id=program.id, kind=ProgramKind.ONE_ON_ONE, status=rng.choice(statuses),
            origin=RelationshipOrigin.MATCHING, started_at=now - timedelta(days=rng.randint(60, 400)),
            last_activity_at=now - timedelta(days=rng.randint(0, 60)),
        )
        for number in range(1, len(pairs) + 1)
    ]  # fmt: skip
    await Relationship.bulk_create(relationships, batch_size=1000)
    await RelationshipMember.bulk_create(
        [
            RelationshipMember(relationship_id=r.id, person_id=person_id, role=role)
            for r, (mentor, mentee) in zip(relationships, pairs, strict=True)
            for person_id, role in ((mentor, MemberRole.MENTOR), (mentee, MemberRole.MENTEE))
        ],
        batch_size=2000,
    )
    await Agreement.bulk_create(
        [Agreement(id=r.id, relationship_id=r.id, current_version=1) for r in relationships], batch_size=2000
    )
    cadences = [Cadence.WEEKLY, Cadence.BIWEEKLY, Cadence.MONTHLY, Cadence.MONTHLY]
    await AgreementVersion.bulk_create(
        [
            AgreementVersion(
                id=r.id, agreement_id=r.id, number=1, cadence=rng.choice(cadences), meeting_minutes=45,
                starts_on=r.started_at.date(), ends_on=r.started_at.date() + timedelta(days=365),
            )
            for r in relationships
        ],
        batch_size=2000,
    )  # fmt: skip
    signatures = [
        AgreementSignature(version_id=r.id, person_id=person_id, signed_at=r.started_at)
        for r, pair in zip(relationships, pairs, strict=True)
        for person_id in (pair if rng.random() > 0.1 else pair[:1])
    ]
    await AgreementSignature.bulk_create(signatures, batch_size=2000)
    goal_statuses = list(GoalStatus)
    goals = [
        Goal(
            id=len(relationships) * g + r.id, owner_id=mentee, relationship_id=r.id, title=f"Goal {g + 1} of {r.id}",
            status=rng.choice(goal_statuses), target_date=date.fromordinal(now.toordinal() + rng.randint(10, 200)),
        )
        for g in range(spec.goals_per_relationship)
        for r, (_, mentee) in zip(relationships, pairs, strict=True)
    ]  # fmt: skip
    await Goal.bulk_create(goals, batch_size=2000)
    milestones = [
        Milestone(goal_id=goal.id, title=f"Step {m + 1}") for goal in goals for m in range(spec.milestones_per_goal)
    ]
    await Milestone.bulk_create(milestones, batch_size=2000)
    meetings, attendees = [], []
    past = spec.meetings_per_relationship - 1
    for r, (mentor, mentee) in zip(relationships, pairs, strict=True):
        # A tenth of the relationships stopped meeting a few months ago: the at-risk list has something to show.
        last = now - timedelta(days=rng.randint(100, 160) if rng.random() < 0.1 else rng.randint(1, 25))
        starts = [last - timedelta(days=30 * k) for k in range(past)] + [now + timedelta(days=rng.randint(1, 20))]
        for index, start in enumerate(starts):
            status = (
                MeetingStatus.SCHEDULED
                if index == past
                else rng.choice([MeetingStatus.HELD] * 6 + [MeetingStatus.MISSED])
            )
            meetings.append(
                Meeting(
                    id=len(meetings) + 1, relationship_id=r.id, organizer_id=mentor, starts_at=start,
                    ends_at=start + timedelta(minutes=45), format="VIDEO", title="Catch-up", status=status,
                    uid=f"activity-{r.id}-{index}", held_at=start if status is MeetingStatus.HELD else None,
                )
            )  # fmt: skip
            attendees += [MeetingAttendee(meeting_id=len(meetings), person_id=p) for p in (mentor, mentee)]
    await Meeting.bulk_create(meetings, batch_size=2000)
    await MeetingAttendee.bulk_create(attendees, batch_size=4000)
    participant = org.people[pairs[0][0] - 1]
    return ProgramActivity(
        program_id=program.id,
        coordinator_id=coordinator.id,
        coordinator_email=coordinator.email,
        participant_id=participant.id,
        participant_email=participant.email,
        pair_relationship_id=relationships[0].id,
        rows={
            "relationship": len(relationships),
            "agreement_signature": len(signatures),
            "goal": len(goals),
            "milestone": len(milestones),
            "meeting": len(meetings),
            "meeting_attendee": len(attendees),
        },
    )
