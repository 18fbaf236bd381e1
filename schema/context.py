"""Per-request context: the viewer and a fresh set of DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info as StrawberryInfo

from domain.access import Viewer
from schema.loaders import Loaders


@dataclass
class Context:
    viewer: Viewer
    loaders: Loaders = field(default_factory=Loaders)
    request: Any = None


Info = StrawberryInfo[Context, None]
