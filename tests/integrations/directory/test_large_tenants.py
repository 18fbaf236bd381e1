"""5,000 people from each directory; then 50 changes, of which exactly those 50 people change."""

from __future__ import annotations

from domain.people.models import Person
from tests.fakes.directory_org import external_id, organisation, populate_entra, populate_workspace

SIZE = 5_000


async def people_rows() -> dict[str, tuple]:
    rows = await Person.all().values_list("email", "name", "job_title", "manager_id", "is_active", "time_zone")
    return {row[0]: row[1:] for row in rows}


def changed(before: dict, after: dict) -> set[str]:
    return {email for email in before.keys() | after.keys() if before.get(email) != after.get(email)}


async def test_5000_from_entra_then_50_changes_fetch_only_the_delta(entra, entra_connection, sync):
    entra.fake.page_size = 500
    populate_entra(entra.fake, organisation(SIZE))
    first = await sync(entra_connection)
    assert (first.people.created, first.errors) == (SIZE, [])
    before, requests_before = await people_rows(), len(entra.fake.requests)
    for n in range(100, 130):
        entra.fake.update_user(external_id(n), jobTitle=f"Lead {n}")
    for n in range(200, 210):
        entra.fake.update_user(external_id(n), manager_id=external_id(3))
    for n in range(300, 305):
        entra.fake.update_user(external_id(n), accountEnabled=False)
    for n in range(5):
        entra.fake.add_user(
            f"new-{n}",
            mail=f"new{n}@contoso.example",
            displayName=f"New {n}",
            accountEnabled=True,
            manager_id=external_id(1),
        )

    second = await sync(entra_connection)

    later = entra.fake.requests[requests_before:]
    deltas = [r for r in later if r.path == "/v1.0/users/delta"]
    assert len(deltas) == 1 and "$deltatoken" in deltas[0].query  # 50 records: one page, no full read
    assert len([r for r in later if r.path.endswith("/mailboxSettings")]) == 45  # not for the 5 disabled
    assert (second.full, second.fetched) == (False, 50)
    assert (second.people.created, second.people.updated, second.leavers) == (5, 45, 5)
    after = await people_rows()
    expected = {f"person{n}@contoso.example" for n in (*range(100, 130), *range(200, 210), *range(300, 305))}
    assert changed(before, after) == expected | {f"new{n}@contoso.example" for n in range(5)}


async def test_5000_from_workspace_then_50_changes_land_exactly(workspace, workspace_connection, sync):
    populate_workspace(workspace.fake, organisation(SIZE))
    # Calendar time zones cost a token and a call per person: read here for the new accounts of the second
    # run only (test_workspace_sync reads 1,050 of them).
    first = await sync(workspace_connection, google_calendar_time_zones="off")
    assert (first.people.created, first.errors) == (SIZE, [])
    before = await people_rows()
    for n in range(100, 130):
        workspace.fake.update_user(f"person{n}@contoso.example", title=f"Lead {n}")
    for n in range(200, 210):
        workspace.fake.update_user(f"person{n}@contoso.example", manager="person3@contoso.example")
    for n in range(300, 305):
        workspace.fake.update_user(f"person{n}@contoso.example", suspended=True)
    for n in range(5):
        workspace.fake.add_user(f"new{n}@contoso.example", name=f"New {n}", manager="person1@contoso.example")

    second = await sync(workspace_connection)

    # The Directory API has no change feed for users: the whole listing is read again, 500 a page.
    assert len(workspace.fake.list_requests()) == 2 * 10 + 1
    assert sorted(r.subject for r in workspace.fake.time_zone_requests()) == [
        f"new{n}@contoso.example" for n in range(5)
    ]
    assert second.full and second.fetched == SIZE + 5
    assert (second.people.created, second.people.updated, second.leavers) == (5, 45, 5)
    after = await people_rows()
    expected = {f"person{n}@contoso.example" for n in (*range(100, 130), *range(200, 210), *range(300, 305))}
    assert changed(before, after) == expected | {f"new{n}@contoso.example" for n in range(5)}
