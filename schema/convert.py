"""Rows to GraphQL objects: one copy rule instead of a hand-written field list per type."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, TypeVar

T = TypeVar("T")


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(cls) if field.init)


def from_row(cls: type[T], source: Any, /, **overrides: Any) -> T:
    """Builds `cls` from a model row: each field copies the row's attribute of the same name; `overrides`
    supply the fields named differently (or computed). A field with neither fails loudly, never silently."""
    values = {name: getattr(source, name) for name in _field_names(cls) if name not in overrides}
    values.update(overrides)
    return cls(**values)
