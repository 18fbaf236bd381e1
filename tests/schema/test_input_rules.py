"""Every string and ID a client can send, found from introspection, refused cleanly when it is not text or too long.

Given each root field and each String or ID position inside its arguments, when a request puts an over-long
value, a NUL or a lone surrogate there (everything else minimal and well-formed), then the answer is a typed
error or a clean null, never an unexpected error, and nothing is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from domain.access import Role
from schema.input_rules import MAX_FILTER_TEXT, MAX_TEXT
from tests.factories import make_person, make_skill
from tests.support import assert_unchanged

INTROSPECTION = """
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
{ __schema {
    queryType { name } mutationType { name }
    types {
      kind name enumValues { name } inputFields { name type { ...T } }
      fields { name args { name type { ...T } } type { ...T } }
    }
} }
"""
PLACEHOLDERS = {"String": "x", "ID": "UGVyc29uOjE=", "Int": 1, "Float": 1.0, "Boolean": True,
                "Date": "2027-01-04", "DateTime": "2027-01-04T10:00:00Z", "Time": "10:00"}  # fmt: skip


def _unwrap(type_ref: dict) -> tuple[str, str, bool, bool]:
    """(kind, name, is_list, non_null) of a type reference."""
    non_null = type_ref["kind"] == "NON_NULL"
    is_list = False
    while type_ref["kind"] in ("NON_NULL", "LIST"):
        is_list = is_list or type_ref["kind"] == "LIST"
        type_ref = type_ref["ofType"]
    return type_ref["kind"], type_ref["name"], is_list, non_null


class Schema:
    def __init__(self, introspection: dict) -> None:
        self.types = {t["name"]: t for t in introspection["types"]}
        self.query = introspection["queryType"]["name"]
        self.mutation = introspection["mutationType"]["name"]

    def minimal(self, type_ref: dict, seen: frozenset = frozenset()):
        """The smallest well-formed value of a type: required input fields only."""
        kind, name, is_list, _ = _unwrap(type_ref)
        if kind == "SCALAR":
            value = PLACEHOLDERS[name]
        elif kind == "ENUM":
            value = self.types[name]["enumValues"][0]["name"] if "enumValues" in self.types[name] else None
        else:
            value = {
                field["name"]: self.minimal(field["type"], seen | {name})
                for field in self.types[name]["inputFields"]
                if field["type"]["kind"] == "NON_NULL"
            }
        return [value] if is_list else value

    def text_positions(self, type_ref: dict, seen: frozenset = frozenset()) -> Iterator[tuple[list, str]]:
        """(path of keys/indexes, scalar name) of every String or ID position inside a type."""
        kind, name, is_list, _ = _unwrap(type_ref)
        prefix = [0] if is_list else []
        if kind == "SCALAR" and name in ("String", "ID"):
            yield prefix, name
        elif kind == "INPUT_OBJECT" and name not in seen:
            for field in self.types[name]["inputFields"]:
                for path, scalar in self.text_positions(field["type"], seen | {name}):
                    yield [*prefix, field["name"], *path], scalar


def _placed(schema: Schema, type_ref: dict, path: list, bad):
    """The minimal value of a type with `bad` at `path`."""
    _kind, name, is_list, _ = _unwrap(type_ref)
    if is_list:
        item_ref = type_ref["ofType"] if type_ref["kind"] == "NON_NULL" else type_ref
        return [_placed(schema, item_ref["ofType"], path[1:], bad)]
    if not path:
        return bad
    value = schema.minimal(type_ref)
    [field] = [f for f in schema.types[name]["inputFields"] if f["name"] == path[0]]
    value[path[0]] = _placed(schema, field["type"], path[1:], bad)
    return value


def _type_text(type_ref: dict) -> str:
    if type_ref["kind"] == "NON_NULL":
        return _type_text(type_ref["ofType"]) + "!"
    if type_ref["kind"] == "LIST":
        return f"[{_type_text(type_ref['ofType'])}]"
    return type_ref["name"]


def cases(schema: Schema) -> Iterator[tuple]:
    """(label, document, required variables, argument, path, scalar, operation) per String/ID position."""
    for operation, root in (("query", schema.query), ("mutation", schema.mutation)):
        for field in schema.types[root]["fields"]:
            if not field["args"]:
                continue
            kind, _, _, _ = _unwrap(field["type"])
            selection = " { __typename }" if kind in ("OBJECT", "UNION", "INTERFACE") else ""
            definitions = ", ".join(f"${a['name']}: {_type_text(a['type'])}" for a in field["args"])
            uses = ", ".join(f"{a['name']}: ${a['name']}" for a in field["args"])
            document = f"{operation}({definitions}) {{ {field['name']}({uses}){selection} }}"
            required = {a["name"]: schema.minimal(a["type"]) for a in field["args"] if a["type"]["kind"] == "NON_NULL"}
            for argument in field["args"]:
                for path, scalar in schema.text_positions(argument["type"]):
                    label = f"{field['name']}.{argument['name']}{''.join(f'.{p}' for p in path)}"
                    yield label, document, required, argument, path, scalar, operation


# Texts bounded only by the request body limit (tests/api/test_request_body.py proves that one).
UNBOUNDED = {"importPeople.input.csv"}
BAD_VALUES = {
    "over-long": "x" * (MAX_TEXT + 1),
    "nul": "a\x00b",
    "lone surrogate": "\ud800",
}


@pytest.fixture
async def admin(db):
    await make_skill("Python")
    return await make_person(email="root@acme.example", name="Root Admin")


async def test_every_string_and_id_argument_refuses_bad_text_cleanly(gql, admin):
    schema = Schema((await gql(INTROSPECTION, as_=admin))["__schema"])
    headers = {"Authorization": f"Bearer {gql.token(admin, Role.ADMIN)}", "Content-Type": "application/json"}
    all_cases = list(cases(schema))
    assert len(all_cases) > 100, "the walk found the schema's text inputs"
    failures = []

    async with assert_unchanged():
        for label, document, required, argument, path, _scalar, _operation in all_cases:
            for bad_name, bad in BAD_VALUES.items():
                if bad_name == "over-long" and label in UNBOUNDED:
                    continue
                variables = {**required, argument["name"]: _placed(schema, argument["type"], path, bad)}
                # Sent as ASCII JSON, the way a client escapes a lone surrogate.
                body = json.dumps({"query": document, "variables": variables})
                response = await gql.http.post("/graphql", content=body, headers=headers)
                problem = _unclean(response, bad_name)
                if problem:
                    failures.append(f"{label} with {bad_name}: {problem}")

    assert not failures, "\n".join(failures[:20])
    assert MAX_FILTER_TEXT < MAX_TEXT


def _unclean(response, bad_name: str) -> str | None:
    """Why an answer is not a typed error or a clean null; None when it is."""
    if bad_name == "lone surrogate":
        ok = response.status_code == 400 and response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
        return None if ok else f"{response.status_code} {response.text[:200]}"
    if response.status_code != 200:
        return f"{response.status_code} {response.text[:200]}"
    body = response.json()
    for error in body.get("errors") or []:
        if error.get("extensions", {}).get("code") != "BAD_USER_INPUT" or len(error["message"]) > 200:
            return f"top-level error {error}"[:300]
    [value] = (body.get("data") or {None: None}).values()
    if isinstance(value, dict) and value.get("__typename") not in ("ValidationError", None):
        return f"answered {value['__typename']}"
    return None


UNDECODABLE_IDS = {"garbage": "garbage!", "empty": "", "10 KB": "QQ" * 5_000, "a number": 42}


async def test_an_undecodable_id_in_any_mutation_is_a_validation_error_naming_its_field(gql, admin):
    schema = Schema((await gql(INTROSPECTION, as_=admin))["__schema"])
    headers = {"Authorization": f"Bearer {gql.token(admin, Role.ADMIN)}", "Content-Type": "application/json"}
    id_cases = [case for case in cases(schema) if case[5] == "ID" and case[6] == "mutation"]
    assert len(id_cases) >= 40, "the walk found the mutations' ID arguments"
    failures = []

    async with assert_unchanged():
        for label, document, required, argument, path, _scalar, _operation in id_cases:
            expected_field = ".".join(str(p) for p in path).replace(".0", "[0]") or argument["name"]
            for bad_name, bad in UNDECODABLE_IDS.items():
                variables = {**required, argument["name"]: _placed(schema, argument["type"], path, bad)}
                body = json.dumps(
                    {
                        "query": document.replace("{ __typename }", "{ __typename ... on Error { field } }"),
                        "variables": variables,
                    }
                )
                answer = (await gql.http.post("/graphql", content=body, headers=headers)).json()
                [result] = (answer.get("data") or {None: answer}).values()
                if result != {"__typename": "ValidationError", "field": expected_field}:
                    failures.append(f"{label} with {bad_name}: {str(result)[:200]}")

    assert not failures, "\n".join(failures[:20])


async def test_an_error_message_quotes_at_most_80_characters_of_a_huge_input(gql, admin):
    huge_zone = "Europe/" + "x" * 1_000_000

    result = (
        await gql(
            "mutation($tz: String) { updateMyProfile(input: {timeZone: $tz}) { ... on Error { message field } } }",
            {"tz": huge_zone},
            as_=admin,
        )
    )["updateMyProfile"]

    assert result["field"] == "timeZone"
    assert len(result["message"]) < 120
