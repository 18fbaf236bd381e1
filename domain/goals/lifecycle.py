"""Goal status moves: NOT_STARTED -> IN_PROGRESS -> ACHIEVED | DROPPED, and reopening back to IN_PROGRESS.

A goal not yet started may be dropped straight away; it cannot be achieved without being worked on.
Achieved and dropped goals can be reopened (IN_PROGRESS): people revisit goals, and history keeps the
progress updates either way.
"""

from __future__ import annotations

from domain.errors import InvalidTransition
from domain.goals.models import GoalStatus as S

_NEXT: dict[S, tuple[S, ...]] = {
    S.NOT_STARTED: (S.IN_PROGRESS, S.DROPPED),
    S.IN_PROGRESS: (S.ACHIEVED, S.DROPPED),
    S.ACHIEVED: (S.IN_PROGRESS,),
    S.DROPPED: (S.IN_PROGRESS,),
}

CLOSED = frozenset({S.ACHIEVED, S.DROPPED})


def allowed_transitions(status: S) -> tuple[S, ...]:
    return _NEXT[status]


def check_transition(current: S, target: S, *, field: str = "status") -> None:
    """Staying put is allowed (a no-op); anything else must be a listed move."""
    if target is current or target in _NEXT[current]:
        return
    allowed = ", ".join(s.value for s in _NEXT[current])
    raise InvalidTransition(f"A {current.value} goal cannot become {target.value} (allowed: {allowed}).", field=field)
