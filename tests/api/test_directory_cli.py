"""`mentorgraph sync-directory` in a subprocess against the directory fakes and the test database."""

from __future__ import annotations

import pytest

from api.database.exclusive import one_process_at_a_time
from api.directory_cli import LOCK
from domain.calendar.connections import connect_company
from domain.calendar.models import Provider
from domain.clock import utc_now
from domain.people.models import Person
from tests.fakes.calendar_setup import connect
from tests.fakes.directory_org import organisation, populate_entra, populate_workspace
from tests.fakes.directory_setup import running_entra, running_workspace
from tests.support import run_cli


@pytest.fixture
def entra(tmp_path):
    with running_entra(tmp_path / "entra") as running:
        yield running


async def test_a_dry_run_then_a_run_print_the_report_and_progress_goes_to_stderr(db, database_url, entra, monkeypatch):
    monkeypatch.setenv("MENTORGRAPH_DATABASE_URL", database_url)
    await connect(Provider.MICROSOFT, entra, "contoso.example")
    populate_entra(entra.fake, organisation(25))
    entra.fake.add_user("no-mail", displayName="Printer", accountEnabled=True, mail=None)

    code, out, err = await run_cli("sync-directory", "--provider", "microsoft", "--dry-run")

    assert code == 1
    assert out.splitlines()[:2] == [
        "microsoft directory, full read: 26 records",
        "dry run, nothing written: 25 created, 0 updated, 0 unchanged; 1 rows rejected (1 errors)",
    ]
    assert out.splitlines()[-1] == "  record 26 (?): email: The directory gives no email address for account no-mail."
    # One line per stage, its count rewritten in place as each $batch of mailboxes (20, then 6) comes back.
    records, mailboxes, last = err.split("\n")
    assert (records, last) == ("\r  directory records read: 26", "")
    first, done = mailboxes.split("\r")[1:]
    assert first in ("  mailbox settings read: 20 of 26", "  mailbox settings read: 6 of 26")
    assert done == "  mailbox settings read: 26 of 26"
    assert await Person.all().count() == 0

    code, out, _ = await run_cli("sync-directory", "--provider", "microsoft")

    assert code == 1 and out.splitlines()[1].startswith("25 created")
    assert await Person.all().count() == 25


async def test_without_a_company_connection_the_command_says_which_to_make(db, database_url, monkeypatch):
    monkeypatch.setenv("MENTORGRAPH_DATABASE_URL", database_url)

    code, out, err = await run_cli("sync-directory", "--provider", "google")

    assert (code, out) == (2, "")
    assert "run `mentorgraph connect-google-workspace` first" in err


async def test_a_bad_mapping_file_is_refused_naming_its_key(db, database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MENTORGRAPH_DATABASE_URL", database_url)
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"level": {"attribute": "employeeType", "values": {"Senior": 40}}}')

    code, _, err = await run_cli("sync-directory", "--provider", "microsoft", "--mapping", str(mapping))

    assert code == 2 and "mapping.level.values" in err and "'Senior' maps to 40" in err


async def test_google_levels_come_from_the_mapped_custom_schema_field(db, database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MENTORGRAPH_DATABASE_URL", database_url)
    with running_workspace(tmp_path / "workspace") as workspace:
        await connect_company(
            provider=Provider.GOOGLE, domains=["contoso.example"], config=workspace.config, now=utc_now()
        )
        populate_workspace(workspace.fake, organisation(5), level_schema=True)
        mapping = tmp_path / "mapping.json"
        mapping.write_text(
            '{"level": {"attribute": "customSchemas.HR.level"}, "departments": {"values": {"Sales": "Revenue"}}}'
        )

        code, out, _ = await run_cli("sync-directory", "--provider", "google", "--mapping", str(mapping))

    assert code == 0, out
    person = await Person.get(email="person1@contoso.example")
    assert (person.level, person.department) == (2, "Revenue")


@pytest.mark.postgres_only
async def test_on_postgresql_a_second_sync_of_the_same_directory_skips_while_one_runs(
    db, database_url, entra, monkeypatch
):
    monkeypatch.setenv("MENTORGRAPH_DATABASE_URL", database_url)
    connection = await connect(Provider.MICROSOFT, entra, "contoso.example")
    populate_entra(entra.fake, organisation(3))

    async with one_process_at_a_time(f"{LOCK}-{connection.id}") as ours:
        assert ours
        code, out, _ = await run_cli("sync-directory", "--provider", "microsoft")

    assert (code, out.strip()) == (0, "another process is syncing this directory; this run skipped")
    assert await Person.all().count() == 0 and entra.fake.delta_requests() == []
