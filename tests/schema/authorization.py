"""The shared check behind the authorization matrices: one mutation, tried by every role in turn."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from domain.access import Role
from domain.people.models import Person
from tests.support import assert_unchanged, snapshot


async def assert_open_only_to(
    gql,
    *,
    mutation: str,
    document: str,
    roles: Sequence[str],
    allowed: Sequence[str],
    people: dict[str, tuple[Person, Role]],
    make_input: Callable[[], Awaitable[dict]],
    denial: Callable[[str], str],
) -> None:
    """Denied roles first, each inside assert_unchanged and answered with `denial(role)`; then the allowed
    ones, each of which must succeed and write something."""
    denied = [role for role in roles if role not in allowed]
    for role in [*denied, *allowed]:
        person, token_role = people[role]
        variables = {"input": await make_input()}
        if role in allowed:
            before = await snapshot()
            result = (await gql(document, variables, as_=person, role=token_role))[mutation]
            assert not result["__typename"].endswith("Error"), (role, result)
            assert await snapshot() != before, f"{mutation} by {role} wrote nothing"
            continue
        async with assert_unchanged():
            result = (await gql(document, variables, as_=person, role=token_role))[mutation]
        assert result["__typename"] == denial(role), (role, result)
