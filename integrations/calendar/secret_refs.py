"""Company connection secrets are stored as references; this reads one at use time."""

from __future__ import annotations

import os
from pathlib import Path


class SecretUnavailable(Exception):
    """The variable is unset or the file unreadable: the connection cannot authenticate."""


def read_secret(config: dict, name: str) -> str:
    if f"{name}_env" in config:
        value = os.environ.get(config[f"{name}_env"])
        if value is None:
            raise SecretUnavailable(f"{config[f'{name}_env']} is not set")
        return value
    if f"{name}_file" in config:
        try:
            return Path(config[f"{name}_file"]).read_text()
        except OSError as error:
            raise SecretUnavailable(f"cannot read {config[f'{name}_file']}: {error.strerror}") from None
    raise SecretUnavailable(f"the connection names no {name}")
