"""Survey emails through the outbox: queued in the transaction that opens the survey, sent by whoever drains
the "survey-email" topic.

The outbox leases each email's key to one sender at a time and backs it off after a failure. The email's
`sent_at` makes the send converge: a key delivered again after a crash between sending and recording is
finished without a second message (at most one duplicate in that window, with the same Message-ID so a
receiving server can drop it).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Protocol

from tortoise.transactions import in_transaction

from domain.feedback.models import EmailKind, SurveyEmail, SurveyInstance
from domain.outbox import service as outbox
from domain.outbox.backoff import RetryPolicy

log = logging.getLogger("mentorgraph.email")

TOPIC = "survey-email"
LEASE = datetime.timedelta(minutes=5)
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


def compose(email: SurveyEmail, *, domain: str) -> OutgoingEmail:
    """The message for an email whose instance, template and person are loaded."""
    template = email.survey_instance.template
    privacy = (
        "Your answers are anonymous: they are stored without your name and shown only in totals of five or more."
        if template.anonymous
        else "Your answers are seen by your program's coordinators."
    )
    body = f'"{template.name}" is open for you in Mentorgraph (My surveys). It takes about two minutes.\n\n{privacy}\n'
    return OutgoingEmail(
        message_id=f"<survey-email-{email.id}@{domain}>",
        recipient=email.survey_instance.person.email,
        subject=_SUBJECTS[email.kind],
        body=body,
    )


async def queue_survey_email(instance: SurveyInstance, kind: EmailKind, *, now: datetime.datetime) -> SurveyEmail:
    """Inside the caller's transaction; the (instance, kind) pair is unique, so it is queued once."""
    email = await SurveyEmail.create(survey_instance=instance, kind=kind)
    await outbox.enqueue(TOPIC, [str(email.id)], now=now)
    return email


async def deliver_queued(
    sender: EmailSender,
    now: datetime.datetime,
    *,
    domain: str,
    worker: str,
    policy: RetryPolicy = RetryPolicy(),
) -> int:
    """Sends what is due (up to a batch); a failure backs its key off. Returns how many were sent."""
    sent = 0
    for claim in await outbox.claim(TOPIC, worker=worker, now=now, lease=LEASE, limit=BATCH):
        email = await SurveyEmail.get(id=int(claim.key)).prefetch_related(
            "survey_instance__template", "survey_instance__person"
        )
        if email.sent_at is None:
            try:
                await sender.send(compose(email, domain=domain))
            except OSError as error:  # smtplib's errors are OSErrors, like refused or dropped connections
                log.warning("survey email %s not sent (attempt %s): %s", email.id, claim.attempts + 1, error)
                async with in_transaction():
                    await outbox.fail(TOPIC, claim, worker=worker, now=now, error=str(error)[:500], policy=policy)
                continue
            sent += 1
        async with in_transaction():
            await SurveyEmail.filter(id=email.id, sent_at__isnull=True).update(sent_at=now)
            await outbox.finish(TOPIC, claim, worker=worker, now=now)
    return sent
