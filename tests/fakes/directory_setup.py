"""Running the directory fakes on the calendar fakes' servers, and reading a connection's directory."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.fakes.calendar_setup import GRAPH_SECRET_VARIABLE, RunningMicrosoft, service_account_key
from tests.fakes.google_directory import FakeGoogleWorkspace
from tests.fakes.graph_directory import FakeEntraDirectory
from tests.fakes.http_fake import FakeServer
from tests.fakes.tls import make_test_ca


@contextlib.contextmanager
def running_entra(folder: Path, **options) -> Iterator[RunningMicrosoft]:
    """The Graph fake with a directory, over TLS with its Entra authority, like `running_microsoft`."""
    ca = make_test_ca(folder / "tls")
    fake = FakeEntraDirectory(**options)
    os.environ[GRAPH_SECRET_VARIABLE] = fake.client_secret
    with FakeServer(fake, tls=ca.server_context()) as server:
        fake.base_url = server.url
        yield RunningMicrosoft(fake, server.url, ca)


@dataclass
class RunningWorkspace:
    fake: FakeGoogleWorkspace
    url: str
    key_file: Path
    admin: str

    @property
    def config(self) -> dict:
        """A company connection's config, as `connect-google-workspace` stores it, plus where the directory is."""
        return {
            "service_account_file": str(self.key_file),
            "api_url": f"{self.url}/calendar/v3/",
            "directory_url": f"{self.url}/",
            "directory_admin_email": self.admin,
        }


@contextlib.contextmanager
def running_workspace(folder: Path, *, admin: str = "admin@example.org", **options) -> Iterator[RunningWorkspace]:
    fake = FakeGoogleWorkspace(admins=(admin,), **options)
    with FakeServer(fake) as server:
        yield RunningWorkspace(fake, server.url, service_account_key(folder, f"{server.url}/token"), admin)
