"""Logs that help and metrics to watch: client mistakes stay quiet, our faults are loud, and both are countable.

- A client's bad input logs INFO lines without a traceback and with its input truncated; a fault of ours logs
  ERROR with the traceback.
- MENTORGRAPH_LOG_FORMAT=json: every line `serve` prints is a JSON object, and each request has a line with
  its request id, operation, status, outcome and duration.
- MENTORGRAPH_METRICS=true: /metrics in Prometheus' text format, counting requests by operation and outcome,
  their latency, database connections in use, sweep runs and calendar sync's health; with `serve --workers 2`
  the counts of both processes add up in one scrape.
"""

from __future__ import annotations

import datetime
import json
import logging
import re

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from api.settings import load_settings
from domain.calendar.changes import CALENDAR_TOPIC
from domain.calendar.models import CalendarConnection, ConnectionKind, ConnectionStatus, Provider
from domain.clock import utc_now
from domain.outbox.models import MessageStatus, OutboxMessage
from tests.api.conftest import run_cli, serving
from tests.factories import make_person

ME = "query Me { me { name } }"
HUGE = "x" * 1_000_000
# Each a document and its variables.
CLIENT_MISTAKES = {
    "unknown field": ("query Oops { me { nickname } }", None),
    "syntax error": ("query Broken { me { name }", None),
    "a 1 MB literal": ('mutation Big { updateMyProfile(input: {name: "' + HUGE + '"}) { __typename } }', None),
    "a bad time zone": ('mutation Zone { updateMyProfile(input: {timeZone: "Mars/Olympus"}) { __typename } }', None),
    "a bad variable": ("query V($first: Int) { people(first: $first) { edges { cursor } } }", {"first": "ten"}),
}


@pytest.fixture
async def ana(db):
    return await make_person(email="ana@example.com", name="Ana Lima")


@pytest.mark.parametrize("case", list(CLIENT_MISTAKES))
async def test_a_client_mistake_logs_no_error_and_no_traceback(gql, ana, caplog, case):
    caplog.set_level(logging.DEBUG)

    document, variables = CLIENT_MISTAKES[case]

    response = await gql.raw(document, variables, headers={"Authorization": f"Bearer {gql.token(ana)}"})

    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("errors") or body["data"]["updateMyProfile"]["__typename"] == "ValidationError", body
    ours = [record for record in caplog.records if record.name.startswith("mentorgraph")]
    assert not [record for record in ours if record.levelno >= logging.WARNING], [r.getMessage() for r in ours]
    assert not [record for record in caplog.records if record.exc_info], "no traceback for a client's mistake"
    assert all(len(record.getMessage()) < 2_000 for record in caplog.records), "the input is truncated"


async def test_a_fault_of_ours_logs_error_with_its_traceback(gql, ana, monkeypatch, caplog):
    def broken(**_):
        raise RuntimeError("the people search broke")

    monkeypatch.setattr("schema.people.queries.search_people", broken)
    caplog.set_level(logging.INFO)

    response = await gql.raw(
        "query People { people { edges { node { name } } } }", headers={"Authorization": f"Bearer {gql.token(ana)}"}
    )

    assert response.json()["errors"][0]["message"] == "Unexpected error."
    [error] = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert error.exc_info and "the people search broke" in str(error.exc_info[1])


# -- /metrics ---------------------------------------------------------------------------------------------------


def samples(text: str) -> dict[tuple[str, tuple], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def requests_counted(found: dict, operation: str, outcome: str) -> float:
    return found.get(("mentorgraph_requests_total", (("operation", operation), ("outcome", outcome))), 0.0)


async def test_metrics_are_off_unless_switched_on(http):
    assert (await http.get("/metrics")).status_code == 404


async def test_metrics_count_requests_by_operation_and_outcome_with_latency_and_pool(database_url, ana, gql):
    app = create_app(load_settings(database_url=database_url, metrics=True), manage_database=False)
    token = gql.token(ana)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mentorgraph.test") as http:
        before = samples((await http.get("/metrics")).text)
        for _ in range(3):
            await http.post("/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"})
        await http.post(
            "/graphql", json={"query": "query Oops { me { nickname } }"}, headers={"Authorization": f"Bearer {token}"}
        )
        await http.post("/graphql", json={"query": ME})  # no token: 401
        scrape = await http.get("/metrics")

    after = samples(scrape.text)
    assert scrape.headers["content-type"].startswith("text/plain")
    assert requests_counted(after, "Me", "ok") - requests_counted(before, "Me", "ok") == 3
    assert requests_counted(after, "Oops", "client_error") - requests_counted(before, "Oops", "client_error") == 1
    assert requests_counted(after, "other", "client_error") - requests_counted(before, "other", "client_error") == 1
    latency = ("mentorgraph_request_duration_seconds_count", (("operation", "Me"),))
    assert after[latency] - before.get(latency, 0) == 3
    assert ("mentorgraph_database_connections_in_use", ()) in after


