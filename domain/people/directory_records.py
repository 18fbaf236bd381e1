"""What a company directory hands Mentorgraph, whatever the provider: users as records, one batch per run.

`integrations/microsoft/directory.py` (Entra ID through Graph) and `integrations/google/directory.py`
(Workspace through the Admin SDK) implement DirectorySource; domain/people/directory.py applies a batch.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Protocol

from domain.calendar.models import Provider


@dataclass
class DirectoryRecord:
    """One user. A None value is "not in this change": a delta names only what changed, and a full listing
    may lack a value (no department); either way Mentorgraph keeps what it has."""

    external_id: str
    email: str | None = None
    # Deleted from the directory (Graph's @removed); only the id is known then.
    removed: bool = False
    # False: disabled (Entra) or suspended (Workspace). None: unchanged.
    enabled: bool | None = None
    name: str | None = None
    department: str | None = None
    title: str | None = None
    # The manager's directory id, or None when this change says nothing about the manager.
    manager_id: str | None = None
    # Or the manager's email, where the directory names managers so (Workspace relations).
    manager_email: str | None = None
    # Raw attribute values the mapping may read (the level's attribute), by the mapping's attribute name.
    attributes: dict[str, str] = field(default_factory=dict)
    time_zone: str | None = None  # IANA, already mapped from the provider's own names
    working_hours: list[tuple[int, int, int]] | None = None
    languages: list[str] | None = None
    # What the provider gave that Mentorgraph cannot use (an unknown zone): (column, message); the rest lands.
    notes: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class DirectoryBatch:
    records: list[DirectoryRecord]
    # The whole directory: a known account missing from it has been deleted.
    full: bool
    # Where the next run starts (Graph's deltaLink); empty: the next run reads everything again.
    cursor: str = ""
    warnings: list[str] = field(default_factory=list)


# (what is being done, done so far, total or None while unknown)
Progress = Callable[[str, int, int | None], None]


def no_progress(stage: str, done: int, total: int | None) -> None:
    pass


class DirectorySource(Protocol):
    provider: Provider

    def wanted_attributes(self, names: list[str]) -> None:
        """Asks for these extra attributes (the mapping's level attribute) on every record."""

    async def read(
        self, cursor: str, *, known: Collection[str] = (), on_progress: Progress = no_progress
    ) -> DirectoryBatch:
        """The changes since `cursor`, or everything when it is empty or the provider has forgotten it.

        `known` holds the accounts already linked to people, for sources that look up less about them."""
