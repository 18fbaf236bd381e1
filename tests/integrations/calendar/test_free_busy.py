"""Free/busy from connected calendars through the real client libraries and the fakes: split within each
provider's limits, merged per person, cached for a while, and a slow provider left out rather than waited for."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from domain.calendar.connections import save_personal
from domain.calendar.models import Provider
from integrations.calendar.free_busy import ConnectedCalendars, whole_days
from tests.factories import make_person
from tests.fakes.calendar_setup import connect, fast_config
from tests.fakes.free_busy_log import FreeBusyAsked

START = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
END = START + timedelta(days=120)
# A provider slower than this is cut off; long enough for a loaded machine to fetch tokens and answer.
TIMEOUT = 3


def config(**overrides):
    return fast_config(**{"freebusy_timeout_seconds": 10, **overrides})


@pytest.fixture
async def connected():
    """Makes ConnectedCalendars for the test and closes their HTTP clients after it."""
    made: list[ConnectedCalendars] = []

    def make(settings=None, **options) -> ConnectedCalendars:
        made.append(ConnectedCalendars(settings or config(), **options))
        return made[-1]

    yield make
    for calendars in made:
        await calendars.close()


def hours(day: int, first: int, last: int) -> tuple[datetime, datetime]:
    base = datetime(2027, 3, 1, tzinfo=UTC) + timedelta(days=day)
    return base + timedelta(hours=first), base + timedelta(hours=last)


async def people(domain: str, count: int) -> list:
    return [await make_person(name=f"P{n}", email=f"p{n}@{domain}") for n in range(count)]


def assert_within_limits_and_covering(
    asked: list[FreeBusyAsked], emails: list[str], window, *, most: int, longest: timedelta
) -> None:
    """Every request kept the limits, and for each calendar the spans asked tile the whole window."""
    assert asked and all(a.status == 200 for a in asked)
    assert max(len(a.calendars) for a in asked) <= most
    assert max(a.end - a.start for a in asked) <= longest
    for email in emails:
        spans = sorted((a.start, a.end) for a in asked if email in a.calendars)
        assert spans[0][0] == window[0] and spans[-1][1] == window[1]
        assert all(earlier[1] == later[0] for earlier, later in pairwise(spans))


async def test_sixty_google_people_over_120_days_go_in_batches_of_50_and_spans_of_90_days(connected, db, google):
    crowd = await people("g.example", 60)
    await connect(Provider.GOOGLE, google, "g.example")
    google.fake.add_calendars(*(p.email for p in crowd))
    google.fake.set_busy(crowd[0].email, hours(3, 10, 11))
    google.fake.set_busy(crowd[59].email, hours(100, 14, 16))

    found = await connected().busy([p.id for p in crowd], START, END)

    assert found.unreadable == frozenset()
    assert found.blocks[crowd[0].id] == [hours(3, 10, 11)]
    assert found.blocks[crowd[59].id] == [hours(100, 14, 16)]
    assert all(found.blocks[p.id] == [] for p in crowd[1:59])
    asked = google.fake.free_busy_asked
    assert_within_limits_and_covering(
        asked, [p.email for p in crowd], whole_days(START, END), most=50, longest=timedelta(days=90)
    )
    assert len(asked) == 4  # (50 + 10 calendars) x (90 + 31 days)
    # The service account acted as a person of each batch, never as itself.
    assert {a.subject for a in asked} <= {p.email for p in crowd}


async def test_sixty_outlook_people_over_120_days_go_in_spans_of_62_days_in_utc(connected, db, microsoft):
    crowd = await people("m.example", 60)
    await connect(Provider.MICROSOFT, microsoft, "m.example")
    microsoft.fake.add_mailboxes(*(p.email for p in crowd))
    microsoft.fake.set_busy(crowd[1].email, hours(70, 9, 10))
    microsoft.fake.set_busy(crowd[2].email, hours(5, 9, 10), status="tentative")
    microsoft.fake.set_busy(crowd[3].email, hours(6, 0, 24), status="oof")
    microsoft.fake.set_busy(crowd[4].email, hours(7, 9, 17), status="free")

    found = await connected().busy([p.id for p in crowd], START, END)

    assert found.unreadable == frozenset()
    assert found.blocks[crowd[1].id] == [hours(70, 9, 10)]
    assert found.blocks[crowd[2].id] == [hours(5, 9, 10)]
    assert found.blocks[crowd[3].id] == [hours(6, 0, 24)]
    assert found.blocks[crowd[4].id] == []  # free is not busy
    asked = microsoft.fake.free_busy_asked
    assert_within_limits_and_covering(
        asked, [p.email for p in crowd], whole_days(START, END), most=100, longest=timedelta(days=62)
    )
    schedule_calls = [r for r in microsoft.fake.requests if r.path.endswith("/calendar/getSchedule")]
    assert schedule_calls and all('outlook.timezone="UTC"' in r.prefer for r in schedule_calls)


async def test_more_than_100_outlook_people_go_in_batches_of_100(connected, db, microsoft):
    crowd = await people("m.example", 130)
    await connect(Provider.MICROSOFT, microsoft, "m.example")
    microsoft.fake.add_mailboxes(*(p.email for p in crowd))
    microsoft.fake.set_busy(crowd[120].email, hours(2, 9, 10))

    found = await connected().busy([p.id for p in crowd], START, START + timedelta(days=7))

    assert found.unreadable == frozenset() and found.blocks[crowd[120].id] == [hours(2, 9, 10)]
    assert sorted(len(a.calendars) for a in microsoft.fake.free_busy_asked) == [30, 100]


async def test_people_without_a_connection_are_left_out_and_unknown_calendars_are_unreadable(connected, db, google):
    known, unknown = await people("g.example", 2)
    elsewhere = await make_person(email="someone@nowhere.example")
    await connect(Provider.GOOGLE, google, "g.example")
    google.fake.add_calendars(known.email)

    found = await connected().busy([known.id, unknown.id, elsewhere.id], START, END)

    assert set(found.blocks) == {known.id}
    assert found.unreadable == {unknown.id}


async def test_a_personal_google_grant_reads_its_own_account(connected, db, google):
    ana = await make_person(email="ana@work.example")
    google.fake.refresh_tokens["1//ana"] = "ana.home@gmail.com"
    google.fake.set_busy("ana.home@gmail.com", hours(1, 12, 13))
    settings = config(google_token_url=f"{google.url}/token", google_calendar_url=f"{google.url}/calendar/v3/")
    await save_personal(
        person_id=ana.id,
        provider=Provider.GOOGLE,
        refresh_token="1//ana",
        account_email="ana.home@gmail.com",
        cipher=settings.token_cipher(),
        now=datetime.now(UTC),
    )

    found = await connected(settings).busy([ana.id], START, END)

    assert found.blocks == {ana.id: [hours(1, 12, 13)]}
    assert {a.subject for a in google.fake.free_busy_asked} == {"ana.home@gmail.com"}


async def test_a_personal_outlook_grant_reads_its_own_mailbox(connected, db, microsoft):
    ben = await make_person(email="ben@work.example")
    microsoft.fake.refresh_tokens["0.Aben"] = "ben@home.example"
    microsoft.fake.set_busy("ben@home.example", hours(2, 8, 9), status="oof")
    settings = config(
        microsoft_client_id=microsoft.fake.client_id,
        microsoft_client_secret=microsoft.fake.client_secret,
        microsoft_authority_url=f"{microsoft.url}/common",
        microsoft_graph_url=f"{microsoft.url}/v1.0",
        provider_ca_file=str(microsoft.ca.ca_file),
    )
    await save_personal(
        person_id=ben.id,
        provider=Provider.MICROSOFT,
        refresh_token="0.Aben",
        account_email="ben@home.example",
        cipher=settings.token_cipher(),
        now=datetime.now(UTC),
    )

    found = await connected(settings).busy([ben.id], START, END)

    assert found.blocks == {ben.id: [hours(2, 8, 9)]}
    assert {(a.subject, a.acting_as) for a in microsoft.fake.free_busy_asked} == {("ben@home.example",) * 2}


async def test_a_slow_provider_leaves_its_people_unreadable_and_the_other_answers(connected, db, google, microsoft):
    slow, quick = (await people("g.example", 1))[0], (await people("m.example", 1))[0]
    await connect(Provider.GOOGLE, google, "g.example")
    await connect(Provider.MICROSOFT, microsoft, "m.example")
    google.fake.set_busy(slow.email, hours(1, 9, 10))
    microsoft.fake.set_busy(quick.email, hours(1, 11, 12))
    google.fake.free_busy_delay = 2 * TIMEOUT

    found = await connected(config(freebusy_timeout_seconds=TIMEOUT)).busy([slow.id, quick.id], START, END)

    # Had it waited, the slow calendar would have been read, busy block and all.
    assert found.unreadable == {slow.id}
    assert found.blocks == {quick.id: [hours(1, 11, 12)]}


async def test_answers_are_reused_within_the_cache_lifetime_and_read_again_after(connected, db, google):
    ana = (await people("g.example", 1))[0]
    await connect(Provider.GOOGLE, google, "g.example")
    google.fake.set_busy(ana.email, hours(1, 9, 10))
    now = [1000.0]
    calendars = connected(config(freebusy_cache_seconds=60), clock=lambda: now[0])
    window = (START, START + timedelta(days=14))

    first = await calendars.busy([ana.id], *window)
    google.fake.set_busy(ana.email, hours(2, 9, 10))
    now[0] += 59
    # A page later: the window moved by minutes, the same whole days.
    again = await calendars.busy([ana.id], window[0] + timedelta(minutes=15), window[1])
    now[0] += 2
    later = await calendars.busy([ana.id], *window)

    assert first.blocks == again.blocks == {ana.id: [hours(1, 9, 10)]}
    assert later.blocks == {ana.id: [hours(2, 9, 10)]}
    assert len(google.fake.free_busy_asked) == 2


async def test_a_failed_read_is_not_cached(connected, db, google):
    ana = (await people("g.example", 1))[0]
    await connect(Provider.GOOGLE, google, "g.example")
    google.fake.set_busy(ana.email, hours(1, 9, 10))
    calendars = connected(config(freebusy_timeout_seconds=TIMEOUT))
    google.fake.free_busy_delay = 2 * TIMEOUT

    failed = await calendars.busy([ana.id], START, END)
    google.fake.free_busy_delay = 0
    calendars.settings = replace(calendars.settings, freebusy_timeout_seconds=10)  # room for a loaded machine
    recovered = await calendars.busy([ana.id], START, END)

    assert failed.unreadable == {ana.id}
    assert recovered.unreadable == frozenset() and recovered.blocks == {ana.id: [hours(1, 9, 10)]}


async def test_the_cache_keeps_at_most_its_size(connected, db, google):
    crowd = await people("g.example", 5)
    await connect(Provider.GOOGLE, google, "g.example")
    google.fake.add_calendars(*(p.email for p in crowd))
    calendars = connected(config(freebusy_cache_entries=3))

    await calendars.busy([p.id for p in crowd], START, END)

    assert len(calendars.cache) == 3
