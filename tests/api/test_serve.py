"""`make run`, end to end: a real `mentorgraph serve` process over real HTTP, as a newcomer would meet it.

These start their own SQLite file (or no database at all) whatever the engine of the run, so they run once,
in the SQLite pass.
"""

from __future__ import annotations

import httpx
import pytest

from api.demo import DEMO_COORDINATOR
from tests.api.conftest import free_port, run_cli, serving


@pytest.fixture(autouse=True)
def _sqlite_pass_only(engine):
    if engine != "sqlite":
        pytest.skip("starts its own SQLite service; runs in the SQLite pass")


def test_a_migrated_seeded_service_answers_me_for_the_demo_coordinator(tmp_path):
    database_url = f"sqlite://{tmp_path / 'var' / 'mentorgraph.sqlite3'}"
    assert run_cli("migrate", MENTORGRAPH_DATABASE_URL=database_url).returncode == 0
    assert run_cli("seed-demo", MENTORGRAPH_DATABASE_URL=database_url).returncode == 0
    token = run_cli("token", "--email", DEMO_COORDINATOR, "--role", "COORDINATOR").stdout.strip()

    with serving(MENTORGRAPH_DATABASE_URL=database_url) as service:
        answer = httpx.post(
            f"{service.url}/graphql",
            json={"query": "{ me { name email } }"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        ready = httpx.get(f"{service.url}/readyz", timeout=10)
        graphiql = httpx.get(f"{service.url}/graphql", headers={"Accept": "text/html"}, timeout=10)

    assert answer.json() == {"data": {"me": {"name": "Carmen Ruiz", "email": DEMO_COORDINATOR}}}
    access_line = f"[request {answer.headers['X-Request-ID']}] 127.0.0.1"
    assert access_line in service.output, "the access log names the request"
    assert ready.status_code == 200
    assert graphiql.status_code == 200 and "graphiql" in graphiql.text.lower()


def test_a_service_whose_database_does_not_answer_is_alive_but_not_ready():
    nowhere = f"postgres://mentorgraph@127.0.0.1:{free_port()}/mentorgraph"

    with serving(MENTORGRAPH_DATABASE_URL=nowhere) as service:
        health = httpx.get(f"{service.url}/healthz", timeout=10)
        ready = httpx.get(f"{service.url}/readyz", timeout=10)

    assert health.status_code == 200
    assert (ready.status_code, ready.json()) == (503, {"status": "database unreachable"})
    assert "/readyz says 503 until it does" in service.output
