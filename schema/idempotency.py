"""Opting a creating mutation in to idempotency keys: its input extends IdempotentInput, and it runs through
`run_once` instead of `run_mutation`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry

from domain.idempotency.service import AnswerCodec, once
from schema.context import Info
from schema.errors import run_mutation

T = TypeVar("T")


@strawberry.input
class IdempotentInput:
    idempotency_key: str | None = strawberry.field(
        default=None,
        description=(
            "Any string of yours (a UUID) naming this request: sent again with the same input within 24 hours, "
            "the first answer comes back and nothing is written twice; with other input, a ConflictError."
        ),
    )


def _arguments(input: Any) -> dict:
    return {name: value for name, value in strawberry.asdict(input).items() if name != "idempotency_key"}


async def run_once(
    info: Info,
    input: IdempotentInput,
    action: Callable[[], Awaitable[T]],
    to_payload: Callable[[T], Any],
    *,
    codec: AnswerCodec[T],
) -> Any:
    """`run_mutation`, done once per viewer and idempotency key (the mutation's name is part of the key's use)."""
    return await run_mutation(
        lambda: once(
            info.context.viewer,
            key=input.idempotency_key,
            operation=info.field_name,
            arguments=_arguments(input),
            action=action,
            codec=codec,
        ),
        to_payload,
    )
