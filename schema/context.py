"""Per-request context: the viewer and a fresh set of DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from strawberry.types import Info as StrawberryInfo

from domain.access import Viewer
from domain.calendar.secrets import TokenCipher
from domain.meetings.ports import FreeBusyProvider
from domain.meetings.rules import BookingRules
from domain.relationships.timing import RelationshipTiming
from integrations.calendar.no_external import NoExternalCalendar
from schema.loaders import Loaders
from schema.persisted import PersistedDocument

if TYPE_CHECKING:
    from integrations.calendar.oauth import CalendarOAuth


@dataclass
class Context:
    viewer: Viewer
    loaders: Loaders = field(default_factory=Loaders)
    request: Any = None
    # Busy blocks from connected calendars; until calendar sync lands, nobody has one.
    free_busy: FreeBusyProvider = field(default_factory=NoExternalCalendar)
    booking_rules: BookingRules = field(default_factory=BookingRules)
    relationship_timing: RelationshipTiming = field(default_factory=RelationshipTiming)
    # Personal calendar connections (OAuth); None when MENTORGRAPH_SECRET_KEY is not set.
    calendar_oauth: CalendarOAuth | None = None
    # Secrets at rest (feed tokens); None while no MENTORGRAPH_SECRET_KEY is configured.
    cipher: TokenCipher | None = None
    # Set per request when the document came by its hash (automatic persisted queries).
    persisted_document: PersistedDocument | None = None

    def fresh_loaders(self) -> None:
        """Starts the request's loaders afresh, letting go of every row they read.

        After a mutation writes, so that its payload reads the rows as they now are; and once the answer is
        built, because graphql-core's execution context refers to itself through its own bound methods and
        holds this context: the loaders' caches (every row the request read) would otherwise wait for the
        cycle collector, several hundred objects per request, instead of being freed at once.
        """
        self.loaders = Loaders()


Info = StrawberryInfo[Context, None]
