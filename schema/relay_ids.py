"""Global IDs in and out: the one place a GraphQL ID becomes a database key."""

from __future__ import annotations

from strawberry import relay

from domain.batch import is_storable_key
from domain.errors import ValidationFailed


class InvalidID(ValidationFailed):
    """An ID that names no row of the expected type; a lookup by it reads as null (see schema.input_rules)."""


def decode_id(global_id: relay.GlobalID, type_name: str, *, field: str = "id") -> int:
    """The integer key inside a global ID of `type_name`; anything else is an InvalidID naming `field`."""
    if global_id.type_name != type_name:
        raise InvalidID(f"Expected the ID of a {type_name}, got a {global_id.type_name}.", field=field)
    node_id = global_id.node_id
    # Only the IDs this API issues: canonical digits of a key that can exist (' 7' or '07' or 2**40 are not).
    if (
        not (node_id.isascii() and node_id.isdigit())
        or str(int(node_id)) != node_id
        or not is_storable_key(int(node_id))
    ):
        raise InvalidID(f"Not a valid {type_name} ID.", field=field)
    return int(node_id)


def encode_id(type_name: str, key: int) -> relay.GlobalID:
    return relay.GlobalID(type_name=type_name, node_id=str(key))
