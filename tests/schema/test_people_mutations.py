"""setMyWorkingHours, setMyDemographics and updateMyProfile's error paths, through GraphQL over HTTP."""

from __future__ import annotations

import pytest

from domain.access import Role
from domain.people.models import Demographics, Gender, Person, WorkingHours
from domain.skills.models import PersonSkill, SkillDirection
from tests.factories import make_person, make_skill, make_working_week
from tests.support import assert_unchanged

SET_WORKING_HOURS = """
mutation SetHours($input: SetMyWorkingHoursInput!) {
  setMyWorkingHours(input: $input) {
    __typename
    ... on SetMyWorkingHoursPayload { person { timeZone workingHours { weekday start end } } }
    ... on Error { message code field }
  }
}
"""

SET_DEMOGRAPHICS = """
mutation SetDemographics($input: SetMyDemographicsInput!) {
  setMyDemographics(input: $input) {
    __typename
    ... on SetMyDemographicsPayload {
      person { demographics { gender genderSelfDescription ethnicity ageBand generation } }
    }
    ... on Error { message code field }
  }
}
"""

UPDATE_PROFILE = """
mutation Update($input: UpdateMyProfileInput!) {
  updateMyProfile(input: $input) {
    __typename
    ... on Error { message code field }
  }
}
"""


def stretch(weekday: str, start: str, end: str) -> dict:
    return {"weekday": weekday, "start": start, "end": end}


async def test_set_my_working_hours_replaces_the_week_and_the_zone(gql):
    ana = await make_person(time_zone="Europe/London")
    await make_working_week(ana)

    data = await gql(
        SET_WORKING_HOURS,
        {
            "input": {
                "hours": [stretch("TUESDAY", "14:00", "18:00"), stretch("TUESDAY", "08:30", "12:00")],
                "timeZone": "America/New_York",
            }
        },
        as_=ana,
    )

    assert data["setMyWorkingHours"] == {
        "__typename": "SetMyWorkingHoursPayload",
        "person": {
            "timeZone": "America/New_York",
            "workingHours": [
                {"weekday": "TUESDAY", "start": "08:30:00", "end": "12:00:00"},
                {"weekday": "TUESDAY", "start": "14:00:00", "end": "18:00:00"},
            ],
        },
    }
    assert await WorkingHours.filter(person=ana).count() == 2


async def test_an_empty_list_clears_the_working_week(gql):
    ana = await make_person(time_zone="Asia/Kolkata")
    await make_working_week(ana)

    data = await gql(SET_WORKING_HOURS, {"input": {"hours": []}}, as_=ana)

    assert data["setMyWorkingHours"]["person"] == {"timeZone": "Asia/Kolkata", "workingHours": []}
    assert not await WorkingHours.exists(person=ana)


@pytest.mark.parametrize(
    ("hours", "time_zone", "field"),
    [
        (
            [
                stretch("MONDAY", "09:00", "12:00"),
                stretch("MONDAY", "13:00", "17:00"),
                stretch("FRIDAY", "17:00", "09:00"),
            ],
            None,
            "hours[2].end",
        ),
        ([stretch("MONDAY", "09:00", "09:00")], None, "hours[0].end"),
        ([stretch("MONDAY", "09:00", "12:00"), stretch("MONDAY", "11:59", "17:00")], None, "hours[1].start"),
        ([stretch("MONDAY", "09:00+02:00", "17:00")], None, "hours[0].start"),
        ([stretch("MONDAY", "09:00", "17:00")], "CEST", "timeZone"),
    ],
    ids=["ends-before-start", "empty-stretch", "overlap", "offset", "unknown-zone"],
)
async def test_bad_working_hours_are_a_validation_error_and_write_nothing(gql, hours, time_zone, field):
    ana = await make_person()
    await make_working_week(ana)
    async with assert_unchanged():
        data = await gql(SET_WORKING_HOURS, {"input": {"hours": hours, "timeZone": time_zone}}, as_=ana)
    result = data["setMyWorkingHours"]
    assert (result["__typename"], result["code"], result["field"]) == ("ValidationError", "VALIDATION", field)


async def test_set_my_demographics_upserts_and_shows_them_to_their_owner(gql):
    ana = await make_person()

    first = await gql(
        SET_DEMOGRAPHICS,
        {"input": {"gender": "SELF_DESCRIBED", "genderSelfDescription": "Demigirl", "ageBand": "FROM_25_TO_34"}},
        as_=ana,
    )
    second = await gql(SET_DEMOGRAPHICS, {"input": {"gender": "WOMAN", "generation": "MILLENNIAL"}}, as_=ana)

    assert first["setMyDemographics"]["person"]["demographics"] == {
        "gender": "SELF_DESCRIBED",
        "genderSelfDescription": "Demigirl",
        "ethnicity": None,
        "ageBand": "FROM_25_TO_34",
        "generation": None,
    }
    assert second["setMyDemographics"]["person"]["demographics"] == {
        "gender": "WOMAN",
        "genderSelfDescription": None,
        "ethnicity": None,
        "ageBand": None,
        "generation": "MILLENNIAL",
    }
    assert await Demographics.filter(person=ana).count() == 1


