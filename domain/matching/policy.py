"""Who may see and steer matching: pure rules over ids the caller has loaded."""

from __future__ import annotations

from collections.abc import Collection

from domain.access import Role, Viewer
from domain.matching.models import MatchProposal, ProposalStatus
from domain.programs.policy import can_manage_program


def can_run(viewer: Viewer, coordinator_ids: Collection[int]) -> bool:
    """Runs, reviews and publishes: the program's coordinators and admins."""
    return can_manage_program(viewer, coordinator_ids)


def can_see_run(viewer: Viewer, coordinator_ids: Collection[int]) -> bool:
    """The run itself (totals, certificate, audit): who runs the program, and analysts for the aggregates."""
    return can_run(viewer, coordinator_ids) or viewer.role is Role.ANALYST


def can_see_people_in_run(viewer: Viewer, coordinator_ids: Collection[int]) -> bool:
    """Proposals and the unmatched list name people: analysts get aggregates only."""
    return can_run(viewer, coordinator_ids)


def can_see_proposal(
    viewer: Viewer, proposal: MatchProposal, coordinator_ids: Collection[int], member_ids: Collection[int]
) -> bool:
    """A participant sees a proposal they are in once it is published, and never anyone else's scores."""
    if can_run(viewer, coordinator_ids):
        return True
    member = viewer.person_id is not None and viewer.person_id in member_ids
    return member and proposal.status is ProposalStatus.PUBLISHED
