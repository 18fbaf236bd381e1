"""The relationship state machine: PROPOSED -> ACTIVE <-> PAUSED -> COMPLETED, or ended early / auto-concluded."""

from __future__ import annotations

from domain.errors import InvalidTransition
from domain.relationships.models import RelationshipStatus as S

_NEXT: dict[S, tuple[S, ...]] = {
    # A proposal nobody signs can be ended early (e.g. "not a good fit") without ever going active.
    S.PROPOSED: (S.ACTIVE, S.ENDED_EARLY),
    S.ACTIVE: (S.PAUSED, S.COMPLETED, S.ENDED_EARLY, S.AUTO_CONCLUDED),
    S.PAUSED: (S.ACTIVE, S.COMPLETED, S.ENDED_EARLY, S.AUTO_CONCLUDED),
    S.COMPLETED: (),
    S.ENDED_EARLY: (),
    S.AUTO_CONCLUDED: (),
}

CLOSED = frozenset({S.COMPLETED, S.ENDED_EARLY, S.AUTO_CONCLUDED})
OPEN = frozenset(S) - CLOSED


def allowed_transitions(status: S) -> tuple[S, ...]:
    return _NEXT[status]


def check_transition(current: S, target: S, *, field: str = "status") -> None:
    if target not in _NEXT[current]:
        allowed = ", ".join(s.value for s in _NEXT[current]) or "none: it has ended"
        raise InvalidTransition(
            f"A {current.value} relationship cannot become {target.value} (allowed: {allowed}).", field=field
        )
