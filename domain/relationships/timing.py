"""How long things may wait: unanswered mentor requests, and relationships gone quiet."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class RelationshipTiming:
    mentor_request_lifetime: datetime.timedelta = datetime.timedelta(days=14)
    # Quiet this long, a relationship is auto-concluded; `inactivity_notice` before that, its members are warned.
    inactive_after: datetime.timedelta = datetime.timedelta(days=90)
    inactivity_notice: datetime.timedelta = datetime.timedelta(days=14)