@pytest.mark.parametrize("clearing_input", [{"clear": True}, {}, {"gender": None, "ethnicity": None}])
async def test_clear_or_no_answers_delete_the_demographics(gql, clearing_input):
    ana = await make_person()
    await Demographics.create(person=ana, gender=Gender.MAN, ethnicity="Irish")

    data = await gql(SET_DEMOGRAPHICS, {"input": clearing_input}, as_=ana)

    assert data["setMyDemographics"] == {"__typename": "SetMyDemographicsPayload", "person": {"demographics": None}}
    assert not await Demographics.exists(person=ana)


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"gender": "NON_BINARY", "genderSelfDescription": "Enby"}, "genderSelfDescription"),
        ({"genderSelfDescription": "Agender"}, "genderSelfDescription"),
        ({"ethnicity": "x" * 101}, "ethnicity"),
        ({"clear": True, "ageBand": "OVER_64"}, "clear"),
    ],
    ids=["description-with-other-gender", "description-without-gender", "too-long", "clear-with-answers"],
)
async def test_bad_demographics_are_a_validation_error_and_write_nothing(gql, answers, field):
    ana = await make_person()
    await Demographics.create(person=ana, gender=Gender.WOMAN)
    async with assert_unchanged():
        data = await gql(SET_DEMOGRAPHICS, {"input": answers}, as_=ana)
    result = data["setMyDemographics"]
    assert (result["__typename"], result["code"], result["field"]) == ("ValidationError", "VALIDATION", field)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "   "}, "name"),
        ({"languages": ["en", "  "]}, "languages[1]"),
        ({"languages": ["x" * 36]}, "languages[0]"),
        ({"bio": "x" * 4001}, "bio"),
    ],
    ids=["blank-name", "blank-language", "overlong-language", "too-long-bio"],
)
async def test_bad_profile_changes_are_a_validation_error_and_write_nothing(gql, changes, field):
    ana = await make_person()
    async with assert_unchanged():
        data = await gql(UPDATE_PROFILE, {"input": changes}, as_=ana)
    result = data["updateMyProfile"]
    assert (result["__typename"], result["code"], result["field"]) == ("ValidationError", "VALIDATION", field)


@pytest.mark.parametrize(
    ("document", "variables", "result_field"),
    [
        (UPDATE_PROFILE, {"input": {"name": "Newcomer"}}, "updateMyProfile"),
        (SET_WORKING_HOURS, {"input": {"hours": []}}, "setMyWorkingHours"),
        (SET_DEMOGRAPHICS, {"input": {"gender": "WOMAN"}}, "setMyDemographics"),
    ],
    ids=["profile", "working-hours", "demographics"],
)
async def test_an_account_without_a_profile_is_denied(gql, db, document, variables, result_field):
    async with assert_unchanged():
        data = await gql(document, variables, as_="newcomer@example.com")
    result = data[result_field]
    assert (result["__typename"], result["code"], result["field"]) == (
        "PermissionDeniedError",
        "PERMISSION_DENIED",
        None,
    )


SET_MY_SKILLS = """
mutation SetSkills($input: SetMySkillsInput!) {
  setMySkills(input: $input) { __typename ... on Error { message code field } }
}
"""


async def rows_of(person) -> tuple:
    """Everything stored about one person, to show a self-service write left them alone."""
    fresh = await Person.get(id=person.id)
    return (
        (fresh.name, fresh.time_zone, fresh.languages, fresh.bio),
        await WorkingHours.filter(person=person).order_by("id").values_list("weekday", "start_minute", "end_minute"),
        await PersonSkill.filter(person=person).order_by("id").values_list("skill_id", "direction", "proficiency"),
        await Demographics.filter(person=person).values_list("gender", "ethnicity"),
    )


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.COORDINATOR, Role.ANALYST, Role.ADMIN])
async def test_every_role_keeps_its_own_profile_and_only_its_own(gql, role):
    python = await make_skill("Python")
    me, colleague = await make_person(), await make_person()
    await make_working_week(colleague)
    await Demographics.create(person=colleague, gender=Gender.MAN)
    colleague_before = await rows_of(colleague)
    writes = [
        (UPDATE_PROFILE, {"name": "Renamed", "timeZone": "Asia/Tokyo"}, "updateMyProfile"),
        (SET_WORKING_HOURS, {"hours": [stretch("MONDAY", "09:00", "17:00")]}, "setMyWorkingHours"),
        (SET_MY_SKILLS, {"teach": [{"skill": "Python", "proficiency": 4}]}, "setMySkills"),
        (SET_DEMOGRAPHICS, {"gender": "WOMAN", "ethnicity": "Brazilian"}, "setMyDemographics"),
    ]

    for document, changes, field in writes:
        result = (await gql(document, {"input": changes}, as_=me, role=role))[field]
        assert result["__typename"].endswith("Payload"), result

    assert await rows_of(me) == (
        ("Renamed", "Asia/Tokyo", [], ""),
        [(0, 540, 1020)],
        [(python.id, SkillDirection.TEACH, 4)],
        [(Gender.WOMAN, "Brazilian")],
    )
    assert await rows_of(colleague) == colleague_before
