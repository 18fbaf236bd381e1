"""Who is asking: the authenticated viewer and the roles that widen what they may do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from domain.errors import PermissionDenied


class Role(str, Enum):
    PARTICIPANT = "PARTICIPANT"
    COORDINATOR = "COORDINATOR"
    ANALYST = "ANALYST"
    ADMIN = "ADMIN"


@dataclass(frozen=True)
class Viewer:
    """The person behind a request; `person_id` is None when the token's email has no profile yet."""

    email: str
    role: Role
    person_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def is_person(self, person_id: int) -> bool:
        """Whether the viewer is this person: what is a person's own (their demographics, goals, reflections,
        meetings list, pending requests) is read by them alone, whatever their role."""
        return self.person_id is not None and self.person_id == person_id

    def require_person(self) -> int:
        if self.person_id is None:
            raise PermissionDenied("No profile exists for this account's email.", field=None)
        return self.person_id

    def require_role(self, *roles: Role) -> None:
        if self.role is not Role.ADMIN and self.role not in roles:
            allowed = ", ".join(r.value for r in (*roles, Role.ADMIN))
            raise PermissionDenied(f"This needs one of the roles: {allowed}.")
