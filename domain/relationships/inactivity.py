"""Quiet relationships: a notice first, then AUTO_CONCLUDED, so stale pairs stop counting as active."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from domain.relationships.closure import after_closing
from domain.relationships.models import Relationship, RelationshipStatus
from domain.relationships.timing import RelationshipTiming

INACTIVE_AFTER = RelationshipTiming().inactive_after
NOTICE = RelationshipTiming().inactivity_notice
_SWEPT = (RelationshipStatus.ACTIVE, RelationshipStatus.PAUSED)


@dataclass(frozen=True)
class SweepOutcome:
    noticed: list[int]
    concluded: list[int]


async def touch_activity(relationship_id: int, now: datetime.datetime) -> None:
    """Something happened between the members (a meeting, a signature, goal progress): the clock restarts."""
    await Relationship.filter(Q(id=relationship_id) & Q(last_activity_at__lt=now)).update(
        last_activity_at=now, inactivity_notice_at=None, updated_at=now
    )


async def sweep_inactive(
    now: datetime.datetime,
    *,
    inactive_after: datetime.timedelta = INACTIVE_AFTER,
    notice: datetime.timedelta = NOTICE,
) -> SweepOutcome:
    """Gives notice to relationships quiet for `inactive_after - notice`; concludes those quiet for
    `inactive_after` whose notice is at least `notice` old (a late notice buys its full period)."""
    async with in_transaction():
        concluded = await Relationship.filter(
            status__in=_SWEPT,
            last_activity_at__lte=now - inactive_after,
            inactivity_notice_at__lte=now - notice,
        ).values_list("id", flat=True)
        if concluded:
            # The same conditions again: a member acting since the read above keeps the relationship alive.
            await Relationship.filter(
                id__in=list(concluded), status__in=_SWEPT, last_activity_at__lte=now - inactive_after
            ).update(status=RelationshipStatus.AUTO_CONCLUDED, ended_at=now, updated_at=now)
            # Were in _SWEPT a moment ago, so AUTO_CONCLUDED now means this sweep concluded them.
            concluded = await Relationship.filter(
                id__in=list(concluded), status=RelationshipStatus.AUTO_CONCLUDED
            ).values_list("id", flat=True)
            await after_closing(concluded, RelationshipStatus.AUTO_CONCLUDED, now=now)
        noticed = await Relationship.filter(
            status__in=_SWEPT,
            last_activity_at__lte=now - (inactive_after - notice),
            inactivity_notice_at__isnull=True,
        ).values_list("id", flat=True)
        if noticed:
            await Relationship.filter(id__in=list(noticed)).update(inactivity_notice_at=now, updated_at=now)
    return SweepOutcome(noticed=sorted(noticed), concluded=sorted(concluded))
