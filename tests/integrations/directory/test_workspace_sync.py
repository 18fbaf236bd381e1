"""Workspace through the Admin SDK's users.list and each person's Calendar time zone setting."""

from __future__ import annotations

import pytest

from domain.analytics.models import LevelChange
from domain.calendar.connections import connect_company
from domain.calendar.models import Provider
from domain.clock import utc_now
from domain.people.directory_mapping import read_mapping
from domain.people.models import Person
from integrations.directory.retry import DirectoryUnavailable
from tests.fakes.directory_org import organisation, populate_workspace
from tests.fakes.google_calendar import google_error
from tests.fakes.http_fake import Fault

ADMIN_SCOPE = "https://www.googleapis.com/auth/admin.directory.user.readonly"


async def test_users_list_pages_as_the_admin_and_time_zones_come_from_calendar_settings(
    workspace, workspace_connection, sync
):
    populate_workspace(workspace.fake, organisation(1_050), level_schema=True)
    mapping = read_mapping('{"level": {"attribute": "customSchemas.HR.level"}}')

    report = await sync(workspace_connection, mapping=mapping)

    assert report.errors == [] and report.full and report.people.created == 1_050
    pages = workspace.fake.list_requests()
    assert [page.subject for page in pages] == ["admin@example.org"] * 3  # 500 + 500 + 50
    assert {(p.query["customer"], p.query["projection"], p.query["maxResults"]) for p in pages} == {
        ("my_customer", "full", "500")
    }
    assert len(workspace.fake.time_zone_requests()) == 1_050
    person = await Person.get(email="person9@contoso.example")
    manager = await Person.get(email="person1@contoso.example")
    assert (person.name, person.department, person.job_title, person.level) == ("Person 9", "People", "Specialist 2", 1)
    assert person.manager_id == manager.id
    assert person.time_zone == "Europe/London"


async def test_later_runs_read_time_zones_of_new_accounts_unless_asked_for_everyone(
    workspace, workspace_connection, sync
):
    populate_workspace(workspace.fake, organisation(12))
    await sync(workspace_connection)
    workspace.fake.time_zones["person4@contoso.example"] = "Asia/Tokyo"
    workspace.fake.add_user("new@contoso.example", name="New Hire", time_zone="America/Chicago")

    await sync(workspace_connection)

    assert [r.subject for r in workspace.fake.time_zone_requests()[12:]] == ["new@contoso.example"]
    assert (await Person.get(email="new@contoso.example")).time_zone == "America/Chicago"
    assert (await Person.get(email="person4@contoso.example")).time_zone != "Asia/Tokyo"

    report = await sync(workspace_connection, google_calendar_time_zones="all")

    assert len(workspace.fake.time_zone_requests()) == 12 + 1 + 13
    assert (await Person.get(email="person4@contoso.example")).time_zone == "Asia/Tokyo"
    assert report.people.updated == 1


async def test_without_delegated_admin_rights_the_run_fails_and_writes_nothing(workspace, db, sync):
    populate_workspace(workspace.fake, organisation(3))
    config = {**workspace.config, "directory_admin_email": "not-an-admin@contoso.example"}
    connection = await connect_company(
        provider=Provider.GOOGLE, domains=["contoso.example"], config=config, now=utc_now()
    )

    with pytest.raises(DirectoryUnavailable, match="403 forbidden"):
        await sync(connection)
    assert await Person.all().count() == 0


async def test_a_throttled_page_waits_as_retry_after_says_and_bad_managers_are_rejected_per_row(
    workspace, workspace_connection, sync, waits
):
    populate_workspace(workspace.fake, organisation(6))
    workspace.fake.add_user("olu@contoso.example", name="Olu", manager="boss@elsewhere.example")
    workspace.fake.add_user("ada@contoso.example", name="Ada", manager="bea@contoso.example")
    workspace.fake.add_user("bea@contoso.example", name="Bea", manager="ada@contoso.example")
    throttled = google_error(429, "rateLimitExceeded", "Rate Limit Exceeded", domain="usageLimits")
    throttled.headers["Retry-After"] = "3"
    workspace.fake.faults.queue(Fault("429", throttled), when=lambda r: r.path == "/admin/directory/v1/users")

    report = await sync(workspace_connection, google_calendar_time_zones="off")

    assert waits.seconds == [3.0]
    assert [r.status for r in workspace.fake.list_requests()] == [429, 200]
    errors = {(error.email, error.field): error.message for error in report.errors}
    assert set(errors) == {
        ("olu@contoso.example", "manager_email"),
        ("ada@contoso.example", "manager_email"),
        ("bea@contoso.example", "manager_email"),
    }
    assert "boss@elsewhere.example is not a user of this directory" in errors[("olu@contoso.example", "manager_email")]
    assert "Reporting lines would loop" in errors[("bea@contoso.example", "manager_email")]
    assert len(report.errors) == 3 and report.people.created == 6


async def test_a_promotion_in_the_mapped_level_field_is_recorded_as_a_level_change(
    workspace, workspace_connection, sync
):
    populate_workspace(workspace.fake, organisation(4), level_schema=True)
    mapping = read_mapping('{"level": {"attribute": "customSchemas.HR.level"}}')
    await sync(workspace_connection, mapping=mapping, google_calendar_time_zones="off")
    workspace.fake.update_user("person2@contoso.example", customSchemas={"HR": {"level": "7"}})

    report = await sync(workspace_connection, mapping=mapping, google_calendar_time_zones="off")

    person = await Person.get(email="person2@contoso.example")
    assert (report.people.updated, person.level) == (1, 7)
    assert await LevelChange.filter(person_id=person.id).values_list("from_level", "to_level") == [(3, 7)]
