"""Queued survey emails reach a real SMTP server (aiosmtpd on 127.0.0.1), once each, and survive a refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.feedback.emails import deliver_queued
from domain.feedback.models import SurveyEmail
from domain.feedback.sweeps import open_due_surveys
from domain.outbox.backoff import RetryPolicy
from domain.outbox.models import MessageStatus, OutboxMessage, OutboxStream
from integrations.email.smtp import SmtpSender
from tests.factories import make_person, make_program
from tests.factories_feedback import make_template
from tests.factories_meetings import make_relationship, utc
from tests.fakes.smtp_server import running_smtp_server

START = utc(2026, 1, 5, 9)
NOW = START + timedelta(days=15)


@pytest.fixture
def smtp_server():
    with running_smtp_server() as server:
        yield server


async def _queued_invitations():
    program = await make_program()
    await make_template(program)
    mentor, mentee = await make_person(name="Olivia"), await make_person(name="Maya")
    await make_relationship(mentor, mentee, program=program, started_at=START)
    await open_due_surveys(NOW)
    return mentor, mentee


async def test_queued_invitations_are_delivered_once_over_smtp(db, smtp_server):
    inbox, port = smtp_server
    mentor, mentee = await _queued_invitations()
    sender = SmtpSender(host="127.0.0.1", port=port, sender="mentorgraph@example.com")

    assert await deliver_queued(sender, NOW, domain="example.com", worker="test") == 2
    assert await deliver_queued(sender, NOW + timedelta(hours=1), domain="example.com", worker="test") == 0

    assert inbox.recipients == sorted([mentor.email, mentee.email])
    _, message = inbox.messages[0]
    assert message["Subject"] == "A short survey about your mentoring relationship"
    assert message["From"] == "mentorgraph@example.com"
    assert message["Message-ID"].endswith("@example.com>")
    assert "anonymous" in message.get_payload()
    assert await SurveyEmail.filter(sent_at__isnull=True).count() == 0
    assert set(await OutboxMessage.all().values_list("status", flat=True)) == {MessageStatus.DONE}


async def test_an_unreachable_server_leaves_the_email_queued_for_a_later_attempt(db, smtp_server):
    inbox, port = smtp_server
    await _queued_invitations()
    unreachable = SmtpSender(host="127.0.0.1", port=1, sender="mentorgraph@example.com", timeout=2)
    policy = RetryPolicy(base=timedelta(minutes=10), cap=timedelta(minutes=10))

    assert await deliver_queued(unreachable, NOW, domain="example.com", worker="test", policy=policy) == 0
    assert await SurveyEmail.filter(sent_at__isnull=True).count() == 2
    streams = await OutboxStream.all()
    assert {stream.attempts for stream in streams} == {1}
    assert all(stream.last_error for stream in streams)

    working = SmtpSender(host="127.0.0.1", port=port, sender="mentorgraph@example.com")
    later = max(stream.available_at for stream in streams)
    assert await deliver_queued(working, later + timedelta(seconds=1), domain="example.com", worker="test") == 2
    assert len(inbox.messages) == 2


async def test_an_email_delivered_again_after_it_went_out_is_not_sent_twice(db, smtp_server):
    inbox, port = smtp_server
    await _queued_invitations()
    sender = SmtpSender(host="127.0.0.1", port=port, sender="mentorgraph@example.com")
    await deliver_queued(sender, NOW, domain="example.com", worker="test")
    # a redelivery, as after a crash between sending and recording
    await OutboxMessage.all().update(status=MessageStatus.PENDING)

    assert await deliver_queued(sender, NOW + timedelta(minutes=1), domain="example.com", worker="test") == 0
    assert len(inbox.messages) == 2
    assert await OutboxMessage.filter(status=MessageStatus.PENDING).count() == 0
