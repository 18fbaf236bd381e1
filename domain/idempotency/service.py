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
    """The same input, however its keys are ordered, gives the same fingerprint.

    An optional field left out and one sent as null are the same input, so they are dropped before hashing: a
    release that adds an optional field to an input keeps the fingerprints of requests that don't use it, and a
    client retrying across the deploy replays instead of meeting a conflict."""
    return _hashed([operation, _without_nulls(arguments)])


def _legacy_fingerprint(operation: str, arguments: Any) -> str:
    """How keys recorded before nulls were dropped were fingerprinted; they replay for their last day."""
    return _hashed([operation, arguments])


def _hashed(value: Any) -> str:
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [_without_nulls(item) for item in value]
    return value


def valid_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(f"An idempotency key has 1 to {MAX_KEY_LENGTH} characters.", field="idempotency_key")
    return key


class _KeyTaken(Exception):
    """Another request committed this key first."""


async def _replay(record: IdempotencyRecord, operation: str, arguments: Any, codec: AnswerCodec[T]) -> T:
    same_input = record.fingerprint in (fingerprint(operation, arguments), _legacy_fingerprint(operation, arguments))
    if record.operation != operation or not same_input:
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
        return await _replay(record, operation, arguments, codec)
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
        return await _replay(record, operation, arguments, codec)
    return outcome


def rows_of(model: type) -> AnswerCodec:
    """For a use case that returns one Tortoise row: the row's key is kept, the row read again on a replay."""

    async def recall(answer: Any):
        return await model.get(pk=answer["pk"])

    return AnswerCodec(remember=lambda row: {"pk": row.pk}, recall=recall)
