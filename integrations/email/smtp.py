"""The SMTP sender: Python's smtplib in a worker thread, one connection per message."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage
from email.utils import formatdate

from domain.feedback.emails import OutgoingEmail


class SmtpSender:
    def __init__(self, *, host: str, port: int, sender: str, timeout: float = 30) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.timeout = timeout

    def _message(self, email: OutgoingEmail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = email.recipient
        message["Subject"] = email.subject
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = email.message_id
        message.set_content(email.body)
        return message

    def _send(self, email: OutgoingEmail) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as connection:
            connection.send_message(self._message(email))

    async def send(self, email: OutgoingEmail) -> None:
        await asyncio.to_thread(self._send, email)
