"""Mutations on programs and enrollments."""

from __future__ import annotations

import strawberry


@strawberry.type
class ProgramMutations:
    pass
