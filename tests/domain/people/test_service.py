"""The people services called directly: working week, demographics, and the profile without a person."""

from __future__ import annotations

import datetime

import pytest

from domain.access import Role, Viewer
from domain.errors import PermissionDenied, ValidationFailed
from domain.people import service
from domain.people.models import AgeBand, Demographics, Gender, Generation, Person, WorkingHours
from tests.factories import make_person, make_working_week
from tests.support import assert_unchanged


def viewer_of(person) -> Viewer:
    return Viewer(email=person.email, role=Role.PARTICIPANT, person_id=person.id)


NO_PROFILE = Viewer(email="newcomer@example.com", role=Role.PARTICIPANT)


def at(hour: int, minute: int = 0) -> datetime.time:
    return datetime.time(hour, minute)


async def stored_week(person) -> list[tuple[int, int, int]]:
    return await WorkingHours.filter(person=person).values_list("weekday", "start_minute", "end_minute")


async def test_set_working_hours_replaces_the_whole_week_and_the_zone_together(db):
    ana = await make_person(time_zone="Europe/London")
    await make_working_week(ana)

    person = await service.set_working_hours(
        viewer_of(ana), hours=[(0, at(13), at(17, 30)), (0, at(8), at(12))], time_zone="America/Sao_Paulo"
    )

    assert person.time_zone == "America/Sao_Paulo"
    assert await stored_week(ana) == [(0, 480, 720), (0, 780, 1050)]
    await ana.refresh_from_db()
    assert ana.time_zone == "America/Sao_Paulo"


async def test_set_working_hours_without_a_zone_keeps_the_zone_and_an_empty_list_clears_the_week(db):
    ana = await make_person(time_zone="Asia/Tokyo")
    await make_working_week(ana)

    await service.set_working_hours(viewer_of(ana), hours=[])

    assert await stored_week(ana) == []
    await ana.refresh_from_db()
    assert ana.time_zone == "Asia/Tokyo"


async def test_set_working_hours_touches_nobody_else(db):
    ana, ben = await make_person(), await make_person()
    await make_working_week(ben)

    await service.set_working_hours(viewer_of(ana), hours=[(5, at(10), at(12))])

    assert len(await stored_week(ben)) == 5


@pytest.mark.parametrize(
    ("hours", "time_zone", "field"),
    [
        ([(0, at(9), at(12)), (1, at(9), at(12)), (2, at(12), at(9))], None, "hours[2].end"),
        ([(0, at(9), at(12)), (0, at(11), at(14))], None, "hours[1].start"),
        ([(0, at(9), at(12))], "GMT+2", "time_zone"),
    ],
    ids=["ends-before-start", "overlap", "bad-zone"],
)
async def test_bad_working_hours_write_nothing(db, hours, time_zone, field):
    ana = await make_person()
    await make_working_week(ana)
    async with assert_unchanged():
        with pytest.raises(ValidationFailed) as raised:
            await service.set_working_hours(viewer_of(ana), hours=hours, time_zone=time_zone)
    assert raised.value.field == field


async def test_demographics_are_created_then_replaced_then_deleted(db):
    ana = await make_person()

    first = await service.set_demographics(
        viewer_of(ana), gender=Gender.SELF_DESCRIBED, gender_self_description=" Genderfluid ", age_band=AgeBand.UNDER_25
    )
    assert (first.gender, first.gender_self_description, first.age_band) == (
        Gender.SELF_DESCRIBED,
        "Genderfluid",
        AgeBand.UNDER_25,
    )

    second = await service.set_demographics(viewer_of(ana), generation=Generation.GEN_Z, ethnicity="Mixed")
    assert second.id == first.id
    row = await Demographics.get(person=ana)
    assert (row.gender, row.gender_self_description, row.ethnicity, row.age_band, row.generation) == (
        None,
        None,
        "Mixed",
        None,
        Generation.GEN_Z,
    )

    assert await service.set_demographics(viewer_of(ana), clear=True) is None
    assert not await Demographics.exists(person=ana)


async def test_giving_no_answer_deletes_demographics(db):
    ana = await make_person()
    await Demographics.create(person=ana, gender=Gender.WOMAN)

    assert await service.set_demographics(viewer_of(ana)) is None
    assert not await Demographics.exists(person=ana)


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        (dict(gender=Gender.WOMAN, gender_self_description="Woman"), "gender_self_description"),
        (dict(gender_self_description="Agender"), "gender_self_description"),
        (dict(ethnicity="x" * 101), "ethnicity"),
        (dict(clear=True, generation=Generation.GEN_X), "clear"),
    ],
    ids=["description-without-self-described", "description-alone", "too-long", "clear-with-answers"],
)
async def test_bad_demographics_write_nothing(db, answers, field):
    ana = await make_person()
    await Demographics.create(person=ana, gender=Gender.MAN)
    async with assert_unchanged():
        with pytest.raises(ValidationFailed) as raised:
            await service.set_demographics(viewer_of(ana), **answers)
    assert raised.value.field == field


@pytest.mark.parametrize(
    "call",
    [
        lambda: service.set_working_hours(NO_PROFILE, hours=[]),
        lambda: service.set_demographics(NO_PROFILE, gender=Gender.WOMAN),
        lambda: service.update_profile(NO_PROFILE, changes={"name": "Newcomer"}),
    ],
    ids=["working-hours", "demographics", "profile"],
)
async def test_an_account_without_a_profile_may_not_write_one(db, call):
    async with assert_unchanged():
        with pytest.raises(PermissionDenied):
            await call()


async def test_update_profile_changes_only_what_was_sent_and_cleans_it(db):
    ana = await make_person(name="Ana", department="Data", job_title="Analyst", time_zone="Europe/London")
    others = await make_person(name="Ben")

    person = await service.update_profile(
        viewer_of(ana),
        changes={"name": "  Ana   Lima ", "time_zone": " Asia/Kolkata", "languages": ["pt", "en", "pt"], "bio": "  "},
    )

    stored = await Person.get(id=ana.id)
    assert (stored.name, stored.time_zone, stored.languages, stored.bio) == (
        "Ana Lima",
        "Asia/Kolkata",
        ["pt", "en"],
        "",
    )
    assert (stored.department, stored.job_title) == ("Data", "Analyst")
    assert person.id == ana.id
    assert (await Person.get(id=others.id)).name == "Ben"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "Fine", "time_zone": "GMT+1"}, "time_zone"),
        ({"name": " "}, "name"),
        ({"department": "d" * 121}, "department"),
        ({"job_title": "t" * 201}, "job_title"),
        ({"languages": ["en", ""]}, "languages[1]"),
    ],
    ids=["offset-not-a-zone", "blank-name", "long-department", "long-title", "blank-language"],
)
async def test_bad_profile_changes_write_nothing(db, changes, field):
    ana = await make_person()
    async with assert_unchanged():
        with pytest.raises(ValidationFailed) as raised:
            await service.update_profile(viewer_of(ana), changes=changes)
    assert raised.value.field == field
