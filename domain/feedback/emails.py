"""Survey emails: queued in the database with what they announce, then claimed and sent by a sender.

A sender claims a row with a compare-and-set on `claimed_until`, so two senders never both take it; a
sender that dies mid-send leaves a claim that expires and the row is taken again (at-least-once, with a
stable Message-ID so a receiving server can drop a duplicate).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Protocol

from tortoise.expressions import F, Q

from domain.feedback.models import EmailKind, QueuedEmail, SurveyInstance, SurveyTemplate

log = logging.getLogger("mentorgraph.email")

CLAIM_LEASE = datetime.timedelta(minutes=5)
RETRY_AFTER = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 8
BATCH = 100

_SUBJECTS = {
    EmailKind.SURVEY_INVITATION: "A short survey about your mentoring relationship",
    EmailKind.SURVEY_REMINDER: "Reminder: a short survey about your mentoring relationship",
}


@dataclass(frozen=True)
class OutgoingEmail:
    message_id: str
    recipient: str
    subject: str
    body: str


class EmailSender(Protocol):
    async def send(self, email: OutgoingEmail) -> None: ...


def _body(template: SurveyTemplate) -> str:
    privacy = (
        "Your answers are anonymous: they are stored without your name and shown only in totals of five or more."
        if template.anonymous
        else "Your answers are seen by your program's coordinators."
    )
    return f'"{template.name}" is open for you in Mentorgraph (My surveys). It takes about two minutes.\n\n{privacy}\n'


async def queue_survey_email(
    instance: SurveyInstance, template: SurveyTemplate, recipient: str, kind: EmailKind
) -> QueuedEmail:
    """Inside the caller's transaction; the (instance, kind) pair is unique, so it is queued once."""
    return await QueuedEmail.create(
        kind=kind, recipient=recipient, subject=_SUBJECTS[kind], body=_body(template), survey_instance=instance
    )


async def _claim(email_id: int, now: datetime.datetime) -> bool:
    claimed = await QueuedEmail.filter(
        Q(id=email_id) & Q(sent_at__isnull=True) & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    ).update(claimed_until=now + CLAIM_LEASE)
    return claimed == 1


async def deliver_queued(sender: EmailSender, now: datetime.datetime, *, domain: str) -> int:
    """Sends what is waiting (up to a batch); a failure is recorded and retried later. Returns how many sent."""
    waiting = await QueuedEmail.filter(
        Q(sent_at__isnull=True)
        & Q(attempts__lt=MAX_ATTEMPTS)
        & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    ).limit(BATCH)
    sent = 0
    for row in waiting:
        if not await _claim(row.id, now):
            continue
        outgoing = OutgoingEmail(f"<queued-email-{row.id}@{domain}>", row.recipient, row.subject, row.body)
        try:
            await sender.send(outgoing)
        except OSError as error:  # smtplib's errors are OSErrors, like refused or dropped connections
            log.warning("email %s not sent (attempt %s): %s", row.id, row.attempts + 1, error)
            await QueuedEmail.filter(id=row.id).update(
                attempts=F("attempts") + 1, last_error=str(error)[:500], claimed_until=now + RETRY_AFTER
            )
            continue
        await QueuedEmail.filter(id=row.id).update(sent_at=now, attempts=F("attempts") + 1, claimed_until=None)
        sent += 1
    return sent
