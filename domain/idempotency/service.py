"""Doing a creating use case once per client key: a replay returns the first answer and writes nothing.

The key is claimed in the same transaction as the work, so the work and its record commit together or not
at all; a concurrent replay waits on the key's unique index (PostgreSQL) or the write lock (SQLite) and then
reads the winner's answer. A key lives RETENTION, is the viewer's own, and names one input: the same key with
another input is a Conflict.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.access import Viewer
from domain.clock import utc_now
from domain.errors import Conflict, ValidationFailed
from domain.idempotency.models import IdempotencyRecord

RETENTION = datetime.timedelta(hours=24)
MAX_KEY_LENGTH = 200

T = TypeVar("T")


@dataclass(frozen=True)
class AnswerCodec(Generic[T]):
    """How a use case's outcome is kept (as JSON) and given back on a replay."""

    remember: Callable[[T], Any]
    recall: Callable[[Any], Awaitable[T]]


def fingerprint(operation: str, arguments: Any) -> str:
    """The same input, however its keys are ordered, gives the same fingerprint."""
    canonical = json.dumps([operation, arguments], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def valid_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(f"An idempotency key has 1 to {MAX_KEY_LENGTH} characters.", field="idempotency_key")
    return key


class _KeyTaken(Exception):
    """Another request committed this key first."""


async def _replay(record: IdempotencyRecord, operation: str, print_: str, codec: AnswerCodec[T]) -> T:
    if record.operation != operation or record.fingerprint != print_:
        raise Conflict(
            f"This idempotency key was used for another request ({record.operation}) with other input; "
            "use a new key for a new request.",
            field="idempotency_key",
        )
    return await codec.recall(record.answer)


async def _live_record(viewer: Viewer, key: str, now: datetime.datetime) -> IdempotencyRecord | None:
    return await IdempotencyRecord.filter(viewer_email=viewer.email, key=key, created_at__gte=now - RETENTION).first()


async def once(
    viewer: Viewer,
    *,
    key: str | None,
    operation: str,
    arguments: Any,
    action: Callable[[], Awaitable[T]],
    codec: AnswerCodec[T],
) -> T:
    """Runs `action` unless this viewer's `key` already ran it; without a key, simply runs it."""
    if key is None:
        return await action()
    key = valid_key(key)
    print_ = fingerprint(operation, arguments)
    now = utc_now()
    if (record := await _live_record(viewer, key, now)) is not None:
        return await _replay(record, operation, print_, codec)
    try:
        async with in_transaction():
            # A key older than RETENTION is free again.
            await IdempotencyRecord.filter(viewer_email=viewer.email, key=key, created_at__lt=now - RETENTION).delete()
            try:
                record = await IdempotencyRecord.create(
                    viewer_email=viewer.email,
                    key=key,
                    operation=operation,
                    fingerprint=print_,
                    answer={},
                    created_at=now,
                )
            except IntegrityError:
                raise _KeyTaken() from None
            outcome = await action()
            record.answer = codec.remember(outcome)
            await record.save(update_fields=["answer"])
    except _KeyTaken:
        record = await _live_record(viewer, key, now)
        if record is None:  # claimed and expired in between: vanishingly rare, and safe to refuse
            raise Conflict("This idempotency key is in use; retry the request.", field="idempotency_key") from None
        return await _replay(record, operation, print_, codec)
    return outcome


def rows_of(model: type) -> AnswerCodec:
    """For a use case that returns one Tortoise row: the row's key is kept, the row read again on a replay."""

    async def recall(answer: Any):
        return await model.get(pk=answer["pk"])

    return AnswerCodec(remember=lambda row: {"pk": row.pk}, recall=recall)
