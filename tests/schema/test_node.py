"""The `node` root field, and schemas built with different limits side by side."""

from __future__ import annotations

import base64

from schema.schema import build_schema
from tests.factories import make_person

NODE = "query($id: ID!) { node(id: $id) { __typename id ... on Person { name } } }"


def _global_id(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


async def test_node_resolves_a_person_and_is_null_for_unknown_types_and_keys(gql):
    ana = await make_person(name="Ana")
    found = await gql(NODE, {"id": _global_id(f"Person:{ana.id}")}, as_=ana)
    assert found["node"]["name"] == "Ana"
    assert (await gql(NODE, {"id": _global_id("Spaceship:1")}, as_=ana))["node"] is None
    assert (await gql(NODE, {"id": _global_id("Person:999999")}, as_=ana))["node"] is None


def test_two_schemas_with_different_limits_can_live_in_one_process():
    strict = build_schema(max_depth=3, max_tokens=200, max_aliases=1)
    lenient = build_schema(max_depth=20, max_tokens=10000, max_aliases=50)
    assert strict is not lenient
    assert strict.as_str() == lenient.as_str()
