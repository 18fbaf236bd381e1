"""Queries: the viewer's open surveys."""

from __future__ import annotations

import strawberry

from domain.feedback import responses
from schema.context import Info
from schema.feedback.types import Survey


@strawberry.type
class FeedbackQueries:
    @strawberry.field(description="Your unanswered surveys, soonest due first.")
    async def my_surveys(self, info: Info) -> list[Survey]:
        rows = await responses.my_open_surveys(info.context.viewer)
        return [Survey.from_model(row, row.template) for row in rows]
