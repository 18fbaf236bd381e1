"""The provider fakes, for schema tests whose searches read connected calendars."""

from tests.fakes.calendar_setup import google, microsoft  # noqa: F401 - fixtures
