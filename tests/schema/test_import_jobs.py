"""A large importPeople runs as a background job that importJob(id) follows; small files still answer inline.

Given an administrator, when they send a file over the inline limit (lowered here to keep files small), then
the answer is a PeopleImportStarted at once, the job ends SUCCEEDED with every row processed and the report
an inline import would give, and only administrators can read it. A replay with the same idempotency key gets
the same job and imports nothing twice. A job whose server stopped reads FAILED and wrote nothing.
"""

from __future__ import annotations

import datetime

import pytest

from domain.access import Role
from domain.people import import_jobs
from domain.people.import_jobs import ImportJobStatus, PeopleImportJob
from domain.people.models import Person
from tests.factories import make_person
from tests.schema.authorization import ADMIN, ANALYST, COORDINATOR, PARTICIPANT, ROLES, STRANGER, WITHOUT_PROFILE
from tests.support import assert_unchanged, gid

IMPORT = """
mutation Import($input: ImportPeopleInput!) {
  importPeople(input: $input) {
    __typename
    ... on ImportPeoplePayload { created updated unchanged dryRun }
    ... on PeopleImportStarted { job { id status dryRun totalRows } }
    ... on Error { code field message }
  }
}
"""
JOB = """
query Job($id: ID!) {
  importJob(id: $id) {
    id status dryRun processedRows totalRows failure startedAt finishedAt
    report { created updated unchanged dryRun errors { row field message } warnings }
  }
}
"""
NODE = "query Node($id: ID!) { node(id: $id) { ... on PeopleImportJob { status totalRows } } }"
ROWS = 12


def people_csv(rows: int, *, bad_row: bool = False) -> str:
    lines = ["email,name,department,time_zone"]
    lines += [f"p{n}@import.example,Person {n},Dept {n % 3},Europe/London" for n in range(rows)]
    if bad_row:
        lines.append("bad@import.example,Bad Zone,Dept 0,Mars/Olympus")
    return "\n".join(lines) + "\n"


@pytest.fixture(autouse=True)
def small_inline_limit(monkeypatch):
    monkeypatch.setattr(import_jobs, "INLINE_ROWS", 5)


@pytest.fixture
async def admin(db):
    return await make_person(email="admin@acme.example", name="Ada Admin")


async def started(gql, admin, csv: str, **options) -> dict:
    data = await gql(IMPORT, {"input": {"csv": csv, **options}}, as_=admin, role=Role.ADMIN)
    return data["importPeople"]


async def test_a_large_file_answers_with_a_job_that_ends_with_the_report(gql, admin):
    answer = await started(gql, admin, people_csv(ROWS, bad_row=True))
    await import_jobs.wait_for_jobs()
    job = (await gql(JOB, {"id": answer["job"]["id"]}, as_=admin, role=Role.ADMIN))["importJob"]

    assert answer["__typename"] == "PeopleImportStarted"
    assert answer["job"]["status"] in ("QUEUED", "RUNNING")
    assert answer["job"]["totalRows"] == ROWS + 1
    assert job["status"] == "SUCCEEDED"
    assert (job["processedRows"], job["totalRows"]) == (ROWS + 1, ROWS + 1)
    assert job["failure"] is None and job["startedAt"] and job["finishedAt"]
    assert job["report"] == {
        "created": ROWS,
        "updated": 0,
        "unchanged": 0,
        "dryRun": False,
        "errors": [
            {
                "row": ROWS + 2,
                "field": "time_zone",
                "message": "'Mars/Olympus' is not an IANA time zone such as 'Europe/London'.",
            }
        ],
        "warnings": [],
    }
    assert await Person.filter(email__endswith="@import.example").count() == ROWS
    stored = await PeopleImportJob.get()  # the one job
    assert stored.csv is None, "the file is not kept once the job has ended"


async def test_a_small_file_answers_inline_unless_asked_to_run_in_the_background(gql, admin):
    inline = await started(gql, admin, people_csv(3))
    background = await started(gql, admin, people_csv(3), background=True)
    kept_inline = await started(gql, admin, people_csv(ROWS), background=False)
    await import_jobs.wait_for_jobs()

    assert inline == {"__typename": "ImportPeoplePayload", "created": 3, "updated": 0, "unchanged": 0, "dryRun": False}
    assert background["__typename"] == "PeopleImportStarted"
    assert kept_inline["__typename"] == "ImportPeoplePayload" and kept_inline["created"] == ROWS - 3


async def test_a_dry_run_job_reports_and_writes_no_person(gql, admin):
    answer = await started(gql, admin, people_csv(ROWS), dryRun=True)
    await import_jobs.wait_for_jobs()
    job = (await gql(JOB, {"id": answer["job"]["id"]}, as_=admin, role=Role.ADMIN))["importJob"]

    assert (job["status"], job["dryRun"], job["report"]["dryRun"], job["report"]["created"]) == (
        "SUCCEEDED",
        True,
        True,
        ROWS,
    )
    assert await Person.filter(email__endswith="@import.example").count() == 0


