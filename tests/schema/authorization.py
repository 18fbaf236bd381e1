"""What the authorization matrices share: the cast of roles around one relationship, and the check that
tries one mutation as each of them in turn."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from domain.access import Role
from domain.people.models import Person
from tests.factories import make_person
from tests.support import assert_unchanged, snapshot

OWNER, PARTNER, PARTICIPANT = "member (owner, author)", "member (partner)", "other participant"
COORDINATOR, OTHER_COORDINATOR = "coordinator of this program", "coordinator of another program"
ANALYST, ADMIN = "analyst", "admin"
ROLES = [OWNER, PARTNER, PARTICIPANT, COORDINATOR, OTHER_COORDINATOR, ANALYST, ADMIN]
MEMBERS = {OWNER, PARTNER}
OVERSEERS = {COORDINATOR, ADMIN}


async def cast_around(
    *, owner: Person, partner: Person, coordinator: Person, other_coordinator: Person
) -> dict[str, tuple[Person, Role]]:
    """Each role of the matrix with the person and token role that plays it; the outsiders are made here."""
    return {
        OWNER: (owner, Role.PARTICIPANT),
        PARTNER: (partner, Role.PARTICIPANT),
        PARTICIPANT: (await make_person(name="Olga"), Role.PARTICIPANT),
        COORDINATOR: (coordinator, Role.COORDINATOR),
        OTHER_COORDINATOR: (other_coordinator, Role.COORDINATOR),
        ANALYST: (await make_person(name="Ada"), Role.ANALYST),
        ADMIN: (await make_person(name="Max"), Role.ADMIN),
    }


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
