"""The one clock: every "now" in Mentorgraph is an aware UTC instant, taken here."""

from __future__ import annotations

import datetime


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)
