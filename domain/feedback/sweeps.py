"""The scheduled job: opens every survey that has fallen due, once, and queues its invitation with it.

The instance's natural key (template, relationship, person, occasion) is unique, so two sweeps racing, or
one run twice, converge on one instance and one invitation each: the loser's insert fails and its
transaction (instance and email together) is rolled back.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from domain.feedback import emails
from domain.feedback.models import EmailKind, SurveyEmail, SurveyInstance, SurveySchedule, SurveyTemplate
from domain.feedback.schedule import CLOSED, OPEN_WINDOW, RUNNING, due_occasion, started_since
from domain.relationships.models import Relationship, RelationshipMember

log = logging.getLogger("mentorgraph.feedback")

REMIND_AFTER = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Due:
    template: SurveyTemplate
    relationship_id: int
    person_id: int
    occasion: int
    due_at: datetime.datetime


async def _candidates(template: SurveyTemplate, now: datetime.datetime) -> list[Relationship]:
    query = Relationship.filter(program_id=template.program_id, started_at__isnull=False)
    if template.schedule is SurveySchedule.AT_CLOSURE:
        return await query.filter(status__in=list(CLOSED), ended_at__gte=now - OPEN_WINDOW)
    query = query.filter(status__in=list(RUNNING))
    earliest = started_since(template.schedule, now)
    return await (query if earliest is None else query.filter(started_at__gte=earliest))


async def due_surveys(now: datetime.datetime) -> list[Due]:
    """Every (template, relationship, member, occasion) due now that has no instance yet."""
    due: list[Due] = []
    for template in await SurveyTemplate.all():
        occasions = {}
        for relationship in await _candidates(template, now):
            found = due_occasion(
                template.schedule,
                status=relationship.status,
                started_at=relationship.started_at,
                ended_at=relationship.ended_at,
                now=now,
            )
            if found is not None:
                occasions[relationship.id] = found
        if not occasions:
            continue
        members = await RelationshipMember.filter(relationship_id__in=list(occasions)).values_list(
            "relationship_id", "person_id"
        )
        existing = set(
            await SurveyInstance.filter(template_id=template.id, relationship_id__in=list(occasions)).values_list(
                "relationship_id", "person_id", "occasion"
            )
        )
        for relationship_id, person_id in members:
            occasion = occasions[relationship_id]
            if (relationship_id, person_id, occasion.number) not in existing:
                due.append(Due(template, relationship_id, person_id, occasion.number, occasion.due_at))
    return due


async def open_due_surveys(now: datetime.datetime) -> int:
    """Creates the instances that are due with their invitations; returns how many this run created."""
    due = await due_surveys(now)
    if not due:
        return 0
    created = 0
    for item in due:
        try:
            async with in_transaction():
                instance = await SurveyInstance.create(
                    template_id=item.template.id,
                    relationship_id=item.relationship_id,
                    person_id=item.person_id,
                    occasion=item.occasion,
                    due_at=item.due_at,
                )
                await emails.queue_survey_email(instance, EmailKind.SURVEY_INVITATION, now=now)
        except IntegrityError:
            continue  # another sweep created this occasion's instance (and its invitation) first
        created += 1
    return created


async def queue_reminders(now: datetime.datetime) -> int:
    """One reminder per instance still unanswered a week after it fell due; returns how many were queued."""
    reminded = SurveyEmail.filter(kind=EmailKind.SURVEY_REMINDER).values_list("survey_instance_id", flat=True)
    waiting = await SurveyInstance.filter(answered=False, due_at__lte=now - REMIND_AFTER, id__not_in=Subquery(reminded))
    queued = 0
    for instance in waiting:
        try:
            async with in_transaction():
                await emails.queue_survey_email(instance, EmailKind.SURVEY_REMINDER, now=now)
        except IntegrityError:
            continue
        queued += 1
    return queued
