"""What the authorization matrices share: the cast of roles around one relationship, and the check that
tries one mutation as each of them in turn."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from domain.access import Role
from domain.people.models import Person
from tests.factories import make_person
from tests.support import assert_unchanged, snapshot

OWNER, PARTNER, PARTICIPANT = "member (owner, author)", "member (partner)", "other participant"
COORDINATOR, OTHER_COORDINATOR = "coordinator of this program", "coordinator of another program"
ANALYST, ADMIN = "analyst", "admin"
# Valid tokens whose email is nobody's in the directory: they read only `me` (null) and write nothing.
STRANGER, STRANGE_COORDINATOR = "token without a profile", "coordinator token without a profile"
WITH_PROFILE = [OWNER, PARTNER, PARTICIPANT, COORDINATOR, OTHER_COORDINATOR, ANALYST, ADMIN]
WITHOUT_PROFILE = [STRANGER, STRANGE_COORDINATOR]
ROLES = [*WITH_PROFILE, *WITHOUT_PROFILE]
MEMBERS = {OWNER, PARTNER}
OVERSEERS = {COORDINATOR, ADMIN}


async def cast_around(
    *, owner: Person, partner: Person, coordinator: Person, other_coordinator: Person
) -> dict[str, tuple[Person | str, Role]]:
    """Each role of the matrix with the person and token role that plays it; the outsiders are made here."""
    return {
        OWNER: (owner, Role.PARTICIPANT),
        PARTNER: (partner, Role.PARTICIPANT),
        PARTICIPANT: (await make_person(name="Olga"), Role.PARTICIPANT),
        COORDINATOR: (coordinator, Role.COORDINATOR),
        OTHER_COORDINATOR: (other_coordinator, Role.COORDINATOR),
        ANALYST: (await make_person(name="Ada"), Role.ANALYST),
        ADMIN: (await make_person(name="Max"), Role.ADMIN),
        STRANGER: ("nobody@example.com", Role.PARTICIPANT),
        STRANGE_COORDINATOR: ("no-profile-coordinator@example.com", Role.COORDINATOR),
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
    """Denied roles first, each inside assert_unchanged and answered with `denial(role)` (a token without a
    profile always with PermissionDeniedError); then the allowed ones, each of which must succeed and write
    something."""
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
        expected = "PermissionDeniedError" if role in WITHOUT_PROFILE else denial(role)
        assert result["__typename"] == expected, (role, result)


@dataclass(frozen=True)
class Read:
    """One sensitive read: what the allowed roles see, what everyone else sees, and what roles that may
    reach the object but not this part of it (`partial`) see instead."""

    field: str
    query: str
    allowed: frozenset[str] | set[str]
    visible: Any
    hidden: Any = None
    partial: dict[str, Any] = field(default_factory=dict)

    def expected(self, role: str) -> Any:
        if role in self.allowed:
            return self.visible
        return self.partial.get(role, self.hidden)


def overseers_see(value: Any) -> dict[str, Any]:
    """`partial` for the program's coordinators and admins, who reach the object but not this part of it."""
    return {role: value for role in OVERSEERS}


async def wrong_reads(
    gql, reads: Iterable[Read], ids: Mapping[str, str], role: str, people: dict[str, tuple[Person, Role]]
) -> list[str]:
    """Every read whose answer for `role` differs from what it should be, described for the failure message."""
    person, token_role = people[role]
    wrong = []
    for read in reads:
        variables = {name: value for name, value in ids.items() if f"${name}" in read.query}
        if role in WITHOUT_PROFILE:
            problems = await _refusals(gql, read, variables, person, token_role)
            wrong.extend(f"{read.field}: {problem}" for problem in problems)
            continue
        data = await gql(read.query, variables, as_=person, role=token_role)
        if data != read.expected(role):
            wrong.append(f"{read.field}: got {data}, expected {read.expected(role)}")
    return wrong


async def _refusals(gql, read: Read, variables: dict, email: str, role: Role) -> list[str]:
    """What is wrong with the answer to a token without a profile: it must be refused, field by field."""
    token = gql.token(email, role)
    response = await gql.raw(read.query, variables, headers={"Authorization": f"Bearer {token}"})
    body = response.json()
    data = body.get("data") or {}
    problems = [f"read {data}"] if any(value is not None for value in data.values()) else []
    codes = {error.get("extensions", {}).get("code") for error in body.get("errors") or []}
    # `me` is open to them (null); any other root field is refused with PERMISSION_DENIED.
    refusable = any(name != "me" for name in data) or data == {}
    if codes - {"PERMISSION_DENIED"} or (refusable and not codes):
        problems.append(f"was not refused: {body.get('errors')}")
    return problems


@dataclass(frozen=True)
class Write:
    """One mutation of a matrix: who may call it, and how to make a fresh input for each call."""

    mutation: str
    input_type: str
    allowed: tuple[str, ...]
    prepare: Callable[[Any], Awaitable[dict]]
    # Denied roles get this error type, unless listed in `denied_as`.
    denied: str = "NotFoundError"
    denied_as: dict[str, str] = field(default_factory=dict)

    def document(self) -> str:
        return (
            f"mutation($input: {self.input_type}!) {{ {self.mutation}(input: $input) {{"
            " __typename ... on Error { code field } } }"
        )

    def denial(self, role: str) -> str:
        return self.denied_as.get(role, self.denied)


async def assert_write_matrix(gql, write: Write, world: Any) -> None:
    """`write` against every role of `world.people`: denials write nothing, allowed calls write something."""
    await assert_open_only_to(
        gql,
        mutation=write.mutation,
        document=write.document(),
        roles=ROLES,
        allowed=write.allowed,
        people=world.people,
        make_input=lambda: write.prepare(world),
        denial=write.denial,
    )


def mutation_names(mutations: type) -> set[str]:
    """The GraphQL names of a strawberry mutations class's fields, to prove each is in a matrix."""
    return {
        "".join(part.capitalize() if index else part for index, part in enumerate(f.python_name.split("_")))
        for f in mutations.__strawberry_definition__.fields
    }
