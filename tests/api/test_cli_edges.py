"""The command line at its edges: every refusal is one line and exit status 2, and nothing is created."""

from __future__ import annotations

import pytest

from tests.api.conftest import free_port, run_cli

PEOPLE_CSV = "email,name\nana@acme.example,Ana Lima\n"


@pytest.fixture(autouse=True)
def _sqlite_pass_only(engine):
    if engine != "sqlite":
        pytest.skip("runs the CLI on its own databases; runs in the SQLite pass")


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


def test_migrate_on_an_unreachable_postgres_is_one_line_naming_it():
    nowhere = f"postgres://mentorgraph@127.0.0.1:{free_port()}/mentorgraph"

    done = run_cli("migrate", MENTORGRAPH_DATABASE_URL=nowhere)

    assert done.returncode == 2
    line = one_line(done.stderr)
    assert "cannot reach the database at" in line and nowhere in line and "MENTORGRAPH_DATABASE_URL" in line


def test_migrate_prints_the_revision_it_reached(tmp_path):
    from api.database.migrations import current_revision

    database_url = f"sqlite://{tmp_path / 'db.sqlite3'}"

    done = run_cli("migrate", MENTORGRAPH_DATABASE_URL=database_url)

    assert done.returncode == 0
    assert f"database at revision {current_revision(database_url)} (head)" in done.stdout


def test_import_people_into_a_database_never_migrated_creates_nothing(tmp_path):
    csv = tmp_path / "people.csv"
    csv.write_text(PEOPLE_CSV)
    database = tmp_path / "never.sqlite3"

    done = run_cli("import-people", str(csv), MENTORGRAPH_DATABASE_URL=f"sqlite://{database}")

    assert done.returncode == 2
    assert "run `mentorgraph migrate` first" in one_line(done.stderr)
    assert not database.exists()


def test_import_people_into_an_unreachable_database_is_one_line(tmp_path):
    csv = tmp_path / "people.csv"
    csv.write_text(PEOPLE_CSV)
    nowhere = f"postgres://mentorgraph@127.0.0.1:{free_port()}/mentorgraph"

    done = run_cli("import-people", str(csv), MENTORGRAPH_DATABASE_URL=nowhere)

    assert done.returncode == 2
    assert "cannot reach the database" in one_line(done.stderr)


def test_import_people_dry_run_counts_and_writes_nothing(tmp_path):
    database_url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    assert run_cli("migrate", MENTORGRAPH_DATABASE_URL=database_url).returncode == 0
    csv = tmp_path / "people.csv"
    csv.write_text(PEOPLE_CSV)

    dry = run_cli("import-people", "--dry-run", str(csv), MENTORGRAPH_DATABASE_URL=database_url)
    real = run_cli("import-people", str(csv), MENTORGRAPH_DATABASE_URL=database_url)

    assert dry.returncode == 0 and real.returncode == 0
    assert "1 created" in dry.stdout or "created 1" in dry.stdout, dry.stdout
    assert "1 created" in real.stdout or "created 1" in real.stdout, "the dry run wrote nothing: it is still new"


@pytest.mark.parametrize("port", ["0", "65536", "-1", "http"])
def test_serve_refuses_a_port_outside_1_to_65535(port):
    done = run_cli("serve", "--port", port)

    assert done.returncode == 2
    assert "--port" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("ttl", ["0", "-5"])
def test_token_ttl_must_be_positive(ttl):
    done = run_cli("token", "--email", "ana@acme.example", "--ttl", ttl)

    assert done.returncode == 2
    assert "--ttl" in done.stderr and done.stdout == ""


def test_production_mode_names_every_missing_variable_at_once():
    done = run_cli("token", "--email", "ana@acme.example", MENTORGRAPH_MODE="production")

    assert done.returncode == 2
    line = one_line(done.stderr)
    for name in ("MENTORGRAPH_JWKS_URL", "MENTORGRAPH_JWT_ISSUER", "MENTORGRAPH_JWT_AUDIENCE"):
        assert name in line


def test_serve_on_a_port_in_use_is_one_line(tmp_path):
    import socket

    database_url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    assert run_cli("migrate", MENTORGRAPH_DATABASE_URL=database_url).returncode == 0
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = run_cli("serve", "--port", str(port), MENTORGRAPH_DATABASE_URL=database_url)

    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in one_line(done.stderr)
    assert "Event loop is closed" not in done.stderr + done.stdout


def test_a_large_import_shows_a_running_count_and_keeps_the_per_row_report(tmp_path):
    database_url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    assert run_cli("migrate", MENTORGRAPH_DATABASE_URL=database_url).returncode == 0
    rows = "".join(f"p{n}@acme.example,Person {n}\n" for n in range(2_500))
    csv = tmp_path / "people.csv"
    csv.write_text("email,name\n" + rows + "not-an-email,Broken Row\n")

    done = run_cli("import-people", str(csv), MENTORGRAPH_DATABASE_URL=database_url)

    assert "1,000 of 2,500 people written" in done.stderr
    assert "2,500 of 2,500 people written" in done.stderr
    assert "2500 created" in done.stdout
    assert "row 2502 (not-an-email)" in done.stdout, "the per-row report follows the summary"
