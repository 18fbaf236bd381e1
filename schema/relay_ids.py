"""Global IDs in and out: the one place a GraphQL ID becomes a database key."""

from __future__ import annotations

from strawberry import relay

from domain.errors import ValidationFailed


def decode_id(global_id: relay.GlobalID, type_name: str, *, field: str = "id") -> int:
    """The integer key inside a global ID of `type_name`; anything else is a ValidationFailed naming `field`."""
    if global_id.type_name != type_name:
        raise ValidationFailed(f"Expected the ID of a {type_name}, got a {global_id.type_name}.", field=field)
    try:
        return int(global_id.node_id)
    except ValueError:
        raise ValidationFailed(f"Not a valid {type_name} ID.", field=field) from None


def encode_id(type_name: str, key: int) -> relay.GlobalID:
    return relay.GlobalID(type_name=type_name, node_id=str(key))
