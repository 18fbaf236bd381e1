"""Entra ID through Graph's /users/delta: a full read, then only the changes, with mailbox time zones."""

from __future__ import annotations

from domain.people.directory_models import DirectoryAccount, DirectorySync
from domain.people.models import Person, WorkingHours
from tests.fakes.directory_org import external_id, mailbox, organisation, populate_entra
from tests.fakes.http_fake import Fault
from tests.fakes.microsoft_graph import graph_error


async def test_a_first_run_reads_every_user_with_managers_and_maps_windows_zones_to_iana(entra, entra_connection, sync):
    populate_entra(entra.fake, organisation(30))

    report = await sync(entra_connection)

    assert report.errors == [] and report.full
    assert report.people.created == 30
    ceo = await Person.get(email="person0@contoso.example")
    first = await Person.get(email="person1@contoso.example")
    assert (first.name, first.department, first.job_title) == ("Person 1", "Sales", "Specialist 1")
    assert first.manager_id == ceo.id and ceo.manager_id is None
    # person1 is in 'Eastern Standard Time', person0 in 'Pacific Standard Time' (CLDR's territory-001 zones).
    assert (first.time_zone, ceo.time_zone) == ("America/New_York", "America/Los_Angeles")
    assert first.languages == ["en-US"]
    hours = await WorkingHours.filter(person_id=first.id).values_list("weekday", "start_minute", "end_minute")
    assert sorted(hours) == [(day, 9 * 60, 17 * 60) for day in range(5)]
    assert await DirectoryAccount.filter(person_id=first.id).values_list("external_id", flat=True) == [external_id(1)]
    state = await DirectorySync.get(connection_id=entra_connection.id)
    assert "$deltatoken=" in state.cursor
    assert entra.fake.delta_requests()[0].query["$select"].split(",")[:3] == ["id", "mail", "displayName"]


async def test_a_second_run_follows_the_delta_link_and_reads_only_what_changed(entra, entra_connection, sync):
    populate_entra(entra.fake, organisation(250))
    await sync(entra_connection)
    first_run = len(entra.fake.requests)
    entra.fake.update_user(external_id(7), jobTitle="Staff Engineer")
    entra.fake.update_user(external_id(8), manager_id=external_id(2))

    report = await sync(entra_connection)

    later = entra.fake.requests[first_run:]
    deltas = [r for r in later if r.path == "/v1.0/users/delta"]
    assert len(deltas) == 1 and "$deltatoken" in deltas[0].query
    mailboxes = sorted(r.path for r in later if r.path.endswith("/mailboxSettings"))
    assert mailboxes == [f"/v1.0/users/{external_id(n)}/mailboxSettings" for n in (7, 8)]
    assert (report.full, report.fetched, report.people.updated, report.people.unchanged) == (False, 2, 2, 0)
    assert (await Person.get(email="person7@contoso.example")).job_title == "Staff Engineer"
    moved = await Person.get(email="person8@contoso.example")
    assert moved.manager_id == (await Person.get(email="person2@contoso.example")).id


async def test_a_forgotten_delta_link_answers_410_and_the_run_reads_everything_again(entra, entra_connection, sync):
    populate_entra(entra.fake, organisation(40))
    await sync(entra_connection)
    entra.fake.forget_sync_state()

    report = await sync(entra_connection)

    statuses = [(("$deltatoken" in r.query), r.status) for r in entra.fake.delta_requests()]
    assert statuses[-2] == (True, 410) and statuses[-1] == (False, 200)
    assert report.full and report.fetched == 40 and report.people.unchanged == 40
    assert any("410" in warning for warning in report.people.warnings)


async def test_throttled_reads_wait_as_long_as_retry_after_says_then_go_on(entra, entra_connection, sync, waits):
    populate_entra(entra.fake, organisation(10))
    throttled = graph_error(429, "TooManyRequests", "Please retry again later.", retry_after="7")
    entra.fake.faults.queue(Fault("429", throttled), when=lambda r: r.path == "/v1.0/users/delta")
    entra.fake.faults.queue(Fault("429", throttled), when=lambda r: r.path.endswith("/mailboxSettings"))

    report = await sync(entra_connection)

    assert report.people.created == 10
    assert waits.seconds == [7.0, 7.0]
    assert [r.status for r in entra.fake.delta_requests()] == [429, 200]


async def test_an_unknown_zone_is_reported_for_its_row_and_the_person_still_lands(entra, entra_connection, sync):
    populate_entra(entra.fake, organisation(3))
    entra.fake.set_mailbox(external_id(2), mailbox("Mars Standard Time"))

    report = await sync(entra_connection)

    assert report.people.created == 3
    person = await Person.get(email="person2@contoso.example")
    assert person.time_zone == "UTC"  # new people default to UTC when the directory's zone is unusable
    [note] = [w for w in report.people.warnings if "person2@" in w]
    assert "time_zone" in note and "Mars Standard Time" in note


async def test_a_changed_address_is_reported_and_the_person_and_their_reports_stay_linked(
    entra, entra_connection, sync
):
    populate_entra(entra.fake, organisation(24))
    await sync(entra_connection)
    entra.fake.update_user(external_id(1), mail="renamed@contoso.example")
    entra.fake.update_user(external_id(20), manager_id=external_id(1))  # from person2 to the renamed person1

    report = await sync(entra_connection)

    assert report.errors == [] and report.people.created == 0
    assert any("renamed@contoso.example" in warning for warning in report.people.warnings)
    manager = await Person.get(email="person1@contoso.example")
    assert (await Person.get(email="person20@contoso.example")).manager_id == manager.id
