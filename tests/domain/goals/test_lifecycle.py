"""Goal status moves, as a table."""

from __future__ import annotations

import pytest

from domain.errors import InvalidTransition
from domain.goals.lifecycle import check_transition
from domain.goals.models import GoalStatus as S

ALLOWED = {
    (S.NOT_STARTED, S.IN_PROGRESS),
    (S.NOT_STARTED, S.DROPPED),
    (S.IN_PROGRESS, S.ACHIEVED),
    (S.IN_PROGRESS, S.DROPPED),
    (S.ACHIEVED, S.IN_PROGRESS),
    (S.DROPPED, S.IN_PROGRESS),
}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_only_listed_moves_and_staying_put_are_allowed(current, target):
    if current is target or (current, target) in ALLOWED:
        check_transition(current, target)
        return
    with pytest.raises(InvalidTransition) as caught:
        check_transition(current, target)
    assert caught.value.field == "status"
