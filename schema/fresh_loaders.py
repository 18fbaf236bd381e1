"""After a mutation writes, the rest of the response must not read what the DataLoaders cached before it."""

from __future__ import annotations

from typing import Any

from strawberry.extensions import FieldExtension


class FreshLoadersAfterWrite(FieldExtension):
    """Gives the request a new set of loaders once a mutation field has run, so its payload reads fresh rows."""

    async def resolve_async(self, next_, source: Any, info: Any, **kwargs: Any) -> Any:
        result = await next_(source, info, **kwargs)
        info.context.fresh_loaders()
        return result


def refresh_loaders_after_every_mutation(mutation_type: type) -> None:
    """Attaches the extension to each field of the root Mutation type, so no mutation can forget it."""
    for field in mutation_type.__strawberry_definition__.fields:
        field.extensions.append(FreshLoadersAfterWrite())