async def test_a_replay_with_the_same_key_gets_the_same_job_and_imports_once(gql, admin):
    first = await started(gql, admin, people_csv(ROWS), idempotencyKey="hris-2026-12-01")
    await import_jobs.wait_for_jobs()
    again = await started(gql, admin, people_csv(ROWS), idempotencyKey="hris-2026-12-01")
    other = await started(gql, admin, people_csv(ROWS + 1), idempotencyKey="hris-2026-12-01")
    await import_jobs.wait_for_jobs()

    assert again["job"]["id"] == first["job"]["id"]
    assert again["job"]["status"] == "SUCCEEDED"
    assert other["__typename"] == "ConflictError" and other["field"] == "idempotencyKey"
    assert await PeopleImportJob.all().count() == 1
    assert await Person.filter(email__endswith="@import.example").count() == ROWS


async def test_a_job_whose_server_stopped_reads_failed_and_wrote_nothing(gql, admin):
    # What a SIGKILLed server leaves: a RUNNING job no process keeps alive (its transaction rolled back).
    long_ago = datetime.datetime.now(datetime.UTC) - import_jobs.STALE_AFTER * 2
    job = await PeopleImportJob.create(
        started_by=admin.email,
        status=ImportJobStatus.RUNNING,
        csv=people_csv(ROWS),
        total_rows=ROWS,
        processed_rows=4,
        runner="a-server-that-died",
        created_at=long_ago,
        started_at=long_ago,
        heartbeat_at=long_ago,
    )

    read = (await gql(JOB, {"id": gid("PeopleImportJob", job.id)}, as_=admin, role=Role.ADMIN))["importJob"]

    assert read["status"] == "FAILED"
    assert read["failure"] == import_jobs.INTERRUPTED
    assert read["report"] is None
    await job.refresh_from_db()
    assert (job.status, job.csv) == (ImportJobStatus.FAILED, None)


async def test_a_running_job_that_keeps_its_heartbeat_is_not_failed(gql, admin):
    now = datetime.datetime.now(datetime.UTC)
    job = await PeopleImportJob.create(
        started_by=admin.email, status=ImportJobStatus.RUNNING, csv="", created_at=now, heartbeat_at=now
    )

    read = (await gql(JOB, {"id": gid("PeopleImportJob", job.id)}, as_=admin, role=Role.ADMIN))["importJob"]

    assert read["status"] == "RUNNING"


# -- who may start and read a job -------------------------------------------------------------------------------


async def test_only_administrators_start_a_job_and_a_refusal_writes_nothing(gql, db):
    for role in (Role.PARTICIPANT, Role.COORDINATOR, Role.ANALYST):
        someone = await make_person()
        async with assert_unchanged():
            answer = (await gql(IMPORT, {"input": {"csv": people_csv(ROWS)}}, as_=someone, role=role))["importPeople"]
        assert answer["__typename"] == "PermissionDeniedError", (role, answer)
    await import_jobs.wait_for_jobs()


async def test_an_administrator_without_a_profile_may_start_and_follow_a_job(gql, db):
    answer = (await gql(IMPORT, {"input": {"csv": people_csv(ROWS)}}, as_="it@acme.example", role=Role.ADMIN))[
        "importPeople"
    ]
    await import_jobs.wait_for_jobs()
    job = (await gql(JOB, {"id": answer["job"]["id"]}, as_="it@acme.example", role=Role.ADMIN))["importJob"]

    assert job["status"] == "SUCCEEDED"


TOKEN_ROLE = {PARTICIPANT: Role.PARTICIPANT, COORDINATOR: Role.COORDINATOR, ANALYST: Role.ANALYST, ADMIN: Role.ADMIN}


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_reads_a_job_only_if_an_administrator(gql, admin, role):
    answer = await started(gql, admin, people_csv(ROWS))
    await import_jobs.wait_for_jobs()
    job_id = answer["job"]["id"]
    if role in WITHOUT_PROFILE:
        token_role = Role.PARTICIPANT if role == STRANGER else Role.COORDINATOR
        for document in (JOB, NODE):
            token = gql.token("no.profile@acme.example", token_role)
            response = await gql.raw(document, {"id": job_id}, headers={"Authorization": f"Bearer {token}"})
            body = response.json()
            assert body["data"] is None or not any(body["data"].values()), body
            assert {error["extensions"]["code"] for error in body["errors"]} == {"PERMISSION_DENIED"}
        return
    reader = admin if role == ADMIN else await make_person()
    # Every other role of the matrix (members, coordinators of any program) is a participant, coordinator or
    # analyst token as far as a job is concerned: none of them is an administrator.
    token_role = TOKEN_ROLE.get(role, Role.COORDINATOR if "coordinator" in role else Role.PARTICIPANT)
    job = (await gql(JOB, {"id": job_id}, as_=reader, role=token_role))["importJob"]
    node = (await gql(NODE, {"id": job_id}, as_=reader, role=token_role))["node"]

    if role == ADMIN:
        assert job["status"] == "SUCCEEDED" and node == {"status": "SUCCEEDED", "totalRows": ROWS}
    else:
        assert (job, node) == (None, None)


async def test_another_administrator_reads_the_job_too(gql, admin):
    answer = await started(gql, admin, people_csv(ROWS))
    await import_jobs.wait_for_jobs()
    other_admin = await make_person(email="second.admin@acme.example")

    job = (await gql(JOB, {"id": answer["job"]["id"]}, as_=other_admin, role=Role.ADMIN))["importJob"]

    assert job["status"] == "SUCCEEDED"
