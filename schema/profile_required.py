"""A token whose email names no Person may read `me` (null) and nothing else, unless it is an administrator's.

Such a token is valid (the identity provider vouches for it) but belongs to nobody in the directory: it must
not read the people directory, programs or anything about others, nor write. Administrators are the
exception, since they bootstrap the directory (importPeople) before they have a profile of their own.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError
from strawberry.extensions import FieldExtension

from domain.errors import ErrorCode
from schema.errors import PermissionDeniedError

NO_PROFILE_MESSAGE = "No profile exists for this account's email; it may read only `me` until one does."
OPEN_WITHOUT_PROFILE = frozenset({"me"})


def _without_profile(info: Any) -> bool:
    viewer = info.context.viewer
    return viewer.person_id is None and not viewer.is_admin


class ProfileRequiredToRead(FieldExtension):
    def resolve(self, next_, source: Any, info: Any, **kwargs: Any) -> Any:
        if _without_profile(info):
            raise GraphQLError(NO_PROFILE_MESSAGE, extensions={"code": ErrorCode.PERMISSION_DENIED.value})
        return next_(source, info, **kwargs)

    async def resolve_async(self, next_, source: Any, info: Any, **kwargs: Any) -> Any:
        return await self.resolve(next_, source, info, **kwargs)


class ProfileRequiredToWrite(FieldExtension):
    async def resolve_async(self, next_, source: Any, info: Any, **kwargs: Any) -> Any:
        if _without_profile(info):
            return PermissionDeniedError(message=NO_PROFILE_MESSAGE, code=ErrorCode.PERMISSION_DENIED, field=None)
        return await next_(source, info, **kwargs)


def require_profile(*, query_type: type, mutation_type: type) -> None:
    """Attaches the checks to every root field (but `me`), so no field added later can forget them."""
    for field in query_type.__strawberry_definition__.fields:
        if field.python_name not in OPEN_WITHOUT_PROFILE and field.name not in OPEN_WITHOUT_PROFILE:
            field.extensions.append(ProfileRequiredToRead())
    for field in mutation_type.__strawberry_definition__.fields:
        field.extensions.append(ProfileRequiredToWrite())
