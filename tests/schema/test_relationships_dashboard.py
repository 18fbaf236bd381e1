"""The portal's dashboard query reads in a fixed number of SQL statements, however many relationships there are."""

from __future__ import annotations

import contextlib
import datetime

from tortoise import connections

from domain.agreements.models import Agreement, AgreementVersion
from domain.goals.models import Goal, Milestone
from domain.meetings.models import Meeting, MeetingAttendee
from domain.people.models import MeetingFormat
from domain.programs.models import Cadence, Enrollment, EnrollmentRole, EnrollmentStatus
from domain.relationships.models import (
    MemberRole,
    Relationship,
    RelationshipMember,
    RelationshipOrigin,
    RelationshipStatus,
    RematchRequest,
)
from tests.domain.relationships.scenario import NOW, program_run_by
from tests.factories import make_person
from tests.support import wipe_all_tables

# Word for word the portal query the issue names; DASHBOARD below is what the portal reads today, a superset.
ISSUE_QUERY = (
    "{ me { relationships { members { person { name department } } agreement { cadence }"
    " goals { title milestones { title } } } } }"
)

DASHBOARD = """
{
  me {
    relationships {
      status kind allowedTransitions
      program { name }
      members { role person { name department } }
      previous { status }
      rematchRequests { status reason }
      agreement { cadence meetingMinutes }
      goals { title milestones { title } }
      goalSummary { total }
      meetings { start status attendees { rsvp } }
    }
    pendingRequests { sent { mentor { name } } received { mentee { name } } }
  }
}
"""


@contextlib.contextmanager
def counting_statements(monkeypatch):
    """Counts every statement sent on the default connection while the block runs."""
    client_class = type(connections.get("default"))
    executed: list[str] = []
    for name in ("execute_query", "execute_query_dict"):
        original = getattr(client_class, name)

        async def counted(self, query, values=None, *, _original=original):
            executed.append(query)
            return await _original(self, query, values)

        monkeypatch.setattr(client_class, name, counted)
    yield executed
    monkeypatch.undo()


async def mentor_with(count: int):
    """A mentor in `count` active one-on-ones, each with a rematch request, written in bulk."""
    program = await program_run_by(await make_person())
    mentor = await make_person(name="Mara")
    await Enrollment.create(person=mentor, program=program, role=EnrollmentRole.MENTOR, status=EnrollmentStatus.ACTIVE)
    mentees = [await make_person() for _ in range(count)]
    await Relationship.bulk_create(
        [
            Relationship(
                program=program,
                kind=program.kind,
                status=RelationshipStatus.ACTIVE,
                origin=RelationshipOrigin.COORDINATOR,
                last_activity_at=NOW,
            )
            for _ in mentees
        ]
    )
    relationships = await Relationship.all().order_by("id")
    members = []
    for relationship, mentee in zip(relationships, mentees, strict=True):
        members.append(RelationshipMember(relationship=relationship, person=mentor, role=MemberRole.MENTOR))
        members.append(RelationshipMember(relationship=relationship, person=mentee, role=MemberRole.MENTEE))
    await RelationshipMember.bulk_create(members)
    await Agreement.bulk_create([Agreement(relationship=r, current_version=1) for r in relationships])
    agreements = await Agreement.all().order_by("id")
    await AgreementVersion.bulk_create(
        [
            AgreementVersion(
                agreement=a,
                number=1,
                cadence=Cadence.MONTHLY,
                meeting_minutes=45,
                starts_on=NOW.date(),
                ends_on=NOW.date().replace(year=NOW.year + 1),
            )
            for a in agreements
        ]
    )
    await Meeting.bulk_create(
        [
            Meeting(
                relationship=r,
                organizer=mentor,
                starts_at=NOW,
                ends_at=NOW + datetime.timedelta(hours=1),
                format=MeetingFormat.VIDEO,
                title="Catch-up",
                uid=f"dashboard-{r.id}",
            )
            for r in relationships
        ]
    )
    await MeetingAttendee.bulk_create([MeetingAttendee(meeting=m, person=mentor) for m in await Meeting.all()])
    await Goal.bulk_create([Goal(owner=mentor, relationship=r, title=f"Goal {r.id}") for r in relationships])
    goals = await Goal.all().order_by("id")
    await Milestone.bulk_create([Milestone(goal=g, title=f"Step of {g.title}") for g in goals])
    await RematchRequest.bulk_create(
        [RematchRequest(relationship=r, requested_by=mentor, reason="Schedules clash.") for r in relationships]
    )
    return mentor


async def statements_for(gql, monkeypatch, count: int) -> int:
    mentor = await mentor_with(count)
    with counting_statements(monkeypatch) as executed:
        data = await gql(DASHBOARD, as_=mentor)
    assert len(data["me"]["relationships"]) == count
    first = data["me"]["relationships"][0]
    assert first["rematchRequests"] == [{"status": "OPEN", "reason": "Schedules clash."}]
    assert first["agreement"] == {"cadence": "MONTHLY", "meetingMinutes": 45}
    assert first["goals"] == [
        {"title": first["goals"][0]["title"], "milestones": [{"title": f"Step of {first['goals'][0]['title']}"}]}
    ]
    assert first["goalSummary"] == {"total": 1}
    assert first["meetings"] == [
        {"start": NOW.isoformat(), "status": "SCHEDULED", "attendees": [{"rsvp": "NEEDS_ACTION"}]}
    ]
    return len(executed)


async def test_ten_and_two_hundred_relationships_take_the_same_number_of_statements(gql, monkeypatch, engine):
    few = await statements_for(gql, monkeypatch, 10)
    await wipe_all_tables(engine)
    many = await statements_for(gql, monkeypatch, 200)
    assert few == many


async def issue_query_statements(gql, monkeypatch, count: int) -> int:
    mentor = await mentor_with(count)
    with counting_statements(monkeypatch) as executed:
        data = await gql(ISSUE_QUERY, as_=mentor)
    relationships = data["me"]["relationships"]
    assert len(relationships) == count
    assert all(len(r["members"]) == 2 and r["agreement"] == {"cadence": "MONTHLY"} for r in relationships)
    assert all(r["goals"][0]["milestones"] == [{"title": f"Step of {r['goals'][0]['title']}"}] for r in relationships)
    assert relationships[0]["members"][0]["person"] == {"name": "Mara", "department": "Engineering"}
    return len(executed)


async def test_the_issues_dashboard_query_takes_the_same_statements_for_ten_and_two_hundred(gql, monkeypatch, engine):
    few = await issue_query_statements(gql, monkeypatch, 10)
    await wipe_all_tables(engine)
    many = await issue_query_statements(gql, monkeypatch, 200)
    assert few == many
