"""importPeople through GraphQL over HTTP: admins only, a per-row report, dry runs that write nothing."""

from __future__ import annotations

import asyncio

import pytest

from domain.access import Role
from domain.people.models import Person
from tests.domain.relationships.scenario import warm_connection_pool
from tests.factories import make_person, make_skill
from tests.support import assert_unchanged

IMPORT = """
mutation Import($input: ImportPeopleInput!) {
  importPeople(input: $input) {
    __typename
    ... on ImportPeoplePayload {
      created updated unchanged dryRun
      errors { row email field message }
      warnings
    }
    ... on Error { message code field }
  }
}
"""

CSV = (
    "email,name,manager_email,time_zone,working_hours,teach_skills,payroll_id\n"
    "ana@acme.example,Ana Lima,,Europe/London,Mon-Fri 09:00-17:00,Python:4,P1\n"
    "sam@acme.example,Sam Patel,ana@acme.example,Mars/Olympus,,,P2\n"
    "kim@acme.example,Kim Cho,ana@acme.example,Asia/Seoul,,,P3\n"
)
EXPECTED_ERRORS = [
    {
        "row": 3,
        "email": "sam@acme.example",
        "field": "time_zone",
        "message": "'Mars/Olympus' is not an IANA time zone such as 'Europe/London'.",
    }
]
EXPECTED_WARNINGS = ["Column 'payroll_id' is not one Mentorgraph imports; it was ignored."]


async def test_an_admin_imports_the_good_rows_and_gets_a_report_of_the_bad(gql):
    await make_skill("Python")
    admin = await make_person(email="admin@acme.example")

    data = await gql(IMPORT, {"input": {"csv": CSV}}, as_=admin, role=Role.ADMIN)

    assert data["importPeople"] == {
        "__typename": "ImportPeoplePayload",
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "dryRun": False,
        "errors": EXPECTED_ERRORS,
        "warnings": EXPECTED_WARNINGS,
    }
    kim = await Person.get(email="kim@acme.example").prefetch_related("manager")
    assert (kim.time_zone, kim.manager.email) == ("Asia/Seoul", "ana@acme.example")
    assert not await Person.exists(email="sam@acme.example")


async def test_a_dry_run_reports_the_same_and_writes_nothing(gql):
    await make_skill("Python")
    admin = await make_person(email="admin@acme.example")

    async with assert_unchanged():
        data = await gql(IMPORT, {"input": {"csv": CSV, "dryRun": True}}, as_=admin, role=Role.ADMIN)

    result = data["importPeople"]
    assert (result["created"], result["dryRun"], result["errors"]) == (2, True, EXPECTED_ERRORS)


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.COORDINATOR, Role.ANALYST])
async def test_anyone_but_an_admin_is_refused_and_nothing_is_written(gql, role):
    someone = await make_person(email="someone@acme.example")

    async with assert_unchanged():
        data = await gql(IMPORT, {"input": {"csv": CSV}}, as_=someone, role=role)

    assert data["importPeople"] == {
        "__typename": "PermissionDeniedError",
        "message": "This needs one of the roles: ADMIN.",
        "code": "PERMISSION_DENIED",
        "field": None,
    }


async def test_a_file_without_an_email_column_imports_nothing(gql):
    admin = await make_person(email="admin@acme.example")

    async with assert_unchanged():
        data = await gql(IMPORT, {"input": {"csv": "name\nAna\n"}}, as_=admin, role=Role.ADMIN)

    assert data["importPeople"]["errors"] == [
        {"row": 1, "email": None, "field": "email", "message": "The header row needs an 'email' column."}
    ]


async def test_an_excel_export_with_semicolons_a_bom_and_crlf_lines_imports_like_any_other(gql):
    await make_skill("Python")
    admin = await make_person(email="admin@acme.example")
    excel = "\ufeff" + CSV.replace(",", ";").replace("\n", "\r\n")

    data = await gql(IMPORT, {"input": {"csv": excel}}, as_=admin, role=Role.ADMIN)

    result = data["importPeople"]
    assert (result["created"], result["errors"], result["warnings"]) == (2, EXPECTED_ERRORS, EXPECTED_WARNINGS)
    kim = await Person.get(email="kim@acme.example").prefetch_related("manager")
    assert (kim.time_zone, kim.manager.email) == ("Asia/Seoul", "ana@acme.example")


@pytest.mark.postgres_only
async def test_two_imports_of_the_same_new_people_at_once_never_fail_unexpectedly(gql):
    """Both read the people as new; whichever writes second either finds them there or is told to retry."""
    admin = await make_person(name="Ada")
    rows = "".join(f"new{n}@acme.example,New {n},,Europe/London,,,\n" for n in range(40))
    text = "email,name,manager_email,time_zone,working_hours,teach_skills,learn_skills\n" + rows
    await warm_connection_pool()

    results = await asyncio.gather(
        *(gql(IMPORT, {"input": {"csv": text}}, as_=admin, role=Role.ADMIN) for _ in range(4))
    )

    outcomes = [result["importPeople"] for result in results]
    for outcome in outcomes:
        assert outcome["__typename"] in ("ImportPeoplePayload", "ConflictError"), outcome
        if outcome["__typename"] == "ConflictError":
            assert outcome["field"] == "csv"
    assert sum(o.get("created") == 40 for o in outcomes) == 1
    assert await Person.filter(email__startswith="new").count() == 40
