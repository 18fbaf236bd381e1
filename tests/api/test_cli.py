"""The `mentorgraph` command, run as a separate process the way an operator runs it."""

from __future__ import annotations

import re
import time

import jwt
import pytest
from strawberry.printer import print_schema

from api.app import create_app
from api.cli import SCHEMA_FILE
from domain.programs.models import ProgramStatus
from schema.relay_ids import encode_id
from tests.api.conftest import run_cli
from tests.factories import make_person, make_program

PROGRAM = "query Program($id: ID!) { program(id: $id) { name } }"
ME = "{ me { name } }"
BEARER = re.compile(r'\{"Authorization": "Bearer ([\w.-]+)"\}')


async def test_token_prints_a_token_the_app_accepts_for_that_person_and_role(http, settings):
    await make_person(email="ana@example.com", name="Ana Lima")
    draft = await make_program(name="Draft pilot", status=ProgramStatus.DRAFT)

    printed = run_cli(
        "token", "--email", "Ana@Example.com", "--role", "ADMIN", MENTORGRAPH_JWT_SECRET=settings.jwt_secret
    )

    assert printed.returncode == 0, printed.stderr
    token = printed.stdout.strip()
    response = await http.post(
        "/graphql",
        json={
            "query": "query P($id: ID!) { me { name } program(id: $id) { name } }",
            "variables": {"id": str(encode_id("Program", draft.id))},
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.json() == {"data": {"me": {"name": "Ana Lima"}, "program": {"name": "Draft pilot"}}}


def test_token_ttl_is_in_minutes():
    printed = run_cli("token", "--email", "ana@example.com", "--ttl", "5")

    claims = jwt.decode(printed.stdout.strip(), options={"verify_signature": False})
    assert abs(claims["exp"] - (time.time() + 300)) < 30
    assert claims["roles"] == ["PARTICIPANT"]


def test_token_refuses_to_mint_in_production_mode_in_one_line():
    printed = run_cli(
        "token",
        "--email",
        "ana@example.com",
        MENTORGRAPH_MODE="production",
        MENTORGRAPH_JWKS_URL="https://login.microsoftonline.com/contoso/discovery/v2.0/keys",
        MENTORGRAPH_JWT_ISSUER="https://login.microsoftonline.com/contoso/v2.0",
        MENTORGRAPH_JWT_AUDIENCE="api://mentorgraph",
    )

    assert printed.returncode != 0
    assert printed.stdout == ""
    assert printed.stderr.strip().splitlines() == [
        "mentorgraph: development tokens are refused in production mode; use the identity provider's tokens"
    ]


def test_token_refuses_a_malformed_email_in_one_line():
    printed = run_cli("token", "--email", "ana@@example.com")

    assert printed.returncode == 2
    assert printed.stdout == ""
    [line] = printed.stderr.strip().splitlines()
    assert line.startswith("mentorgraph: --email: 'ana@@example.com' is not a valid email address")


def test_export_schema_check_fails_on_a_stale_file_and_passes_once_it_is_rewritten(tmp_path):
    target = tmp_path / "schema.graphql"
    target.write_text(SCHEMA_FILE.read_text().replace("type Query {", "type Query {\n  removedLongAgo: Int"))

    stale = run_cli("export-schema", "--check", "--output", str(target))
    written = run_cli("export-schema", "--output", str(target))
    current = run_cli("export-schema", "--check", "--output", str(target))

    assert stale.returncode == 1
    assert "is stale" in stale.stderr
    assert written.returncode == 0
    assert target.read_text() == print_schema(create_app(manage_database=False).state.schema) + "\n"
    assert current.returncode == 0, current.stderr
    assert "is up to date" in current.stdout


def test_migrate_then_seed_demo_twice_writes_the_demo_once(fresh_database_url):
    migrated = run_cli("migrate", MENTORGRAPH_DATABASE_URL=fresh_database_url)
    first = run_cli("seed-demo", MENTORGRAPH_DATABASE_URL=fresh_database_url)
    second = run_cli("seed-demo", MENTORGRAPH_DATABASE_URL=fresh_database_url)

    assert migrated.returncode == 0, migrated.stderr
    assert first.returncode == 0, first.stderr
    written = int(re.search(r"(\d+) rows written", first.stdout).group(1))
    assert written > 0
    assert second.returncode == 0, second.stderr
    assert "2 relationships started" in first.stdout
    assert "0 rows written, 0 relationships started" in second.stdout
    assert len(BEARER.findall(second.stdout)) == 2, "a coordinator's and a mentee's token, ready to paste"


def test_seed_demo_before_migrate_says_what_to_run(fresh_database_url):
    finished = run_cli("seed-demo", MENTORGRAPH_DATABASE_URL=fresh_database_url)

    assert finished.returncode != 0
    assert "mentorgraph migrate" in finished.stderr


@pytest.mark.parametrize("argv", [["serve", "--port", "eighty"], ["token"], ["no-such-command"]])
def test_bad_arguments_are_a_usage_error(argv):
    finished = run_cli(*argv)

    assert finished.returncode == 2
    assert "usage: mentorgraph" in finished.stderr