async def test_metrics_show_calendar_sync_health_read_at_each_scrape(database_url, db):
    now = utc_now()
    for key, status, minutes_ago in (
        ("m1", MessageStatus.PENDING, 10),
        ("m2", MessageStatus.PENDING, 1),
        ("m3", MessageStatus.DEAD, 30),
        ("m4", MessageStatus.DONE, 60),
    ):
        await OutboxMessage.create(
            topic=CALENDAR_TOPIC, key=key, status=status, created_at=now - datetime.timedelta(minutes=minutes_ago)
        )
    await OutboxMessage.create(topic="email", key="e1", created_at=now - datetime.timedelta(hours=5))
    await CalendarConnection.create(
        kind=ConnectionKind.COMPANY,
        provider=Provider.GOOGLE,
        domains=["example.org"],
        connected_at=now,
        status=ConnectionStatus.BROKEN,
        broken_reason="invalid_grant",
        broken_at=now,
    )
    app = create_app(load_settings(database_url=database_url, metrics=True), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mentorgraph.test") as http:
        found = samples((await http.get("/metrics")).text)
        await OutboxMessage.filter(key="m1").update(status=MessageStatus.DONE)
        later = samples((await http.get("/metrics")).text)

    assert found[("mentorgraph_calendar_sync_health_readable", ())] == 1
    assert found[("mentorgraph_calendar_sync_backlog", ())] == 2  # the email message is not calendar sync's
    assert 590 <= found[("mentorgraph_calendar_sync_oldest_pending_seconds", ())] < 3600
    assert found[("mentorgraph_calendar_sync_dead_letters", ())] == 1
    assert found[("mentorgraph_calendar_connections_broken", ())] == 1
    assert later[("mentorgraph_calendar_sync_backlog", ())] == 1
    assert later[("mentorgraph_calendar_sync_oldest_pending_seconds", ())] < 590


# -- out of a real `serve` -------------------------------------------------------------------------------------


@pytest.fixture
def sqlite_service_database(tmp_path, engine):
    if engine != "sqlite":
        pytest.skip("starts its own SQLite service; runs in the SQLite pass")
    database_url = f"sqlite://{tmp_path / 'mentorgraph.sqlite3'}"
    assert run_cli("migrate", MENTORGRAPH_DATABASE_URL=database_url).returncode == 0
    return database_url


def test_json_log_lines_carry_request_id_operation_status_and_duration(sqlite_service_database):
    token = run_cli("token", "--email", "nobody@example.com").stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    with serving(MENTORGRAPH_DATABASE_URL=sqlite_service_database, MENTORGRAPH_LOG_FORMAT="json") as service:
        answered = httpx.post(f"{service.url}/graphql", json={"query": ME}, headers=headers, timeout=30)
        mistaken = httpx.post(
            f"{service.url}/graphql", json={"query": "query Oops { me { nickname } }"}, headers=headers, timeout=30
        )

    lines = [line for line in service.output.splitlines() if line.strip()]
    parsed = [json.loads(line) for line in lines]  # every line is JSON, uvicorn's own included
    by_id = {line["request_id"]: line for line in parsed if line.get("logger") == "mentorgraph.requests"}
    me_line = by_id[answered.headers["X-Request-ID"]]
    assert (me_line["operation"], me_line["status"], me_line["outcome"]) == ("Me", 200, "ok")
    assert me_line["http_method"] == "POST" and me_line["path"] == "/graphql"
    assert isinstance(me_line["duration_ms"], float | int) and me_line["duration_ms"] >= 0
    oops_line = by_id[mistaken.headers["X-Request-ID"]]
    assert (oops_line["operation"], oops_line["outcome"]) == ("Oops", "client_error")
    assert {line["level"] for line in parsed} <= {"INFO", "WARNING"}
    assert any("Started server process" in line["message"] for line in parsed)


def test_a_served_scrape_counts_the_sweeps(sqlite_service_database):
    with serving(MENTORGRAPH_DATABASE_URL=sqlite_service_database, MENTORGRAPH_METRICS="true") as service:
        text = httpx.get(f"{service.url}/metrics", timeout=30).text

    assert samples(text)[("mentorgraph_sweep_runs_total", (("result", "done"),))] >= 1


@pytest.mark.postgres_only
def test_two_workers_add_up_in_one_scrape(fresh_database_url):
    assert run_cli("migrate", MENTORGRAPH_DATABASE_URL=fresh_database_url).returncode == 0
    token = run_cli("token", "--email", "nobody@example.com").stdout.strip()
    variables = {"MENTORGRAPH_DATABASE_URL": fresh_database_url, "MENTORGRAPH_METRICS": "true"}
    with serving("--workers", "2", **variables) as service:
        # New connections each time, so both workers take their share.
        for _ in range(40):
            httpx.post(
                f"{service.url}/graphql",
                json={"query": ME},
                headers={"Authorization": f"Bearer {token}", "Connection": "close"},
                timeout=30,
            )
        scrapes = [samples(httpx.get(f"{service.url}/metrics", timeout=30).text) for _ in range(4)]

    assert {requests_counted(found, "Me", "ok") for found in scrapes} == {40}, "every scrape sees both workers"
    assert len(set(re.findall(r"Started server process \[(\d+)\]", service.output))) == 2
