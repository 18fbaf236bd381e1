"""`mentorgraph connect-google-workspace` and `connect-microsoft-tenant` store references, never secrets."""

from __future__ import annotations

import json

from domain.calendar.models import CalendarConnection, ConnectionKind, Provider
from tests.api.conftest import run_cli


async def test_connecting_a_workspace_stores_where_the_key_is_not_the_key(db, database_url, tmp_path):
    key_file = tmp_path / "service-account.json"
    key_file.write_text(json.dumps({"private_key": "-----BEGIN PRIVATE KEY-----secret"}))

    printed = run_cli(
        "connect-google-workspace",
        "--domain",
        "acme.example",
        "--service-account-file",
        str(key_file),
        MENTORGRAPH_DATABASE_URL=database_url,
    )

    assert printed.returncode == 0, printed.stderr
    [connection] = await CalendarConnection.all()
    assert (connection.kind, connection.provider, connection.domains) == (
        ConnectionKind.COMPANY,
        Provider.GOOGLE,
        ["acme.example"],
    )
    assert connection.config == {"service_account_file": str(key_file)}


async def test_a_tenant_secret_must_come_from_somewhere_that_exists(db, database_url):
    printed = run_cli(
        "connect-microsoft-tenant",
        "--domain",
        "acme.example",
        "--tenant-id",
        "t",
        "--client-id",
        "c",
        "--client-secret-env",
        "MG_TEST_UNSET_SECRET",
        MENTORGRAPH_DATABASE_URL=database_url,
    )

    assert printed.returncode == 2
    assert "MG_TEST_UNSET_SECRET is not set" in printed.stderr
    assert await CalendarConnection.all().count() == 0


async def test_a_tenant_with_its_secret_in_the_environment_connects(db, database_url):
    printed = run_cli(
        "connect-microsoft-tenant",
        "--domain",
        "acme.example",
        "--tenant-id",
        "contoso",
        "--client-id",
        "app",
        "--client-secret-env",
        "MG_SECRET",
        MG_SECRET="s3cret",
        MENTORGRAPH_DATABASE_URL=database_url,
    )

    assert printed.returncode == 0, printed.stderr
    [connection] = await CalendarConnection.all()
    assert connection.config == {"tenant_id": "contoso", "client_id": "app", "client_secret_env": "MG_SECRET"}
    assert "s3cret" not in json.dumps(connection.config)
