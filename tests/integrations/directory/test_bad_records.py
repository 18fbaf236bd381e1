"""Records Mentorgraph cannot take are reported one by one, and everyone else lands; a dry run writes nothing."""

from __future__ import annotations

from domain.calendar.changes import CALENDAR_TOPIC
from domain.outbox.models import OutboxMessage
from domain.people.directory_models import DirectoryAccount, DirectorySync
from domain.people.models import Person, WorkingHours
from domain.relationships.models import Relationship
from tests.factories_meetings import make_relationship
from tests.fakes.directory_org import external_id, organisation, populate_entra


def malformed(fake) -> None:
    """No mail; a manager outside the tenant; two people managing each other (and a report of theirs)."""
    fake.add_user("no-mail", displayName="Service Account", accountEnabled=True, mail=None)
    fake.add_user("outsider-report", manager_id="not-in-tenant", displayName="Olu", mail="olu@contoso.example")
    fake.add_user("loop-a", manager_id="loop-b", displayName="Ada", mail="ada@contoso.example", accountEnabled=True)
    fake.add_user("loop-b", manager_id="loop-a", displayName="Bea", mail="bea@contoso.example", accountEnabled=True)
    fake.add_user("loop-report", manager_id="loop-a", displayName="Cy", mail="cy@contoso.example")


async def test_bad_records_are_reported_per_row_and_the_rest_land(entra, entra_connection, sync):
    populate_entra(entra.fake, organisation(20))
    malformed(entra.fake)

    report = await sync(entra_connection)

    errors = {(error.email, error.field): error.message for error in report.errors}
    assert set(errors) == {
        (None, "email"),
        ("olu@contoso.example", "manager_email"),
        ("ada@contoso.example", "manager_email"),
        ("bea@contoso.example", "manager_email"),
        ("cy@contoso.example", "manager_email"),
    }
    assert "no email address for account no-mail" in errors[(None, "email")]
    assert "not-in-tenant" in errors[("olu@contoso.example", "manager_email")]
    assert "Reporting lines would loop" in errors[("ada@contoso.example", "manager_email")]
    assert "was rejected" in errors[("cy@contoso.example", "manager_email")]
    assert report.people.created == 20 and report.people.rejected_rows == len(report.errors) == 5
    assert await Person.all().count() == 20
    # Rejected accounts are not linked, so the next delta or full run tries them again.
    assert await DirectoryAccount.all().count() == 20


async def test_a_dry_run_reports_what_a_run_would_do_and_writes_nothing(entra, entra_connection, sync):
    populate_entra(entra.fake, organisation(15))
    await sync(entra_connection)
    leaver = await Person.get(email="person3@contoso.example")
    partner = await Person.get(email="person4@contoso.example")
    await make_relationship(leaver, partner)
    entra.fake.update_user(external_id(3), accountEnabled=False)
    entra.fake.update_user(external_id(5), jobTitle="Director")
    malformed(entra.fake)
    cursor = (await DirectorySync.get(connection_id=entra_connection.id)).cursor

    async def snapshot():
        return (
            await Person.all().order_by("id").values_list("email", "is_active", "job_title", "manager_id"),
            await WorkingHours.all().count(),
            await DirectoryAccount.all().order_by("id").values_list("external_id", "person_id", "enabled"),
            await DirectorySync.all().values_list("cursor", "last_run_at"),
            await Relationship.all().values_list("status", "closure_reason"),
            await OutboxMessage.filter(topic=CALENDAR_TOPIC).count(),
        )

    before = await snapshot()
    dry = await sync(entra_connection, dry_run=True)
    assert await snapshot() == before

    real = await sync(entra_connection)
    assert (dry.people.created, dry.people.updated, dry.people.rejected_rows) == (
        real.people.created,
        real.people.updated,
        real.people.rejected_rows,
    )
    assert (dry.leavers, dry.closed.relationships_ended) == (real.leavers, real.closed.relationships_ended) == (1, 1)
    assert (await DirectorySync.get(connection_id=entra_connection.id)).cursor != cursor
